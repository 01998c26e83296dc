"""A parent files an access request entirely in Polish, and one in Arabic (right to left),
on a 390-px phone with the chat; the confirmation, the acknowledgement email (at a real
SMTP inbox) and the portal are in that language, and axe finds no serious problems."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from sar_service.processes import run_worker
from tests.browser_support import assert_accessible

pytestmark = pytest.mark.browser


@dataclass
class Parent:
    locale: str
    lang: str
    direction: str
    start: str
    story: str
    sent: str
    subject_start: str
    email_phrase: str
    portal_heading: str


PARENTS = {
    "pl": Parent(
        "pl-PL", "pl", "ltr", "Zacznij teraz", "Chcę zobaczyć wszystkie dane mojej córki",
        "Wniosek wysłany", "Otrzymaliśmy Twój wniosek", "Dziękujemy.", "Twój wniosek",
    ),
    "ar": Parent(
        "ar-EG", "ar", "rtl", "ابدأ الآن", "أريد أن أرى كل المعلومات عن ابنتي",
        "تم إرسال الطلب", "استلمنا طلبك", "شكرًا لك.", "طلبك",
    ),
}  # fmt: skip


def _next(page, step: str) -> None:
    page.locator("[data-continue]").click()
    expect(page.locator(f'[data-step="{step}"]')).to_be_visible()


def _check_language(page, p: Parent) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", p.lang)
    expect(html).to_have_attribute("dir", p.direction)


@pytest.mark.parametrize("code", list(PARENTS))
def test_access_request_entirely_in_one_language(
    app, browser, live_server, factory, db, inbox, code
):
    p = PARENTS[code]
    factory.school("oakfield", dpo_email="dpo@oakfield.example")
    context = browser.new_context(locale=p.locale, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/s/oakfield/")
        _check_language(page, p)
        expect(page.locator("[data-language-switcher]")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name=p.start).click()
        expect(page.locator('[data-step="what"]')).to_be_visible()
        page.locator("#story").fill(p.story)
        _next(page, "types")
        expect(page.locator("input[name=types][value=access]")).to_be_checked()
        assert_accessible(page)
        _next(page, "relationship")
        page.locator("input[value=mother]").check()
        _next(page, "child")
        page.locator("#subject-name").fill("Amelia Hart")
        _next(page, "dob")
        page.locator("#subject-date_of_birth").fill("4")
        page.locator("#subject-date_of_birth-month").fill("5")
        page.locator("#subject-date_of_birth-year").fill("2015")
        _next(page, "your-name")
        page.locator("#requester-name").fill("Sarah Hart")
        _next(page, "contact")
        page.locator("#requester-email").fill("sarah@example.com")
        _next(page, "access")
        _next(page, "identity")
        page.locator("input[value=in_person]").check()
        page.locator("[data-continue]").click()
        expect(page.locator("#send")).to_be_visible()
        _check_language(page, p)
        assert_accessible(page)
        page.locator("#send").click()
        expect(page.locator("[data-confirmation] h1")).to_have_text(p.sent)
        _check_language(page, p)
        assert_accessible(page)
        reference = page.locator("[data-reference]").inner_text().strip()

        run_worker(app, burst=True)
        [mail] = [m for m in inbox.messages if reference in m["Subject"]]
        assert mail["Subject"].startswith(p.subject_start)
        body = mail.get_body(("plain",)).get_content()
        assert p.email_phrase in body
        link = next(w for w in body.split() if "/portal/" in w and "new-link" not in w)
        path = link[link.index("/portal/") :]
        page.goto(f"{live_server}{path}")
        _check_language(page, p)
        expect(page.locator("h1")).to_have_text(p.portal_heading)
        assert_accessible(page)
    finally:
        context.close()
