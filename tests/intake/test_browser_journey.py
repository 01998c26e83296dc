"""A parent completes the journey in Chromium, with JavaScript (chat) and without (plain form);
the case then appears through the staff API with the right types, details and due date.
axe-core checks every page on the way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from sar_service.clock import today
from tests.browser_support import assert_accessible
from workflows.calendars import WorkingCalendar
from workflows.deadlines import add_months

pytestmark = pytest.mark.browser


@dataclass
class Scenario:
    story: str
    types: list[str]
    details_title: str
    details: dict[str, str]  # label -> text typed
    expected: dict = field(default_factory=dict)


SCENARIOS = {
    "access": Scenario(
        "I want to see what you've got on my son",
        ["access"],
        "What information do you want to see?",
        {
            "Which information do you want? (optional)": "Behaviour logs",
            "Which dates? (optional)": "since September 2025",
        },
        {"access": {"which": "Behaviour logs", "period": "since September 2025"}},
    ),
    "rectification": Scenario(
        "his date of birth is wrong",
        ["rectification"],
        "What needs correcting?",
        {"What is wrong?": "Date of birth shows 5 May 2015", "What should it say?": "4 May 2015"},
        {
            "rectification": {
                "current": "Date of birth shows 5 May 2015",
                "correction": "4 May 2015",
            }
        },
    ),
    "objection": Scenario(
        "I don't want you using Google Classroom for her",
        ["objection"],
        "Which use of the information do you object to?",
        {"Which use do you object to?": "Google Classroom", "Why? (optional)": "Privacy"},
        {"objection": {"processing": "Google Classroom", "why": "Privacy"}},
    ),
    "erasure": Scenario(
        "delete everything",
        ["erasure"],
        "What do you want us to delete?",
        {
            "What do you want us to delete?": "Everything you no longer need",
            "Why? (optional)": "We have moved school",
        },
        {"erasure": {"what": "Everything you no longer need", "why": "We have moved school"}},
    ),
}


def _continue(page, next_title: str, check=False) -> None:
    page.get_by_role("button", name=re.compile("^(Continue|Ask or continue)$")).click()
    expect(page.locator("[data-question]").first).to_have_text(next_title)
    if check:
        assert_accessible(page)


def run_journey(page, base: str, s: Scenario, check: bool) -> str:
    """Answer every question as a parent would; return the reference shown at the end."""
    page.goto(f"{base}/s/oakfield/")
    if check:
        assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    expect(page.locator("[data-question]")).to_have_text("What would you like to do?")
    if check:
        assert_accessible(page)
    page.get_by_label("Tell us in your own words").fill(s.story)
    _continue(page, "What do you want the school to do?", check)
    for t in s.types:  # understood from the words, and confirmed
        expect(page.locator(f"input[name=types][value={t}]")).to_be_checked()
    expect(page.locator("[data-understood]")).to_be_visible()
    _continue(page, "How are you related to the child?", check)
    page.get_by_label("Mother").check()
    _continue(page, "What is the child\u2019s name?", check)
    page.get_by_label("Full name").fill("Amelia Hart")
    page.get_by_label("Year group (optional)").fill("Year 6")
    _continue(page, "What is the child\u2019s date of birth?", check)
    page.get_by_label("Day").fill("4")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year", exact=True).fill("2015")
    _continue(page, "What is your full name?", check)
    page.get_by_label("Your full name").fill("Sarah Hart")
    _continue(page, "How can we contact you?", check)
    page.get_by_label("Email address").fill("not-an-email")
    _continue(page, "How can we contact you?")
    expect(page.locator(".error-summary")).to_contain_text("Enter an email address like")
    if check:
        assert_accessible(page)
    page.get_by_label("Email address").fill("sarah@example.com")
    _continue(page, s.details_title, check)
    for label, value in s.details.items():
        page.get_by_label(label, exact=True).fill(value)
    _continue(page, "How will you prove who you are?", check)
    page.get_by_label("I will show ID at the school office").check()
    _continue(page, "Check your answers before sending your request", check)
    expect(page.locator(".summary-list")).to_contain_text("Amelia Hart")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("[data-confirmation] h1")).to_have_text("Request sent")
    if check:
        assert_accessible(page)
    return page.locator("[data-reference]").inner_text().strip()


def _expected_due():
    return WorkingCalendar().next_working_day(add_months(today(), 1))


@pytest.mark.parametrize("javascript", [True, False], ids=["chat", "no-js"])
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_journey_creates_the_case(browser, live_server, client, factory, name, javascript):
    school = factory.school("oakfield")
    dpo = factory.staff(school, "dpo")
    s = SCENARIOS[name]
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        # axe runs inside the page, so it needs JavaScript; the chat renders the same markup.
        reference = run_journey(page, live_server, s, check=(name == "access" and javascript))
        due_text = page.locator("[data-due]").inner_text()
    finally:
        context.close()
    case = client.get(f"/api/v1/cases/{reference}", headers=dpo.headers).get_json()
    assert case["types"] == s.types
    for type_, details in s.expected.items():
        assert case["details"][type_] == details
    assert case["details"]["identity"] == {"method": "in_person"}
    assert case["requester"]["email"] == "sarah@example.com"
    assert case["subject"]["date_of_birth"] == "2015-05-04"
    due = _expected_due()
    assert case["due_date"] == due.isoformat()
    assert due_text == f"{due.day} {due:%B %Y}"


def test_chat_shows_the_conversation_as_bubbles(page, live_server, factory):
    factory.school("oakfield")
    page.goto(f"{live_server}/s/oakfield/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Tell us in your own words").fill("Who do you share data with?")
    page.get_by_role("button", name="Ask or continue").click()
    expect(page.locator(".answer-panel")).to_contain_text("Send your question to the school")
    expect(page.locator("#chat-log .bubble-you")).to_have_text("YouWho do you share data with?")
    page.get_by_label("Tell us in your own words").fill("take his photo off the website")
    _continue(page, "What do you want the school to do?")
    # question, their question, our answer, question again, their words
    expect(page.locator("#chat-log li")).to_have_count(5)
    expect(page.locator("#chat-log .bubble-bot").nth(1)).to_contain_text("I can't answer that")
    assert "/q/types" in page.url  # a reload lands on the same question
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("[data-question]").first).to_have_text("How are you related to the child?")
    page.get_by_role("button", name="Continue").click()  # nothing chosen
    expect(page.locator(".error-summary")).to_contain_text("Tell us your relationship")
    assert_accessible(page)


def test_save_and_come_back_later(page, live_server, factory, browser):
    factory.school("oakfield")
    page.goto(f"{live_server}/s/oakfield/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Tell us in your own words").fill("delete everything")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator("h1")).to_have_text("Your answers are saved")
    assert_accessible(page)
    link = page.locator("[data-resume-link]").input_value()
    other = browser.new_context(java_script_enabled=False)
    try:
        p2 = other.new_page()
        p2.goto(link.replace("http://localhost", live_server))
        # The next unanswered question; what was understood before is still there.
        expect(p2.locator("[data-question]").first).to_have_text(
            "How are you related to the child?"
        )
        p2.get_by_role("link", name="Back").click()
        expect(p2.locator("input[name=types][value=erasure]")).to_be_checked()
    finally:
        other.close()
