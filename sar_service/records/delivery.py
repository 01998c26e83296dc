"""Documents delivered another way than the portal (post, in person, secure email).

Recording one, with the day it happened, is what lets "response sent" be recorded for an
access or educational-record case whose bundle was not released in the portal
(``workflows.guards.response_delivered``). Recorded on the case timeline; the staff note
(e.g. a tracking number) stays on the row, never in the event's reason.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.clock import today
from sar_service.models import Case, CaseEvent
from sar_service.models.release import DELIVERY_VIAS, Delivery
from sar_service.records.release import RELEASABLE

MAX_NOTE = 500


class DeliveryError(ValueError):
    """Why the delivery cannot be recorded; ``field`` names the form input."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def parse_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def record(
    session: Session, case: Case, via: str, on: object, actor: str, note: str = ""
) -> Delivery:
    """Validate and record a delivery (the caller commits)."""
    if case.status not in RELEASABLE:
        raise DeliveryError(
            "Send the case for DPO sign-off before recording how the documents were delivered.",
            "delivery-via",
        )
    if via not in DELIVERY_VIAS:
        raise DeliveryError(
            "Choose how the documents were delivered: by post, in person or by secure email.",
            "delivery-via",
        )
    day = parse_date(on)
    if day is None:
        raise DeliveryError("Give the day they were delivered as a date.", "delivery-on")
    if day > today() or day < case.received_on:
        raise DeliveryError(
            "The day must be after the request was received and not in the future.",
            "delivery-on",
        )
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DeliveryError(f"Keep the note to {MAX_NOTE} characters or fewer.", "delivery-note")
    row = Delivery(case_id=case.id, via=via, delivered_on=day, note=note, recorded_by=actor)
    session.add(row)
    session.flush()
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_label=actor,
            action="documents_delivered",
            effective_on=day,
            reason=f"Documents delivered {DELIVERY_VIAS[via].lower()}",
            data={"delivery_id": row.id, "via": via, "delivered_on": day.isoformat()},
        )
    )
    return row


def deliveries(session: Session, case: Case) -> list[Delivery]:
    return list(
        session.scalars(select(Delivery).where(Delivery.case_id == case.id).order_by(Delivery.id))
    )
