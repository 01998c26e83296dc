"""In Chromium: a parent's question in the chat reaches the school; a caseworker answers it.
axe-core on each page. ``SAR_SCREENSHOTS=<dir>`` also saves the pages (for the README)."""

from __future__ import annotations

import os
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect

from sar_service.processes import run_worker
from tests.browser_support import assert_accessible

pytestmark = pytest.mark.browser

QUESTION = "Do you keep the minutes of governors' meetings about my son?"


def _shot(page, name: str) -> None:
    folder = os.environ.get("SAR_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_question_goes_from_the_chat_to_the_inbox_and_back_by_email(
    live_server, browser, page, team, app, inbox
):
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{live_server}/s/oakfield/")
    phone.get_by_role("button", name="Start now").click()
    phone.get_by_label("Tell us in your own words").fill(QUESTION)
    phone.get_by_role("button", name="Ask or continue").click()
    offer = phone.locator("[data-ask-school]")
    # the first answer loads the language models: slow on a busy machine, so wait longer
    expect(offer).to_contain_text("If you do not, the school cannot reply to you.", timeout=60_000)
    assert_accessible(phone)
    phone.get_by_label("Your email address (optional)").fill("sam@example.com")
    _shot(phone, "question-offer-phone")
    phone.get_by_role("button", name="Send to the school").click()
    expect(phone.locator("[data-reply-by-email]")).to_have_text(
        "The school will reply by email to sam@example.com."
    )
    assert_accessible(phone)
    _shot(phone, "question-sent-phone")
    phone.get_by_role("link", name="Back to your request").click()
    expect(phone.get_by_label("Tell us in your own words")).to_be_visible()

    page.goto(live_server + "/staff/")
    page.get_by_label("Email address").fill(team.caseworker.user.email)
    page.get_by_label("Password").fill(team.caseworker.password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(pyotp.TOTP(team.caseworker_secret).now())
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-questions-waiting]")).to_have_text(
        "1 question from parents waiting for a reply"
    )
    page.locator("[data-nav-questions]").click()
    expect(page.locator(".question-card blockquote")).to_have_text(QUESTION)
    assert_accessible(page)
    _shot(page, "questions-inbox-desktop")
    page.get_by_label("Your answer (emailed to the parent as it is written)").fill(
        "Yes: the governors' minutes are kept for six years. Ask us for a copy."
    )
    page.get_by_role("button", name="Send the answer by email").click()
    expect(page.locator(".notice-success")).to_have_text(
        "Your answer is being emailed to the parent."
    )
    expect(page.locator("[data-nav-questions] .count-badge")).to_have_count(0)
    run_worker(app, burst=True)
    [message] = inbox.messages
    assert message["To"] == "sam@example.com"
    assert "kept for six years" in message.get_body(("plain",)).get_content()
