"""Accountability records that outlive the cases they describe.

``AuditEntry`` is the append-only log across cases (who did what, when), and
``RegisterEntry`` is the register line a case leaves behind when retention
purges it. Neither holds personal data about the requester or the child, so
both may be kept after the case file is gone. ``CalendarFeed`` is a staff
member's secret iCalendar link (only its hash is stored).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime
from sar_service.models.case import Case, ClockEvent

#: The kinds of audit entry, as the audit page filters them.
AUDIT_KINDS = {
    "transition": "Case action",
    "case": "Case record",
    "letter": "Letter",
    "download": "Download",
    "login": "Sign-in",
    "settings": "Settings change",
    "template": "Letter wording",
    "export": "Export",
    "purge": "Retention purge",
    "calendar": "Calendar link",
    "question": "Parent question",
}


class AuditEntry(Base):
    """One thing someone did. Rows are only ever inserted (guarded here and by a trigger)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_school_at", "school_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)
    school_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    actor_label: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), index=True)
    action: Mapped[str] = mapped_column(String(60))
    case_reference: Mapped[str] = mapped_column(String(30), default="", index=True)
    summary: Mapped[str] = mapped_column(String(300), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RegisterEntry(Base):
    """The register line of a purged case: reference, types, dates and outcome, no names."""

    __tablename__ = "register_entries"
    __table_args__ = (
        Index("uq_register_school_reference", "school_id", "reference", unique=True),
        Index(
            "ix_register_entries_received_reference", "received_on", "reference", "school_id", "id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    reference: Mapped[str] = mapped_column(String(30))
    types: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(20), default="")
    language: Mapped[str] = mapped_column(String(16), default="en")
    received_on: Mapped[date] = mapped_column(Date)
    clock_started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    responded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_days: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(40), default="")
    late_days: Mapped[int] = mapped_column(Integer, default=0)
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class CalendarFeed(Base):
    """A staff member's iCalendar link; a new link revokes the old one."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


#: The register pages newest first over live and purged cases together; the figures count
#: clarification pauses. Declared here, beside the queries that need them.
Index("ix_cases_received_reference", Case.received_on, Case.reference, Case.school_id, Case.id)
Index("ix_clock_events_kind_case", ClockEvent.kind, ClockEvent.case_id)
#: Every column the figures read, so PostgreSQL answers them from the index alone (an eighth
#: of the table's pages) instead of scanning the wide case rows.
FIGURES_COLUMNS = (
    "school_id", "status", "received_on", "responded_on", "due_date", "next_due_date",
    "extended", "channel", "language", "id",
)  # fmt: skip
Index("ix_cases_figures", *(Case.__table__.c[name] for name in FIGURES_COLUMNS))


@event.listens_for(AuditEntry, "before_update")
def _no_audit_update(_mapper, _conn, target: AuditEntry) -> None:
    raise ValueError(f"the audit log is append-only (entry {target.id})")


@event.listens_for(AuditEntry, "before_delete")
def _no_audit_delete(_mapper, _conn, target: AuditEntry) -> None:
    raise ValueError(f"the audit log is append-only (entry {target.id})")


#: The database refuses changes too, whatever client writes (kept in step with the migration).
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)
POSTGRES_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
)

for _sql in SQLITE_TRIGGERS:
    event.listen(AuditEntry.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
for _sql in POSTGRES_TRIGGERS:
    event.listen(AuditEntry.__table__, "after_create", DDL(_sql).execute_if(dialect="postgresql"))


def _case_event_kind(action: str, has_statuses: bool) -> str:
    if has_statuses:
        return "transition"
    if action.startswith("letter"):
        return "letter"
    if action.endswith("downloaded"):
        return "download"
    return "case"


def _mirror_case_event(_mapper, conn, target) -> None:
    """Every case event also lands in the audit log, with the case's reference (not its id),
    so the entry survives the case's purge. The free-text reason stays on the case."""
    from sqlalchemy import insert, select

    moved = bool(target.from_status and target.to_status and target.from_status != target.to_status)
    summary = target.action.replace("_", " ")
    if moved:
        summary += f": {target.from_status} → {target.to_status}"
    ref = select(Case.reference).where(Case.id == target.case_id).scalar_subquery()
    school = select(Case.school_id).where(Case.id == target.case_id).scalar_subquery()
    conn.execute(
        insert(AuditEntry.__table__).values(  # type: ignore[arg-type]
            at=target.at or now(),
            school_id=school,
            actor_id=target.actor_id,
            actor_label=target.actor_label or "",
            kind=_case_event_kind(target.action, bool(target.from_status and target.to_status)),
            action=target.action[:60],
            case_reference=ref,
            summary=summary[:300],
            data={"effective_on": target.effective_on.isoformat() if target.effective_on else None},
        )
    )


def install_case_event_mirror(case_event_cls) -> None:
    event.listen(case_event_cls, "after_insert", _mirror_case_event)
