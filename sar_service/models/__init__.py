"""All models, imported here so metadata and Alembic see every table."""

from sar_service.models.case import Case, CaseEvent, CaseType, ClockEvent, ReferenceCounter
from sar_service.models.document import Document
from sar_service.models.draft import Draft
from sar_service.models.note import CaseNote
from sar_service.models.notice import PrivacyNotice
from sar_service.models.outbox import OutboxJob
from sar_service.models.portal import EvidenceUpload
from sar_service.models.recovery import RecoveryCode
from sar_service.models.school import CalendarEntry, School
from sar_service.models.user import ApiToken, Membership, User

__all__ = [
    "ApiToken",
    "CalendarEntry",
    "Case",
    "CaseEvent",
    "CaseNote",
    "CaseType",
    "ClockEvent",
    "Document",
    "Draft",
    "EvidenceUpload",
    "Membership",
    "OutboxJob",
    "PrivacyNotice",
    "RecoveryCode",
    "ReferenceCounter",
    "School",
    "User",
]
