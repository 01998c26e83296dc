"""The commit rule (``sar_service.db``): only the request or job edge commits; anything
that must commit mid-way says why through ``commit_now``. Read from the source."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "sar_service"

#: The edges: Flask views and API handlers, CLI commands, and the runners of RQ jobs.
EDGES = (
    "views*.py",
    "api/*.py",
    "api.py",
    "cli.py",
    "processes.py",
    "intake/chat.py",
    "portal/newlink.py",
    "background/outbox.py",  # ``run``: the job edge every outbox job goes through
    "db.py",  # ``commit_now`` itself
)


def commits(path: Path) -> list[int]:
    tree = ast.parse(path.read_text())
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
        and not node.args
    ]


def is_edge(path: Path) -> bool:
    rel = path.relative_to(PACKAGE)
    return any(rel.match(pattern) for pattern in EDGES)


def test_domain_code_never_commits_except_through_commit_now():
    found = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if not is_edge(path)
        for line in commits(path)
    ]
    assert found == []


def test_the_rule_sees_a_commit(tmp_path):
    sample = tmp_path / "service.py"
    sample.write_text("def create(session):\n    session.add(1)\n    session.commit()\n")
    assert commits(sample) == [3]
