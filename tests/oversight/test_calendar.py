"""Deadline calendar: the secret iCalendar feed (parsed back with icalendar) and the month view."""

from __future__ import annotations

import re
from datetime import date

from icalendar import Calendar

from tests.staff.conftest import sign_in_as


def _new_link(web) -> str:
    page = web.post("/staff/calendar/link")
    assert page.status_code == 200
    return re.search(r'<code id="feed-link">([^<]+)</code>', page.text).group(1)


def test_feed_lists_due_and_target_dates_and_can_be_revoked(web, team, term, client):
    sign_in_as(web, team, "caseworker")
    link = _new_link(web)
    path = link.split("127.0.0.1:5000", 1)[-1]
    feed = client.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    events = Calendar.from_ical(feed.data).walk("VEVENT")
    by_summary = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in events}
    ref = term.overdue.reference
    assert by_summary[f"{ref} response due (Oakfield School)"] == date(2026, 6, 1)
    # five working days before (Monday 25 May 2026 is a bank holiday)
    target = by_summary[f"{ref} target: to the DPO for sign-off (Oakfield School)"]
    assert target == date(2026, 5, 22)
    assert all("Hart" not in s for s in by_summary)  # no child or requester in a calendar
    assert term.elsewhere.reference not in " ".join(by_summary) or all(
        "Beech" not in s for s in by_summary
    )
    # a new link revokes the old one; turning it off revokes it too
    newer = _new_link(web).split("127.0.0.1:5000", 1)[-1]
    assert client.get(path).status_code == 404
    assert client.get(newer).status_code == 200
    web.post("/staff/calendar/link/revoke")
    assert client.get(newer).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_month_view(web, team, term):
    sign_in_as(web, team, "viewer")
    page = web.get("/staff/calendar?month=2026-07")
    assert page.status_code == 200
    assert f"{term.fresh.reference} response due" in page.text
    assert "July 2026" in page.text
    bad = web.get("/staff/calendar?month=soon")
    assert bad.status_code == 200 and "YYYY-MM" in bad.text
