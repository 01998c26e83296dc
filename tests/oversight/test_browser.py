"""In Chromium: the dashboard with and without JavaScript, and the calendar; axe-core on each."""

from __future__ import annotations

from datetime import date, timedelta

import pyotp
import pytest

from tests.browser_support import assert_accessible, browser, live_server  # noqa: F401
from tests.oversight.conftest import to_response

pytestmark = pytest.mark.browser


@pytest.fixture
def some_cases(factory, team, db):
    today = date.today()
    answered = factory.case(team.school, today - timedelta(days=60))
    to_response(db, answered, today - timedelta(days=40))
    late = factory.case(team.school, today - timedelta(days=80))
    to_response(db, late, today - timedelta(days=30), "A member of staff was away")
    overdue = factory.case(team.school, today - timedelta(days=45), channel="letter")
    fresh = factory.case(team.school, today - timedelta(days=2))
    return answered, late, overdue, fresh


def _sign_in(page, base, staff, secret):
    page.goto(base + "/staff/")
    page.get_by_label("Email address").fill(staff.user.email)
    page.get_by_label("Password").fill(staff.password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Case queue").wait_for()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_dashboard_reads_at_a_glance(live_server, browser, team, some_cases, javascript):  # noqa: F811
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    try:
        _sign_in(page, live_server, team.dpo, team.dpo_secret)
        page.get_by_role("link", name="Dashboard").click()
        page.get_by_role("heading", name="Dashboard", exact=True).wait_for()
        charts = page.locator("svg[role=img]")
        assert charts.count() >= 6 and charts.first.is_visible()
        # each chart's numbers are in a table a screen reader can read
        days = page.get_by_role("table", name="Open cases by days left (table)")
        assert "Overdue" in days.inner_text()
        assert page.locator(".figures").get_by_text("Overdue now").is_visible()
        assert some_cases[2].reference in page.get_by_role("main").inner_text()
        # the period form works as a plain GET form
        page.get_by_label("From").fill((date.today() - timedelta(days=50)).isoformat())
        page.get_by_role("button", name="Show figures").click()
        page.get_by_role("heading", name="Dashboard", exact=True).wait_for()
        assert "from=" in page.url
        if javascript:
            assert_accessible(page)
            page.get_by_role("link", name="Governors' report").click()
            page.get_by_role("heading", name="In brief").wait_for()
            assert_accessible(page)
    finally:
        context.close()


def test_calendar_month_view(live_server, browser, team, some_cases):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _sign_in(page, live_server, team.dpo, team.dpo_secret)
        page.get_by_role("link", name="Calendar").click()
        page.get_by_role("heading", name="Deadline calendar").wait_for()
        assert_accessible(page)
        fresh = some_cases[3]
        due = fresh.due_date
        month = due.strftime("%Y-%m")
        page.goto(f"{live_server}/staff/calendar?month={month}")
        assert page.get_by_role("link", name=f"{fresh.reference} response due").first.is_visible()
        page.get_by_role("button", name="Create my calendar link").click()
        assert "/calendar/" in page.locator("#feed-link").inner_text()
        assert_accessible(page)
    finally:
        context.close()
