"""Reminders, escalations, chases and digests: each one a row with a unique key before it is
an email, so planning it twice is one row and sending it twice is noticed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime

PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"
#: A worker died after DATA began: the server may or may not have it; never sent again by
#: itself, a person decides (``notify.problems.resend``).
UNKNOWN = "unknown"
STATUSES = (PENDING, SENDING, SENT, FAILED, CANCELLED, UNKNOWN)
#: Statuses that end a row's life: the job leaves it alone.
SETTLED = (SENT, FAILED, CANCELLED, UNKNOWN)

REMINDER, OVERDUE, EXTENSION_DECISION, ID_CHASE, DIGEST = (
    "reminder",
    "overdue",
    "extension_decision",
    "id_chase",
    "digest",
)
#: A member of staff wrote to the parent on the case (an email with a portal link).
MESSAGE_TO_PARENT = "message_to_parent"
#: A letter sent by email (the email is the letter; ``sar_service.letters.sending``).
LETTER = "letter"
#: The questions inbox: an answer emailed to a parent; the DPOs' daily "questions waiting".
QUESTION_ANSWER, QUESTIONS_WAITING = "question_answer", "questions_waiting"
#: To the assignee (else the DPOs) when the parent writes through the portal: a link only.
PARENT_MESSAGE = "parent_message"
#: To the parent when documents are released in the portal (records.release).
DOCUMENTS_RELEASED = "documents_released"
GATHERING_TASK = "gathering_task"
ACKNOWLEDGEMENT, PORTAL_LINK, DRAFT_RESUME, PASSWORD_LINK = (
    "acknowledgement",
    "portal_link",
    "draft_resume",
    "password_link",
)
KINDS = (
    REMINDER,
    OVERDUE,
    EXTENSION_DECISION,
    ID_CHASE,
    DIGEST,
    MESSAGE_TO_PARENT,
    LETTER,
    QUESTION_ANSWER,
    QUESTIONS_WAITING,
    ACKNOWLEDGEMENT,
    PORTAL_LINK,
    DRAFT_RESUME,
    PASSWORD_LINK,
    GATHERING_TASK,
    DOCUMENTS_RELEASED,
    PARENT_MESSAGE,
)


class Notification(Base):
    """One email: planned by the sweep or queued by an action (``notify.immediate``).

    ``key`` says what makes it unique, e.g.
    ``reminder:42:2026-03-13:7wd`` (case 42, due 13 March, 7 working days before)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_case_kind_due", "case_id", "kind", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), nullable=True
    )
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), nullable=True
    )
    #: One address, or several separated by ", " (all the school's DPOs).
    recipient_email: Mapped[str] = mapped_column(Text, default="")
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    #: The due date the message is about (the week's Monday for a digest).
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: Committed with "sending", just before DATA: the one message this row ever sends.
    message_id: Mapped[str] = mapped_column(String(250), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    sending_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
