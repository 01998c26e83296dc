"""The outbox handler that writes the letters the workflow calls for.

Called by a worker (the ``letter`` task in ``sar_service.background.tasks``) after the
commit of a transition whose effects include ``letter:<kind>``, and after a
case is received (the acknowledgement). It runs in the worker's transaction,
which also marks the outbox row done, so a crash leaves neither.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.clock import today
from sar_service.models import Case, CaseEvent

from .service import generate_letter

log = logging.getLogger(__name__)
ACTOR = "System (letters)"


def trigger_key(kind: str, event_id: int | None) -> str:
    """What identifies one job's letter: the kind and the event that called for it."""
    return f"{kind}:{event_id if event_id is not None else 'received'}"


def already_done(session: Session, case_id: int, key: str) -> bool:
    """True if a letter for this trigger is already on the case (a re-run, say)."""
    found = session.scalar(
        select(CaseEvent.id)
        .where(
            CaseEvent.case_id == case_id,
            CaseEvent.action == "letter_generated",
            CaseEvent.data["trigger"].as_string() == key,
        )
        .limit(1)
    )
    return found is not None


def generate(session: Session, case_id: int, kind: str, event_id: int | None = None) -> None:
    """Write the ``kind`` letter for the case once; idempotent per (case, kind, event)."""
    case = session.get(Case, case_id)
    if case is None:
        log.info("letter %s: case %s no longer exists", kind, case_id)
        return
    key = trigger_key(kind, event_id)
    if already_done(session, case_id, key):
        log.info("letter %s for case %s already written", key, case_id)
        return
    on = today()
    if event_id is not None:
        event = session.get(CaseEvent, event_id)
        if event is not None and event.case_id == case_id and event.effective_on:
            on = event.effective_on  # dated the day the step was taken
    document = generate_letter(
        session,
        case,
        kind,
        actor_label=ACTOR,
        extra={"event_id": event_id},
        today=on,
        trigger=key,
    )
    log.info("letter %s for case %s: document %s", key, case.reference, document.id)
