"""Writing to and reading from the append-only audit log.

Case events mirror themselves into the log (``models.oversight``); this module
records what happens outside a case's own history: sign-ins, downloads,
settings and letter-wording changes, exports, purges. Entries name people by
their staff label and cases by reference, never the child or the requester.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sar_service.clock import LONDON
from sar_service.models import AuditEntry, User


def record(
    session: Session,
    kind: str,
    action: str,
    *,
    user: User | None = None,
    actor_label: str = "",
    school_id: int | None = None,
    case_reference: str = "",
    summary: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Add one entry to the session (the caller commits with the change it describes)."""
    label = actor_label or (f"{user.name} ({user.email})" if user is not None else "System")
    entry = AuditEntry(
        kind=kind,
        action=action[:60],
        actor_id=user.id if user is not None else None,
        actor_label=label[:200],
        school_id=school_id,
        case_reference=case_reference or "",
        summary=(summary or action.replace("_", " "))[:300],
        data=data or {},
    )
    session.add(entry)
    return entry


@dataclass
class AuditFilter:
    user: str = ""
    case: str = ""
    kind: str = ""
    school: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), LONDON)


def query(school_ids: list[int], f: AuditFilter) -> Select:
    """Entries at the given schools (and the user's own sign-ins), newest first."""
    q = select(AuditEntry).where(AuditEntry.school_id.in_(school_ids or [-1]))
    if f.school is not None:
        q = q.where(AuditEntry.school_id == f.school)
    if f.user:
        q = q.where(AuditEntry.actor_label.ilike(f"%{_escape(f.user)}%", escape="\\"))
    if f.case:
        q = q.where(AuditEntry.case_reference.ilike(f"%{_escape(f.case)}%", escape="\\"))
    if f.kind:
        q = q.where(AuditEntry.kind == f.kind)
    if f.date_from:
        q = q.where(AuditEntry.at >= _start_of(f.date_from))
    if f.date_to:
        q = q.where(AuditEntry.at < _start_of(f.date_to + timedelta(days=1)))
    return q.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
