"""Mailbox imports and the triage of each document they produce.

One upload (an mbox, .eml or .msg files, or a zip of them) becomes a
``MailImport`` processed in the background; every message and attachment is a
gathered Document with a ``MailItem`` saying which thread it is in, whether it
duplicates another, and whether it was set aside as not mentioning the pupil.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime

IMPORT_STATUSES = ("queued", "running", "done", "failed")
COLLAPSE_REASONS = {
    "exact_duplicate": "Exact duplicate of another message (e.g. the same email in two mailboxes)",
    "near_duplicate": "Same text as another message apart from headers or spacing",
    "quoted_in_later": "Quoted in full in a later message of the thread",
}


class MailImport(Base):
    """One mailbox upload and its progress; ``skipped`` lists what was refused and why."""

    __tablename__ = "mail_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    source_name: Mapped[str] = mapped_column(String(160), default="")
    status: Mapped[str] = mapped_column(String(10), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    attachments: Mapped[int] = mapped_column(Integer, default=0)
    threads: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    set_aside: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[list[Any]] = mapped_column(JSON, default=list)
    search_terms: Mapped[list[Any]] = mapped_column(JSON, default=list)
    error: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


class MailItem(Base):
    """Triage of one gathered document from a mailbox (a message or one of its attachments)."""

    __tablename__ = "mail_items"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("mail_imports.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), nullable=True
    )
    message_id: Mapped[str] = mapped_column(String(300), default="")
    thread_key: Mapped[str] = mapped_column(String(64), default="", index=True)
    subject: Mapped[str] = mapped_column(String(300), default="")
    sender: Mapped[str] = mapped_column(String(300), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
    )
    collapse_reason: Mapped[str] = mapped_column(String(20), default="")
    set_aside_reason: Mapped[str] = mapped_column(Text, default="")
    #: The school's decision: None follows the triage, True includes, False leaves out.
    included: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)

    @property
    def left_out(self) -> bool:
        """Collapsed or set aside, unless the school chose to include it after all."""
        if self.included is not None:
            return not self.included
        return bool(self.collapse_reason or self.set_aside_reason)


class SafeguardingSignoff(Base):
    """A gathered document tagged as safeguarding: the DSL must sign it off before release."""

    __tablename__ = "safeguarding_signoffs"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    tagged_by: Mapped[str] = mapped_column(String(200), default="")
    tagged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    signed_off_by: Mapped[str] = mapped_column(String(200), default="")
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ReviewSettings(Base):
    """A school's review rules; ``second_reviewer``: whoever redacted may not release."""

    __tablename__ = "review_settings"

    school_id: Mapped[int] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True
    )
    second_reviewer: Mapped[bool] = mapped_column(Boolean, default=False)


class DocumentCheck(Base):
    """Something to check before release (e.g. maybe about another child with the same name)."""

    __tablename__ = "document_checks"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    settled_by: Mapped[str] = mapped_column(String(200), default="")
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
