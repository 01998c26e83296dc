"""Review of gathered records: redaction decisions, withholdings, disclosure bundles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime

DECISIONS = ("pending", "accepted", "rejected")
BUNDLE_STATUSES = ("queued", "building", "ready", "failed")

#: The exemptions schools meet most (docs/legal.md); every withholding names one.
EXEMPTIONS = {
    "third_party": "Third-party data (other pupils, parents or staff)",
    "serious_harm": "Serious harm (education or social work data)",
    "child_abuse": "Child-abuse data, not in the child's best interests",
    "exam_scripts": "Exam scripts",
    "exam_marks": "Exam marks requested before results are announced",
    "confidential_reference": "Confidential reference",
    "legal_privilege": "Legal professional privilege",
}

#: How a response letter names each exemption: the grounds in general terms (LEGAL.md).
LETTER_GROUNDS = {
    "third_party": "information about other people",
    "serious_harm": "information whose disclosure would be likely to cause serious harm",
    "child_abuse": "child abuse data that it is not in the child's best interests to disclose",
    "exam_scripts": "exam scripts",
    "exam_marks": "exam marks requested before the results are announced",
    "confidential_reference": "confidential references",
    "legal_privilege": "legal professional privilege",
}

#: Exemptions where even saying information was withheld may cause harm: the school may
#: choose to say nothing about them in the letter (recorded on the withholding).
MAY_SAY_NOTHING = frozenset({"serious_harm", "child_abuse"})


class RedactionDecision(Base):
    """One suggestion on one document and what a reviewer decided ("pending" until then)."""

    __tablename__ = "redaction_decisions"
    __table_args__ = (UniqueConstraint("document_id", "key", name="uq_redaction_decision_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(32))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    #: The ground for an accepted redaction (a key of EXEMPTIONS); third_party by default.
    exemption: Mapped[str] = mapped_column(String(40), default="")
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Withholding(Base):
    """Information withheld, the exemption relied on and why; a whole document or not."""

    __tablename__ = "withholdings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
    )
    exemption: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    #: The school chose to say nothing about this in the letter (serious harm, child abuse).
    say_nothing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Bundle(Base):
    """One build of the disclosure bundle; progress is written as the job goes."""

    __tablename__ = "bundles"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
    )
    error: Mapped[str] = mapped_column(Text, default="")
    #: The same documents as one PDF with an index and a bookmark each (phones open it).
    pdf_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
    )
    requested_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
