"""Render the transition table as a Mermaid state diagram for ``docs/``.

``python -m workflows.diagram > docs/state-diagram.md`` regenerates it; a
test fails if the committed file no longer matches the table.
"""

from __future__ import annotations

from workflows import case_clocks
from workflows.guards import CLOCK_ACTION_NEEDS
from workflows.request_types import REQUEST_TYPES
from workflows.states import PREVIOUS, STATUS_LABELS, TRANSITIONS, Status


def mermaid() -> str:
    lines = ["stateDiagram-v2", "    [*] --> received"]
    for status in Status:
        lines.append(f"    {status.value} : {STATUS_LABELS[status]}")
    for t in TRANSITIONS:
        roles = "/".join(sorted(t.roles))
        for source in sorted(t.sources, key=list(Status).index):
            if t.target is None:
                target = source.value
            elif t.target == PREVIOUS:
                target = "received"  # drawn to the usual previous state; see the table below
            else:
                target = Status(t.target).value
            lines.append(f"    {source.value} --> {target} : {t.action} ({roles})")
    for status in (Status.CLOSED, Status.REFUSED, Status.WITHDRAWN):
        lines.append(f"    {status.value} --> [*]")
    return "\n".join(lines)


def table() -> str:
    rows = [
        "| action | from | to | who | reason required | clock | guard | effects |",
        "|---" * 8 + "|",
    ]
    for t in TRANSITIONS:
        sources = ", ".join(s.value for s in sorted(t.sources, key=list(Status).index))
        target = {None: "(stays)", PREVIOUS: "(state before the pause)"}.get(t.target, t.target)
        rows.append(
            f"| `{t.action}` | {sources} | {target} | {', '.join(sorted(t.roles))} | "
            f"{'yes' if t.needs_reason else ''} | {t.clock_event or ''} | {_guard(t)} | "
            f"{', '.join(t.effects)} |"
        )
    return "\n".join(rows)


def _guard(t) -> str:
    """The guard column: the named guard, and "needs a look" for the list's decisions."""
    return ", ".join(g for g in (t.guard, "needs a look" if t.only_needs_look else None) if g)


def clock_rules() -> str:
    """Which clock each right runs on, and which clock actions apply to it."""
    rows = [
        "| right | clock | clarification pause (Art 12A) | extension |",
        "|---|---|---|---|",
    ]
    for name in REQUEST_TYPES:
        rule = case_clocks.rule_of(name)
        rows.append(
            f"| `{name}` | {rule.kind} | {'yes' if rule.pausable else 'no'} | "
            f"{'yes' if rule.extendable else 'no'} |"
        )
    marks = case_clocks.rule_of(case_clocks.EXAM_MARKS_RIGHT, exam_marks=True)
    rows.append(
        f"| `{case_clocks.EXAM_MARKS_RIGHT}` once a results day is recorded | {marks.kind} | "
        "no | no |"
    )
    refused = "\n".join(
        f"- `{event}` on a case with no such clock: 409, e.g. “{why.format(labels='…')}”"
        for event, (_, why) in CLOCK_ACTION_NEEDS.items()
    )
    return (
        "## Clocks\n\n"
        "A case runs one clock per distinct rule among its rights (`workflows/case_clocks.py`); "
        "an action that moves a clock is offered only if it applies to one of them.\n\n"
        + "\n".join(rows)
        + "\n\n"
        + refused
        + "\n\nWhat the record may not do (LEGAL.md): a day is paused at most once and every "
        "pause closes, in any order of same-day events; a clarification asked after the time "
        "limit has ended adds no days; identity asked for after the end is refused and cannot "
        "restart the clock (late in the period it needs a reason); a new question cannot be "
        "dated before the last clarification event, so pauses never overlap; an extension "
        "dated in the past needs how and when notice was given, and no notice letter is "
        "written for it; once a clock is overdue, the day is kept (`case_clocks.was_overdue_on`)."
        "\n"
    )


def document() -> str:
    return (
        "# Case states and transitions\n\n"
        "Generated from `workflows/states.py` by `python -m workflows.diagram`; "
        "do not edit by hand.\n\n"
        "```mermaid\n" + mermaid() + "\n```\n\n"
        "`clarification_received` returns the case to the state it was in when the clock was "
        "paused (drawn to `received` above).\n\n" + table() + "\n\n" + clock_rules()
    )


if __name__ == "__main__":
    print(document(), end="")
