"""What the parent's page says, each sentence derived from the case record.

The asks (our questions and requests for ID, with their dates and whether they are
answered), why the due date moved (pauses and extensions, from the clock events and
the audit trail), the letters we sent and whether we have replied. Nothing here
is worded from the case's status alone: a status says where work is, not what
reached the parent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from sar_service.db import session
from sar_service.i18n.dates import parent_date
from sar_service.i18n.text import gettext as _
from sar_service.letters.kinds import KINDS as LETTER_KINDS
from sar_service.models import Case, Document
from workflows.states import Status


@dataclass(frozen=True)
class Ask:
    """Something we asked the parent for: a question (its words) or proof of identity."""

    kind: str  # "question" | "identity"
    asked_on: str
    text: str = ""
    answered_on: str | None = None
    open: bool = False


@dataclass(frozen=True)
class Pause:
    start: date
    end: date | None  # None: still paused


def pauses(case: Case) -> list[Pause]:
    """The clarification pauses, from the clock events (so a corrected date shows)."""
    out: list[Pause] = []
    start: date | None = None
    for e in case.clock_events:
        if e.kind == "clarification_requested":
            start = e.on
        elif e.kind in ("clarification_received", "clarification_lapsed") and start:
            out.append(Pause(start, e.on))
            start = None
    if start is not None:
        out.append(Pause(start, None))
    return out


def asks(case: Case) -> list[Ask]:
    """Every question and ID request in the order we made them; the last one open while
    we wait."""
    questions = iter(pauses(case))
    verified = [e.on for e in case.clock_events if e.kind == "identity_verified"]
    found = []
    for event in _events(case):
        if event.action == "request_clarification":
            pause = next(questions, None)
            if pause is None:
                continue
            found.append(
                Ask(
                    "question",
                    parent_date(pause.start),
                    event.reason,
                    parent_date(pause.end) if pause.end else None,
                    open=pause.end is None and case.status == Status.AWAITING_CLARIFICATION,
                )
            )
        elif event.action == "request_identity":
            asked = event.effective_on
            got = next((d for d in verified if asked and d >= asked), None)
            found.append(
                Ask(
                    "identity",
                    parent_date(asked),
                    answered_on=parent_date(got) if got else None,
                    open=got is None and case.status == Status.AWAITING_IDENTITY,
                )
            )
    return found


def due_story(case: Case) -> list[str]:
    """Why the due date is what it is, in plain words, oldest first."""
    lines = []
    started = [e.on for e in case.clock_events if e.kind == "identity_verified"]
    if started:
        lines.append(
            _(
                "The time limit started on %(date)s, when your proof of identity arrived.",
                date=parent_date(started[-1]),
            )
        )
    for p in pauses(case):
        if p.end is None:
            lines.append(
                _(
                    "The time limit has been paused since %(date)s, until you answer our question.",
                    date=parent_date(p.start),
                )
            )
        else:
            lines.append(
                _(
                    "The time limit was paused from %(start)s to %(end)s, while we waited for "
                    "your answer.",
                    start=parent_date(p.start),
                    end=parent_date(p.end),
                )
            )
    for e in _events(case):
        if e.action == "extend":
            lines.append(
                _(
                    "On %(date)s we extended the time limit by two months. Why: %(reason)s",
                    date=parent_date(e.effective_on),
                    reason=e.reason,
                )
            )
    return lines


def letters_sent(case: Case) -> list[Document]:
    """Letters that went to the parent (any way), oldest first: drafts are not theirs yet."""
    return list(
        session().scalars(
            select(Document)
            .where(Document.case_id == case.id, Document.kind == "letter", Document.sent_via != "")
            .order_by(Document.sent_on, Document.id)
        )
    )


def letter_title(document: Document) -> str:
    kind = LETTER_KINDS.get(document.letter_kind)
    return kind.title if kind else document.filename


def replied_on(case: Case) -> str | None:
    """The day our reply was sent, once it was (the case recorded it as responded)."""
    if case.status in (Status.RESPONDED, Status.CLOSED) and case.responded_on:
        return parent_date(case.responded_on)
    return None


def _events(case: Case):
    return sorted(case.events, key=lambda e: e.id or 0)
