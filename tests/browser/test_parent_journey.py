"""Issue 10, "Done when": one access case end to end, on a 390-px phone, nothing done
outside the service. Every email is read at the loopback SMTP server and the portal text
is checked at each stage.

A SKELETON: the steps that exist on branch ``portal`` run for real; the steps other
branches build (letters sent by email, documents released and read on the phone, the
respond guard) are marked ``PLACEHOLDER(<branch>)`` and use what exists today. The lead
completes them after merging. With ``SAR_SCREENSHOTS=1`` a phone screenshot of each stage
is saved to ``docs/screenshots/portal/NN-stage.png``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sar_service.clock import today
from sar_service.i18n.dates import parent_date
from sar_service.models import Case
from sar_service.processes import run_worker
from tests.browser_support import assert_accessible
from tests.factories import request_payload
from tests.intake.test_uploads import png_bytes

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "portal"


class Journey:
    """The parent's phone, the staff's API token, and the inbox both read."""

    def __init__(self, app, client, page, live_server, inbox, dpo):
        self.app, self.client, self.page, self.base = app, client, page, live_server
        self.inbox, self.dpo, self.stage, self.seen = inbox, dpo, 0, 0
        self.reference = ""

    def staff(self, action: str, **body) -> dict:
        r = self.client.post(
            f"/api/v1/cases/{self.reference}/actions",
            json={"action": action, **body},
            headers=self.dpo.headers,
        )
        assert r.status_code == 200, r.text
        return r.get_json()

    def new_emails(self) -> list:
        """Send what is queued (a real RQ worker, burst) and return the mail that arrived."""
        run_worker(self.app, burst=True)
        fresh = self.inbox.messages[self.seen :]
        self.seen = len(self.inbox.messages)
        return fresh

    def open_link_from(self, mail) -> None:
        body = mail.get_body(("plain",)).get_content()
        link = next(w for w in body.split() if "/portal/" in w)
        self.page.goto(self.base + link[link.index("/portal/") :])

    def shoot(self, name: str) -> None:
        self.stage += 1
        assert_accessible(self.page)
        if os.environ.get("SAR_SCREENSHOTS"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SHOTS / f"{self.stage:02d}-{name}.png"), full_page=True)


def _day(app) -> str:
    with app.test_request_context():
        return parent_date(today(), "en")


def test_one_access_case_end_to_end_on_a_phone(app, client, page, live_server, inbox, factory, db):
    school = factory.school("oakfield", dpo_email="dpo@oakfield.example")
    dpo = factory.staff(school, "dpo")
    j = Journey(app, client, page, live_server, inbox, dpo)
    page.set_viewport_size(PHONE)
    day = _day(app)

    # 1. The parent submits (the public API the form posts to). PLACEHOLDER(lead): walk the
    #    intake form in the browser instead, as tests/intake's browser tests do.
    r = client.post(f"/api/v1/schools/{school.slug}/requests", json=request_payload())
    assert r.status_code == 201, r.text
    j.reference = r.get_json()["reference"]
    [ack] = j.new_emails()
    assert ack["To"] == "sarah.hart@example.com" and j.reference in ack["Subject"]
    j.open_link_from(ack)
    expect(page.locator("[data-state]")).to_contain_text("We have received your request.")
    j.shoot("received")

    # 2. Staff ask for ID. PLACEHOLDER(letters): the ID request letter is emailed; assert it
    #    here (subject, the letter as HTML, .docx and PDF attached) once branch letters is in.
    j.staff("request_identity")
    j.new_emails()
    page.reload()
    expect(page.get_by_text(f"On {day} we asked you for proof of your identity.")).to_be_visible()
    j.shoot("identity-asked")

    # 3. The parent uploads ID in the portal.
    page.get_by_label("Proof of identity").check()
    page.get_by_label("Choose a file").set_input_files(
        {"name": "passport.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator(".notice-success")).to_contain_text("passport.png")
    j.shoot("identity-uploaded")
    j.staff("verify_identity")

    # 4. Staff ask what is wanted; the portal shows the question and its date.
    #    PLACEHOLDER(letters): the clarification letter is emailed; assert it here.
    j.staff("request_clarification", reason="Which school years do you mean?")
    j.new_emails()
    page.reload()
    expect(page.locator("[data-question-asked-on]")).to_have_text(f"On {day} we asked you:")
    expect(page.locator("[data-clarification-question]")).to_have_text(
        "Which school years do you mean?"
    )
    expect(page.get_by_text("The time limit has been paused since")).to_be_visible()
    j.shoot("question-asked")

    # 5. The parent answers in the portal: the clock resumes by itself.
    page.get_by_label("Your answer").fill("Years 3 and 4")
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".notice-success")).to_contain_text("time limit is running again")
    api = client.get(f"/api/v1/cases/{j.reference}", headers=dpo.headers).get_json()
    assert api["paused"] is False and api["status"] == "in_progress"
    expect(page.locator("[data-thread]")).to_contain_text("Years 3 and 4")
    j.shoot("question-answered")

    # 6. Staff extend. PLACEHOLDER(letters): the extension notice is emailed; assert it here.
    j.staff("extend", reason="The records are in three systems.")
    j.new_emails()
    page.reload()
    expect(page.locator("[data-due-story]")).to_contain_text(
        "we extended the time limit by two months. Why: The records are in three systems."
    )
    j.shoot("extended")

    # 7. Staff write to the parent: the email carries a link, never the words.
    r = client.post(
        f"/api/v1/cases/{j.reference}/messages",
        json={"body": "We have found the class records and are checking them."},
        headers=dpo.headers,
    )
    assert r.status_code == 201, r.text
    [note] = j.new_emails()
    assert note["Subject"] == f"A new message about your request {j.reference}"
    assert "class records" not in note.get_body(("plain",)).get_content()
    j.open_link_from(note)
    expect(page.locator("[data-thread]")).to_contain_text("We have found the class records")
    j.shoot("message-from-school")

    # 8. Documents gathered, reviewed, released; the parent is emailed and reads them on the
    #    phone. PLACEHOLDER(release): release through the service, assert the email and open
    #    each document as a page at 390 px; the response letter is sent (letters) and the
    #    respond guard (release) allows "respond" only then.
    for action in ("start_review", "submit_for_signoff", "respond"):
        j.staff(action)
    j.new_emails()
    page.reload()
    expect(page.locator("[data-state]")).to_contain_text("We have replied.")
    expect(page.locator("[data-replied-on]")).to_have_text(f"We sent our reply on {day}.")
    expect(page.get_by_text("When our reply is ready")).to_have_count(0)
    j.shoot("replied")

    # 9. Closed: no more messages are taken.
    j.staff("close")
    page.reload()
    expect(page.locator("[data-state]")).to_contain_text("Your request is complete.")
    expect(page.get_by_label("Write to us")).to_have_count(0)
    j.shoot("closed")
    db.expire_all()
    assert db.query(Case).one().status == "closed"
