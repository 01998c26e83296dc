"""Modules use each other's public names only (``lint-imports`` checks which modules)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def private_imports(source: str) -> list[str]:
    """``from x import _name`` statements: a reach into another module's internals."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"from {'.' * node.level}{node.module or ''} import {alias.name}")
    return found


def test_the_check_sees_a_private_import():
    assert private_imports("from sar_service.api.cases import WRITE, _case_or_404\n") == [
        "from sar_service.api.cases import _case_or_404"
    ]
    assert private_imports("from workflows.calendars import long_date as _long_date\n") == []


def test_no_module_imports_another_modules_private_names():
    offences = {
        str(path.relative_to(ROOT)): found
        for package in ("sar_service", "workflows")
        for path in sorted((ROOT / package).rglob("*.py"))
        if (found := private_imports(path.read_text()))
    }
    assert offences == {}
