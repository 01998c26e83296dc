"""Deadline calendars: each staff member's secret iCalendar feed and the month view.

The feed lists the statutory due dates of the open cases at the person's
schools, and an internal target date a few working days earlier (when the
response should go to the DPO for sign-off; ``internal_target_days`` in the
school's settings, default 5). Events carry the case reference only: calendar
apps sync to other companies' servers, so no child or requester is named.
The link's token is stored hashed; a new link revokes the old one.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sar_service.cases.clocks import working_calendar
from sar_service.clock import now
from sar_service.models import CalendarFeed, Case, School, User
from workflows.states import ACTIVE

DEFAULT_TARGET_DAYS = 5


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_feed(session: Session, user: User) -> str:
    """A new secret link token for ``user``; any earlier link stops working."""
    revoke(session, user)
    token = secrets.token_urlsafe(32)
    session.add(CalendarFeed(user_id=user.id, token_hash=_hash(token)))
    return token


def revoke(session: Session, user: User) -> None:
    session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked.is_(False))
        .values(revoked=True)
    )


def has_feed(session: Session, user: User) -> bool:
    return (
        session.scalar(
            select(CalendarFeed.id).where(
                CalendarFeed.user_id == user.id, CalendarFeed.revoked.is_(False)
            )
        )
        is not None
    )


def user_for_token(session: Session, token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    user = session.scalar(
        select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_hash == _hash(token), CalendarFeed.revoked.is_(False))
    )
    return user if user is not None and user.is_active else None


def working_days_before(day: date, n: int) -> date:
    cal = working_calendar()
    while n > 0:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            n -= 1
    return day


@dataclass(frozen=True)
class Deadline:
    on: date
    kind: str  # "due" | "school_days_due" | "target"
    reference: str
    school_slug: str
    school_name: str
    case_id: int

    @property
    def title(self) -> str:
        what = {
            "due": "response due",
            "school_days_due": "educational record due",
            "target": "target: to the DPO for sign-off",
        }[self.kind]
        return f"{self.reference} {what}"


def deadlines(
    session: Session, user: User, start: date | None = None, end: date | None = None
) -> list[Deadline]:
    """Due and target dates of open cases at the user's schools (optionally in a window)."""
    ids = user.school_ids or [-1]
    rows = session.execute(
        select(
            Case.id,
            Case.reference,
            Case.due_date,
            Case.school_days_due_date,
            School.slug,
            School.name,
            School.settings,
        )  # fmt: skip
        .join(School, School.id == Case.school_id)
        .where(Case.school_id.in_(ids), Case.status.in_([s.value for s in ACTIVE]))
        .order_by(Case.due_date, Case.reference)
    ).all()
    out = []
    for r in rows:
        days = int((r.settings or {}).get("internal_target_days", DEFAULT_TARGET_DAYS))
        found = []
        if r.due_date:
            found.append((r.due_date, "due"))
            found.append((working_days_before(r.due_date, days), "target"))
        if r.school_days_due_date:
            found.append((r.school_days_due_date, "school_days_due"))
        for on, kind in found:
            if (start is None or on >= start) and (end is None or on <= end):
                out.append(Deadline(on, kind, r.reference, r.slug, r.name, r.id))
    return sorted(out, key=lambda d: (d.on, d.reference, d.kind))


def ics(items: list[Deadline], base_url: str, stamp: datetime | None = None) -> bytes:
    """The feed as an RFC 5545 calendar of all-day events."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//SAR Service//Deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "SAR deadlines")
    stamp = stamp or now()
    for d in items:
        ev = Event()
        ev.add("uid", f"{d.kind}-{d.case_id}-{d.on.isoformat()}@sar-service")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", d.on)
        ev.add("dtend", d.on + timedelta(days=1))
        ev.add("summary", f"{d.title} ({d.school_name})")
        ev.add("url", f"{base_url.rstrip('/')}/staff/cases/{d.school_slug}/{d.reference}")
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical()
