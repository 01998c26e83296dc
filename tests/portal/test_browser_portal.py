"""The portal in Chromium: every page passes axe, and a parent can answer and upload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sar_service.clock import today
from sar_service.portal.links import portal_path
from tests.browser_support import assert_accessible
from tests.intake.test_uploads import png_bytes

pytestmark = pytest.mark.browser


def test_portal_pages_are_accessible_and_work(app, page, live_server, client, factory):
    school = factory.school("oakfield", dpo_email="dpo@oakfield.example")
    dpo = factory.staff(school, "dpo")
    case = factory.case(school, today())
    client.post(
        f"/api/v1/cases/{case.reference}/actions",
        json={"action": "request_clarification", "reason": "Which years do you mean?"},
        headers=dpo.headers,
    )
    with app.app_context():
        path = portal_path(case)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + path)
    expect(page.locator("[data-clarification-question]")).to_have_text("Which years do you mean?")
    assert_accessible(page)

    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter your answer.")
    assert_accessible(page)
    page.get_by_label("Your answer").fill("Years 3 and 4")
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".notice-success")).to_contain_text("time limit is running again")
    expect(page.locator("[data-state]")).to_have_text("We have received your request.")

    page.get_by_label("Proof of identity").check()
    page.get_by_label("Choose a file").set_input_files(
        {"name": "passport.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator(".notice-success")).to_contain_text("passport.png")
    assert_accessible(page)

    page.goto(live_server + "/portal/new-link")
    assert_accessible(page)
    page.get_by_role("button", name="Send me a new link").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter your reference")
    assert_accessible(page)
    page.get_by_label("Reference").fill(case.reference)
    page.get_by_label("Email address").fill("sarah.hart@example.com")
    page.get_by_role("button", name="Send me a new link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    assert_accessible(page)

    page.goto(live_server + "/portal/not-a-real-link")
    expect(page.locator("h1")).to_have_text("This link has expired or does not work")
    assert_accessible(page)
