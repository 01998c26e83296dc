"""Cases, their request types, clock events and the append-only audit trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime
from sar_service.models.school import School
from sar_service.models.user import User


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("school_id", "reference", name="uq_case_reference"),
        Index("ix_cases_school_status_due", "school_id", "status", "next_due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    reference: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    paused_from_status: Mapped[str | None] = mapped_column(String(30), nullable=True)
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    received_on: Mapped[date] = mapped_column(Date)

    requester_name: Mapped[str] = mapped_column(String(200))
    requester_email: Mapped[str] = mapped_column(String(254), default="")
    requester_phone: Mapped[str] = mapped_column(String(40), default="")
    requester_address: Mapped[str] = mapped_column(Text, default="")
    relationship_to_subject: Mapped[str] = mapped_column(String(30))
    subject_name: Mapped[str] = mapped_column(String(200))
    subject_dob: Mapped[date | None] = mapped_column(Date, nullable=True)
    subject_year_group: Mapped[str] = mapped_column(String(30), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    competence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    # Caches of workflows.deadlines, recomputed on every transition.
    clock_started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    school_days_due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    next_due_date: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The first day any clock of the case was overdue; never cleared (the register keeps it).
    was_overdue_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    responded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    outcome: Mapped[str] = mapped_column(String(40), default="")
    portal_token_epoch: Mapped[int] = mapped_column(Integer, default=0)
    # Retention never purges a case under legal hold (litigation, an ICO investigation).
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # "Needs a look" (``sar_service.cases.look``): a request that may not be genuine is kept
    # out of reminders until a person decides; its clock still runs from receipt.
    needs_look: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    look_reasons: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    #: "" undecided (or never flagged) | "genuine" | "not_a_request"
    look_decision: Mapped[str] = mapped_column(String(20), default="", server_default="")
    #: When the requester pressed "confirm it was you" in the acknowledgement email.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: "" or why an email about the case needs a person: "bounced" (the server refused the
    #: address), "failed" (still not sent after the last attempt), "unknown" (a worker died
    #: while the server was receiving it). Set and cleared by ``notify.problems``.
    email_problem: Mapped[str] = mapped_column(String(20), default="", server_default="")

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, onupdate=now)

    __mapper_args__ = {"version_id_col": version}

    school: Mapped[School] = relationship(lazy="joined")
    assignee: Mapped[User | None] = relationship(lazy="joined")
    type_rows: Mapped[list[CaseType]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CaseType.id"
    )
    clock_events: Mapped[list[ClockEvent]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ClockEvent.id"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        cascade="all, delete-orphan", order_by="CaseEvent.id", viewonly=False
    )
    clock_rows: Mapped[list[CaseClock]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CaseClock.id"
    )

    @property
    def types(self) -> list[str]:
        return [row.type for row in self.type_rows]


class CaseType(Base):
    """One right invoked by a case; a table so queues can filter by type on any database."""

    __tablename__ = "case_types"
    __table_args__ = (UniqueConstraint("case_id", "type", name="uq_case_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(30), index=True)


class CaseClock(Base):
    """One clock a case runs (a rule and the rights it covers): its latest computed date,
    and the day it was first overdue, which later events never clear."""

    __tablename__ = "case_clocks"
    __table_args__ = (UniqueConstraint("case_id", "kind", "types", name="uq_case_clock"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    types: Mapped[str] = mapped_column(String(200))  # comma-separated request types
    due_date: Mapped[date] = mapped_column(Date)
    paused_days: Mapped[int] = mapped_column(Integer, default=0)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    was_overdue_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)


class ClockEvent(Base):
    """A dated fact the statutory clocks depend on (received, ID verified, paused…)."""

    __tablename__ = "clock_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    #: Who recorded it: a date in the past is a claim, and the record keeps whose.
    recorded_by: Mapped[str] = mapped_column(String(200), default="")


class CaseEvent(Base):
    """The audit trail: who did what to a case, when, from which state to which, and why."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(30), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(30), nullable=True)
    effective_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ReferenceCounter(Base):
    """The last case number issued per school and year (SAR-2026-0001, -0002…)."""

    __tablename__ = "reference_counters"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


@event.listens_for(CaseEvent, "before_update")
def _audit_is_append_only(_mapper, _conn, target: CaseEvent) -> None:
    raise ValueError(f"audit events are append-only (event {target.id})")
