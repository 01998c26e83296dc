"""The deadline calendar in the workspace: a month of due and target dates, and the
person's secret iCalendar link (create, replace, revoke)."""

from __future__ import annotations

import calendar as months
from datetime import date

from flask import render_template, request, url_for

from sar_service.clock import today
from sar_service.db import session
from sar_service.oversight import audit, calendar
from sar_service.staff import bp
from sar_service.staff.access import me


def _month(raw: str | None) -> tuple[date, str | None]:
    first = today().replace(day=1)
    if not raw:
        return first, None
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1), None
    except ValueError:
        return first, f"'{raw}' is not a month written as YYYY-MM; showing this month."


def _shift(first: date, by: int) -> date:
    index = first.year * 12 + first.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def _render(new_link: str | None = None):
    user = me()
    first, problem = _month(request.args.get("month"))
    weeks = months.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    items = calendar.deadlines(session(), user, weeks[0][0], weeks[-1][-1])
    by_day: dict[date, list] = {}
    for item in items:
        by_day.setdefault(item.on, []).append(item)
    return render_template(
        "staff/calendar.html",
        first=first,
        weeks=weeks,
        by_day=by_day,
        items=[i for i in items if i.on.month == first.month],
        problem=problem,
        previous=_shift(first, -1),
        following=_shift(first, 1),
        today=today(),
        has_feed=calendar.has_feed(session(), user),
        new_link=new_link,
    )


@bp.get("/calendar")
def calendar_page():
    return _render()


def _record(user, action: str, summary: str) -> None:
    s = session()
    for school_id in user.school_ids:
        audit.record(s, "calendar", action, user=user, school_id=school_id, summary=summary)


@bp.post("/calendar/link")
def calendar_link():
    """A new secret link (shown once); the old one stops working."""
    user = me()
    s = session()
    token = calendar.issue_feed(s, user)
    _record(user, "calendar_link_created", "Created a calendar link (any earlier one revoked)")
    s.commit()
    return _render(url_for("feeds.calendar_feed", token=token, _external=True))


@bp.post("/calendar/link/revoke")
def calendar_link_revoke():
    user = me()
    s = session()
    calendar.revoke(s, user)
    _record(user, "calendar_link_revoked", "Revoked their calendar link")
    s.commit()
    return _render()
