""" "Confirm it was you" in Chromium: the page passes axe, and its one button records it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sar_service.models import Case
from sar_service.portal.links import confirm_url
from tests.browser_support import assert_accessible
from tests.factories import request_payload

pytestmark = pytest.mark.browser


def test_the_confirm_page_is_accessible_and_its_button_confirms(
    app, page, live_server, client, db, factory
):
    factory.school("oakfield")
    made = client.post(
        "/api/v1/schools/oakfield/requests", json=request_payload() | {"language": "en"}
    )
    reference = made.get_json()["reference"]
    case = db.query(Case).filter_by(reference=reference).one()
    with app.app_context():
        link = confirm_url(case).removeprefix(app.config["SAR_SETTINGS"].base_url)
    page.goto(live_server + link)
    assert_accessible(page)
    page.get_by_role("button", name="Yes, I made this request").click()
    expect(page.locator("main")).to_contain_text(f"You have confirmed request {reference}.")
    assert_accessible(page)
    db.expire_all()
    assert db.get(Case, case.id).confirmed_at is not None

    page.goto(live_server + "/portal/confirm?t=forged")
    expect(page.locator("h1")).to_have_text("This link does not work")
    assert_accessible(page)
