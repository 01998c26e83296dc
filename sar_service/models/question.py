"""Questions the conversation could not answer from the privacy notice, passed to the school.

A parent's question is personal data (it may name their child, and it carries the
parent's email address when they gave one): who may read it is decided in
``sar_service.cases.visibility``, and answered or closed questions are deleted by the
retention sweep (``sar_service.oversight.retention``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime

OPEN, ANSWERED, CLOSED = "open", "answered", "closed"
STATUSES = (OPEN, ANSWERED, CLOSED)


class ParentQuestion(Base):
    """One question a parent asked the school through the conversation."""

    __tablename__ = "parent_questions"
    __table_args__ = (Index("ix_parent_questions_school_status", "school_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    #: The page language the parent asked in: the answer email's wording is in it.
    language: Mapped[str] = mapped_column(String(20), default="en")
    #: Empty: the parent gave no address, so the school cannot reply.
    email: Mapped[str] = mapped_column(String(200), default="")
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    #: The answer emailed to the parent, or why it was closed without a reply.
    answer: Mapped[str] = mapped_column(Text, default="")
    close_reason: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str] = mapped_column(String(200), default="")
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: The email carrying the answer (its delivery truth: sent, Message-ID, failed).
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), nullable=True
    )

    @property
    def can_reply(self) -> bool:
        return bool(self.email)
