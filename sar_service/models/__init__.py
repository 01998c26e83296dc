"""All models, imported here so metadata and Alembic see every table."""

from sar_service.models.case import Case, CaseEvent, CaseType, ClockEvent, ReferenceCounter
from sar_service.models.outbox import OutboxJob
from sar_service.models.school import CalendarEntry, School
from sar_service.models.user import ApiToken, Membership, User

__all__ = [
    "ApiToken",
    "CalendarEntry",
    "Case",
    "CaseEvent",
    "CaseType",
    "ClockEvent",
    "Membership",
    "OutboxJob",
    "ReferenceCounter",
    "School",
    "User",
]
