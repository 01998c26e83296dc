"""Documents delivered another way than the portal (post, in person, secure email).

Recording one is the ``record_delivery`` action of the state machine (so the API and the
case page have it too); the review page's release area offers it beside "release". It is
what lets "response sent" be recorded for an access or educational-record case whose
bundle was not released in the portal (``workflows.guards.response_delivered``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.models import Case
from sar_service.models.release import Delivery


def deliveries(session: Session, case: Case) -> list[Delivery]:
    return list(
        session.scalars(select(Delivery).where(Delivery.case_id == case.id).order_by(Delivery.id))
    )
