"""A school's data inventory and the gathering tasks a case creates from it.

The checklist of tasks (what was searched, by whom, with what result) is the
record of a reasonable and proportionate search (Art 15(1A)).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime
from sar_service.models.user import User

SYSTEM_KINDS = (
    "mis",
    "safeguarding",
    "sen",
    "medical",
    "assessment",
    "email",
    "photos",
    "cctv",
    "paper",
    "other",
)
TASK_STATUSES = ("open", "uploaded", "nothing_held", "dropped")


class DataSource(Base):
    """A system or place where pupil data lives, with the person who can search it."""

    __tablename__ = "data_sources"
    __table_args__ = (UniqueConstraint("school_id", "name", name="uq_data_source_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    system_kind: Mapped[str] = mapped_column(String(20), default="other")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    categories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    owner: Mapped[User | None] = relationship(lazy="joined")


class GatheringTask(Base):
    """ "Find what you hold about this pupil" for one source on one case."""

    __tablename__ = "gathering_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("data_sources.id", ondelete="SET NULL"), nullable=True
    )
    source_name: Mapped[str] = mapped_column(String(120))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    drop_reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    completed_by: Mapped[str] = mapped_column(String(200), default="")

    assignee: Mapped[User | None] = relationship(lazy="joined")


class GatheredDocument(Base):
    """Where a gathered document came from (a task's source, the MIS, a member of staff)."""

    __tablename__ = "gathered_documents"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("gathering_tasks.id", ondelete="SET NULL"), nullable=True
    )
    source_name: Mapped[str] = mapped_column(String(160))
    file_kind: Mapped[str] = mapped_column(String(10))  # txt, eml, csv, html, docx, pdf, png…
