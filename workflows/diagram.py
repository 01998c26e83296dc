"""Render the transition table as a Mermaid state diagram for ``docs/``.

``python -m workflows.diagram > docs/state-diagram.md`` regenerates it; a
test fails if the committed file no longer matches the table.
"""

from __future__ import annotations

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
            f"{'yes' if t.needs_reason else ''} | {t.clock_event or ''} | {t.guard or ''} | "
            f"{', '.join(t.effects)} |"
        )
    return "\n".join(rows)


def document() -> str:
    return (
        "# Case states and transitions\n\n"
        "Generated from `workflows/states.py` by `python -m workflows.diagram`; "
        "do not edit by hand.\n\n"
        "```mermaid\n" + mermaid() + "\n```\n\n"
        "`clarification_received` returns the case to the state it was in when the clock was "
        "paused (drawn to `received` above).\n\n" + table() + "\n"
    )


if __name__ == "__main__":
    print(document(), end="")
