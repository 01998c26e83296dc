"""Every background task, periodic job, sweep step, transition effect and notification kind
used anywhere in the code resolves to a declaration, and every declaration is complete.

Two halves: the registries are introspected (handlers import, queues are served, templates
exist), and the source of ``sar_service``, ``workflows``, ``tests`` and ``bench`` is read
(AST) for the names it uses, so a typo in a call site fails here rather than in a worker.
"""

from __future__ import annotations

import ast
import importlib
import string
from pathlib import Path

import pytest

from sar_service.background import queues, tasks
from sar_service.letters.kinds import KIND_NAMES as LETTER_KINDS
from sar_service.models import notification as notification_model
from sar_service.notify import kinds
from sar_service.resources import EMAIL_TEMPLATES_DIR
from workflows.effects import Effect
from workflows.states import TRANSITIONS

ROOT = Path(__file__).resolve().parents[2]
EMAIL_TEMPLATES = EMAIL_TEMPLATES_DIR
SCANNED = ("sar_service", "workflows", "tests", "bench")

# --- the registries themselves ---------------------------------------------------------------


@pytest.mark.parametrize("task", tasks.TASKS.values(), ids=lambda t: t.name)
def test_every_task_has_a_handler_and_a_served_queue(task):
    assert callable(task.resolve())
    assert task.queue in queues.WORKER_ORDER
    assert 0 < task.timeout <= 3600


@pytest.mark.parametrize("job", tasks.PERIODIC_JOBS.values(), ids=lambda p: p.name)
def test_every_periodic_job_resolves_and_runs_first(job):
    assert callable(job.resolve())
    assert job.queue == queues.WORKER_ORDER[0]


@pytest.mark.parametrize("step", tasks.SWEEP_STEPS.values(), ids=lambda s: s.name)
def test_every_sweep_step_resolves(step):
    assert callable(step.resolve())


@pytest.mark.parametrize("effect", list(Effect), ids=str)
def test_every_effect_names_a_task_and_a_letter_kind(effect):
    assert effect.task in tasks.TASKS
    if effect.task == "letter":
        assert effect.arg in LETTER_KINDS


def test_transitions_only_take_typed_effects():
    assert all(isinstance(e, Effect) for t in TRANSITIONS for e in t.effects)
    with pytest.raises(TypeError, match="not a workflows.Effect"):
        TRANSITIONS[0].__class__(**{**TRANSITIONS[0].__dict__, "effects": ("letter:refusal",)})


def test_every_stored_notification_kind_is_declared_and_no_more():
    assert set(kinds.KINDS) == set(notification_model.KINDS)


@pytest.mark.parametrize("kind", kinds.KINDS.values(), ids=lambda k: k.name)
def test_every_notification_kind_is_complete(kind):
    for suffix in (".txt", ".html"):
        assert (EMAIL_TEMPLATES / f"{kind.template}{suffix}").is_file()
    assert kind.audience in ("staff", "parent")
    fields = {name for _, name, _, _ in string.Formatter().parse(kind.key_format) if name}
    assert fields and kind.key(**dict.fromkeys(fields, "x")).startswith(f"{kind.name}:")
    # The sweep's bulk cancel (``applies_sql``) must say what ``still_applies`` says; an
    # email an action queues is checked only when it is sent (it is pending for seconds).
    if kind.applies_sql is not None:
        assert kind.still_applies is not kinds._always


def test_unknown_names_are_refused_when_looked_up():
    with pytest.raises(tasks.UnknownTask):
        tasks.get("acknowledgement")
    with pytest.raises(kinds.UnknownKind):
        kinds.get("reminders")


# --- every name the code uses -------------------------------------------------------------


def _constant(module: str, node: ast.AST) -> str | None:
    """A string literal, or a module-level name holding one (e.g. ``PORTAL_LINK``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        value = getattr(importlib.import_module(module), node.id, None)
        return value if isinstance(value, str) else None
    return None


def used_names(source: str, module: str) -> list[tuple[str, str, int]]:
    """(registry, name, line) for every task or notification kind ``source`` names:
    ``outbox.add(s, key, TASK, …)``, ``outbox.add_many(s, [(key, TASK, …)])``,
    ``tasks.get(TASK)``, ``kinds.get(KIND)``, ``enqueue_outbox_row(id, TASK)``,
    ``OutboxJob.task == TASK`` and ``Notification.kind == KIND``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            owner_name = owner.id if isinstance(owner, ast.Name) else ""
            attr = node.func.attr
            if (owner_name, attr) == ("outbox", "add") and len(node.args) >= 3:
                found.append(("task", node.args[2], node.lineno))
            elif (owner_name, attr) == ("outbox", "add_many"):
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Tuple) and len(sub.elts) == 4:
                        found.append(("task", sub.elts[1], sub.lineno))
            elif (owner_name, attr) == ("tasks", "get") and node.args:
                found.append(("task", node.args[0], node.lineno))
            elif (owner_name, attr) == ("kinds", "get") and node.args:
                found.append(("kind", node.args[0], node.lineno))
            elif attr == "enqueue_outbox_row" and len(node.args) >= 2:
                found.append(("task", node.args[1], node.lineno))
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute):
            left = node.left
            owner = left.value.id if isinstance(left.value, ast.Name) else ""
            registry = {("OutboxJob", "task"): "task", ("Notification", "kind"): "kind"}.get(
                (owner, left.attr)
            )
            if registry:
                found.extend((registry, c, node.lineno) for c in node.comparators)
    names = []
    for registry, node, line in found:
        value = _constant(module, node)
        if value is not None:
            names.append((registry, value, line))
    return names


def unknown_names(source: str, module: str) -> list[str]:
    known = {"task": set(tasks.TASKS), "kind": set(kinds.KINDS)}
    return [
        f"{module}:{line}: unknown {registry} {name!r}"
        for registry, name, line in used_names(source, module)
        if name not in known[registry]
    ]


def _modules():
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            yield ".".join(rel.parts), path.read_text()


def test_every_task_and_kind_named_in_the_code_is_declared():
    problems, seen = [], set()
    for module, source in _modules():
        if module == "tests.unit.test_registries":
            continue  # this file misspells names on purpose
        # bench scripts are not importable as modules: only their literals are checked
        module_for_names = "sar_service" if module.startswith("bench.") else module
        problems += unknown_names(source, module_for_names)
        seen |= {(r, n) for r, n, _ in used_names(source, module_for_names)}
    assert problems == []
    # the scan really reads the call sites (else it would pass on anything)
    assert {("task", "acknowledge"), ("task", "notify"), ("task", "letter")} <= seen
    assert ("kind", "overdue") in seen


def test_the_scan_catches_a_misspelt_name():
    bad = (
        "outbox.add(s, 'k', 'acknowledgment', {})\n"
        "outbox.add_many(s, [(f'notify:{i}', 'notfy', {}, None) for i in ids])\n"
        "x = select(Notification).where(Notification.kind == 'remind')\n"
        "y = kinds.get('overdue')\n"
    )
    assert unknown_names(bad, "sar_service.notify.sending") == [
        "sar_service.notify.sending:1: unknown task 'acknowledgment'",
        "sar_service.notify.sending:2: unknown task 'notfy'",
        "sar_service.notify.sending:3: unknown kind 'remind'",
    ]
