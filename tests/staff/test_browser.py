"""In Chromium: sign in with TOTP, find a case, extend it; axe-core on every main page."""

from __future__ import annotations

from datetime import date, timedelta

import pyotp
import pytest

from sar_service.models import Case
from tests.browser_support import assert_accessible
from workflows.calendars import long_date

pytestmark = pytest.mark.browser


def _sign_in(page, base, staff, secret):
    page.goto(base + "/staff/")
    assert_accessible(page)
    page.get_by_label("Email address").fill(staff.user.email)
    page.get_by_label("Password").fill(staff.password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Case queue").wait_for()


def test_dpo_signs_in_finds_a_case_and_extends_it(live_server, page, team, factory, db):
    received = date.today() - timedelta(days=3)
    case = factory.case(
        team.school,
        received,
        subject={"name": "Rowan Birch", "date_of_birth": "2012-06-01"},
    )
    factory.case(
        team.school, received, subject={"name": "Someone Else", "date_of_birth": "2014-01-01"}
    )
    _sign_in(page, live_server, team.dpo, team.dpo_secret)
    assert_accessible(page)

    page.get_by_label("Search").fill("rowan")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 1
    page.get_by_role("link", name=case.reference).click()
    page.get_by_role("heading", name=f"{case.reference}: Rowan Birch").wait_for()
    assert_accessible(page)

    page.locator("#action-extend summary").click()
    page.get_by_role("button", name="Extend by two months").click()
    assert (
        page.locator("#extend-reason-error")
        .inner_text()
        .endswith("A reason is required to extend by two months.")
    )
    page.locator("#extend-reason").fill("Records span six years and three systems")
    page.get_by_role("button", name="Extend by two months").click()
    page.locator(".notice-success").wait_for()

    db.expire_all()
    due = db.get(Case, case.id).due_date
    assert page.locator(".notice-success").inner_text().endswith(f"now due {long_date(due)}.")
    assert long_date(due) in page.locator("#clocks ~ section.clock").first.inner_text()
    timeline = page.locator("ol.timeline li", has_text="Extend by two months").first.inner_text()
    assert "Extend by two months" in timeline and "Dpo" in timeline
    assert "Why: Records span six years and three systems" in timeline
    sent = page.locator("ol.timeline li", has_text="Letter sent").first.inner_text()
    assert "we need more time" in sent and "sent by email" in sent  # sent in the same step
    assert_accessible(page)


def test_settings_and_manual_entry_pages_are_accessible(live_server, page, team):
    _sign_in(page, live_server, team.dpo, team.dpo_secret)
    page.goto(live_server + f"/staff/settings/{team.school.slug}")
    page.get_by_role("heading", name="Settings for Oakfield School").wait_for()
    assert_accessible(page)
    page.goto(live_server + "/staff/cases/new")
    assert_accessible(page)
    page.get_by_role("button", name="Log the request").click()
    page.locator(".error-summary").wait_for()
    assert_accessible(page)
    page.goto(live_server + "/staff/account")
    assert_accessible(page)
