"""All models, imported here so metadata and Alembic see every table."""

from sar_service.models.case import (
    Case,
    CaseClock,
    CaseEvent,
    CaseType,
    ClockEvent,
    ReferenceCounter,
)
from sar_service.models.document import Document
from sar_service.models.draft import Draft
from sar_service.models.inventory import DataSource, GatheredDocument, GatheringTask
from sar_service.models.letter_template import LetterTemplate
from sar_service.models.mailbox import (
    DocumentCheck,
    MailImport,
    MailItem,
    ReviewSettings,
    SafeguardingSignoff,
)
from sar_service.models.message import CaseMessage
from sar_service.models.note import CaseNote
from sar_service.models.notice import PrivacyNotice
from sar_service.models.notification import Notification
from sar_service.models.outbox import OutboxJob
from sar_service.models.oversight import (
    AuditEntry,
    CalendarFeed,
    RegisterEntry,
    install_case_event_mirror,
)
from sar_service.models.portal import EvidenceUpload
from sar_service.models.question import ParentQuestion
from sar_service.models.recovery import RecoveryCode
from sar_service.models.release import BundleItem, Delivery
from sar_service.models.review import Bundle, RedactionDecision, Withholding
from sar_service.models.roll import MisRecord, RollPerson
from sar_service.models.school import CalendarEntry, School
from sar_service.models.user import ApiToken, Membership, StaffSession, User

install_case_event_mirror(CaseEvent)

__all__ = [
    "ApiToken",
    "StaffSession",
    "AuditEntry",
    "Bundle",
    "BundleItem",
    "CalendarFeed",
    "CalendarEntry",
    "Case",
    "CaseClock",
    "CaseEvent",
    "CaseMessage",
    "CaseNote",
    "CaseType",
    "ClockEvent",
    "DataSource",
    "Delivery",
    "Document",
    "DocumentCheck",
    "Draft",
    "EvidenceUpload",
    "GatheredDocument",
    "GatheringTask",
    "LetterTemplate",
    "MailImport",
    "MailItem",
    "ReviewSettings",
    "SafeguardingSignoff",
    "Membership",
    "MisRecord",
    "Notification",
    "OutboxJob",
    "ParentQuestion",
    "PrivacyNotice",
    "RecoveryCode",
    "RedactionDecision",
    "ReferenceCounter",
    "RegisterEntry",
    "RollPerson",
    "School",
    "User",
    "Withholding",
]
