"""Issue 10, "Done when": one access case end to end, on a 390-px phone, nothing done
outside the service. Every email is read at the loopback SMTP server (exactly the ones
expected, no more) and the portal text is checked at each stage.

The parent uses Chromium (the request form, the portal); staff use the staff workspace's
own forms (the case page's action forms with their letter section, the gathering upload,
the review page, the bundle and its release) through a signed-in client. With
``SAR_SCREENSHOTS=1`` a phone screenshot of each stage is saved to
``docs/screenshots/portal/NN-stage.png``.
"""

from __future__ import annotations

import html
import io
import os
import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document as WordDocument
from playwright.sync_api import expect

from sar_service.clock import today
from sar_service.i18n.dates import parent_date
from sar_service.models import Case
from sar_service.processes import run_worker
from tests.browser_support import assert_accessible
from tests.intake.test_browser_journey import SCENARIOS, run_journey
from tests.intake.test_uploads import png_bytes
from tests.staff.conftest import Web, enrol

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "portal"
PARENT = "sarah@example.com"  # what run_journey types
LETTER_SUBJECT = "A letter about your request – reference {}"
NOTICE = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "notices").glob("seed_*.txt"))[
    0
]
AUTOMATED = "We use no automated decision-making about pupils, and no profiling."
TRANSFERS = "We keep pupils' records in the UK; nothing is sent abroad."
HIDDEN = re.compile(r'name="(version|seen_event)" value="(\d+)"')


class Journey:
    """The parent's phone, the DPO's signed-in workspace, and the inbox both read."""

    def __init__(self, app, client, page, live_server, inbox, dpo, web):
        self.app, self.client, self.page, self.base = app, client, page, live_server
        self.inbox, self.dpo, self.web, self.stage, self.seen = inbox, dpo, web, 0, 0
        self.reference, self.slug, self.db = "", "", None

    @property
    def case_url(self) -> str:
        return f"/staff/cases/{self.slug}/{self.reference}"

    def step(self, action: str, letter: bool = True, refused: int = 0, **fields) -> str:
        """Submit the action's form on the case page (as staff do; the letter by email).
        ``refused``: the status expected when the step must not happen (the page's text is
        returned)."""
        page = self.web.get(self.case_url)
        assert page.status_code == 200, page.text
        form = page.text.split(f'id="action-{action}"', 1)[1].split("</form>", 1)[0]
        if letter:
            assert 'name="letter_via"' in form, f"{action}: no letter section"
        data = {k: v for k, v in HIDDEN.findall(form)}
        data |= {"action": action, "do": "confirm", **fields}
        if letter:
            data["letter_via"] = "email"
        self.db.rollback()  # SQLite: the test's own reads must not hold the database lock
        r = self.web.post(f"{self.case_url}/actions", data)
        if refused:
            assert r.status_code == refused, r.text
            return html.unescape(r.text)
        assert r.status_code == 302, r.text
        done = self.web.get(self.case_url).text
        assert "Done:" in done, done
        return done

    def new_emails(self) -> list:
        """Send what is queued (a real RQ worker, burst) and return the mail that arrived."""
        run_worker(self.app, burst=True)
        fresh = self.inbox.messages[self.seen :]
        self.seen = len(self.inbox.messages)
        return fresh

    def staff_told(self, what: str) -> None:
        """Exactly one new email: the DPO told the parent wrote (a link, never the words)."""
        [mail] = self.new_emails()
        assert mail["To"] != PARENT
        assert mail["Subject"] == f"The requester wrote about {self.reference}"
        assert what in mail.get_body(("plain",)).get_content()

    def letter_email(self, title: str):
        """Exactly one new email: the letter, as HTML, with its .docx and PDF attached."""
        [mail] = self.new_emails()
        assert mail["To"] == PARENT
        assert mail["Subject"] == LETTER_SUBJECT.format(self.reference)
        html = mail.get_body(("html",)).get_content()
        assert title in html, html
        names = sorted(a.get_filename() for a in mail.iter_attachments())
        assert [n.rsplit(".", 1)[1] for n in names] == ["docx", "pdf"], names
        pdf = next(a for a in mail.iter_attachments() if a.get_filename().endswith(".pdf"))
        assert pdf.get_content().startswith(b"%PDF")
        return mail

    def open_link_from(self, mail) -> None:
        body = mail.get_body(("plain",)).get_content()
        link = next(w for w in body.split() if "/portal/" in w)
        self.page.goto(self.base + link[link.index("/portal/") :])

    def api(self) -> dict:
        r = self.client.get(f"/api/v1/cases/{self.reference}", headers=self.dpo.headers)
        self.db.rollback()  # the test client shares the test's session: end its read
        return r.get_json()

    def due(self) -> str:
        """The due date the API gives, as the portal writes it."""
        return _day(self.app, date.fromisoformat(self.api()["due_date"]))

    def letters_listed(self, *titles: str) -> None:
        """The portal lists exactly these letters as sent (each readable online)."""
        expect(self.page.locator("[data-letters] li a")).to_have_text(list(titles))

    def shoot(self, name: str) -> None:
        self.stage += 1
        assert_accessible(self.page)
        if os.environ.get("SAR_SCREENSHOTS"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SHOTS / f"{self.stage:02d}-{name}.png"), full_page=True)


def _day(app, on=None) -> str:
    with app.test_request_context():
        return parent_date(on or today(), "en")


def _no_sideways_scroll(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


def _report_docx() -> bytes:
    """A class report as a school keeps it: a heading, a paragraph and a table."""
    word = WordDocument()
    word.add_heading("Annual review", level=1)
    word.add_paragraph("Progress has been steady this year. Reading is a strength.")
    table = word.add_table(rows=3, cols=2)
    for row, (a, b) in zip(
        table.rows, [("Subject", "Mark"), ("Maths", "7"), ("Art", "9")], strict=True
    ):
        row.cells[0].text, row.cells[1].text = a, b
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


DOCUMENTS = {
    "report.docx": _report_docx(),
    "note.txt": b"First line\nsecond line\n\nAnother paragraph.\n",
}


def test_one_access_case_end_to_end_on_a_phone(app, client, page, live_server, inbox, factory, db):
    school = factory.school("oakfield", dpo_email="dpo@oakfield.example")
    dpo = factory.staff(school, "dpo")
    enrol(db, dpo.user)
    web = Web(app, app.test_client())
    web.sign_in_directly(dpo)
    j = Journey(app, client, page, live_server, inbox, dpo, web)
    j.slug, j.db = school.slug, db
    page.set_viewport_size(PHONE)
    day = _day(app)
    # The school is set up in its settings: the privacy notice and its own Article 15 facts
    # (the access response quotes them).
    notice = web.post(
        f"/staff/settings/{school.slug}/notice",
        {"notice": (io.BytesIO(NOTICE.read_bytes()), NOTICE.name)},
        content_type="multipart/form-data",
    )
    assert notice.status_code == 302, notice.text
    facts = web.post(
        f"/staff/settings/{school.slug}/art15",
        {"automated_decisions": AUTOMATED, "transfers_abroad": TRANSFERS},
    )
    assert facts.status_code == 302, facts.text

    # 1. The parent submits through the request form on the phone, then opens the link
    #    in the acknowledgement.
    j.reference = run_journey(page, live_server, SCENARIOS["access"], check=True)
    [ack] = j.new_emails()
    assert ack["To"] == PARENT and j.reference in ack["Subject"]
    j.open_link_from(ack)
    expect(page.locator("[data-state]")).to_contain_text("We have received your request.")
    expect(page.locator("[data-due]")).to_have_text(j.due())
    expect(page.locator("[data-letters]")).to_have_count(0)
    j.shoot("received")

    # 2. Staff ask for ID: the identity request letter goes by email with the step.
    j.step("request_identity")
    j.letter_email("proof of")
    page.reload()
    expect(page.get_by_text(f"On {day} we asked you for proof of your identity.")).to_be_visible()
    expect(page.locator("[data-state]")).to_have_text(
        "We need proof of your identity before we can start."
    )
    j.letters_listed("Your request: proof of identity")
    j.shoot("identity-asked")

    # 3. The parent uploads ID in the portal; staff verify it (no letter, no email).
    page.get_by_label("Proof of identity").check()
    page.get_by_label("Choose a file").set_input_files(
        {"name": "passport.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator(".notice-success")).to_contain_text("passport.png")
    j.shoot("identity-uploaded")
    j.staff_told("ID or other documents")
    j.step("verify_identity", letter=False)
    assert j.new_emails() == []

    # 4. Staff ask what is wanted: the clarification letter is emailed with the step; the
    #    portal shows the question, its date, and that the clock is paused.
    j.step("request_clarification", reason="Which school years do you mean?")
    j.letter_email("Which school years do you mean?")
    page.reload()
    expect(page.locator("[data-question-asked-on]")).to_have_text(f"On {day} we asked you:")
    expect(page.locator("[data-clarification-question]")).to_have_text(
        "Which school years do you mean?"
    )
    expect(page.get_by_text("The time limit has been paused since")).to_be_visible()
    expect(page.locator("[data-due]")).to_contain_text(
        "(the time limit is paused until you answer our question)"
    )
    j.letters_listed("Your request: proof of identity", "Your request: we need more information")
    j.shoot("question-asked")
    # The letter reads online, as it was sent.
    page.get_by_role("link", name="Your request: we need more information").click()
    expect(page.locator("[data-letter]")).to_contain_text("Which school years do you mean?")
    expect(page.locator("[data-letter]")).not_to_contain_text("Page 1 of")  # no pages online
    j.shoot("letter-read")
    page.get_by_role("link", name="Back to your request").click()

    # 5. The parent answers in the portal: the clock resumes by itself.
    page.get_by_label("Your answer").fill("Years 3 and 4")
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".notice-success")).to_contain_text("time limit is running again")
    api = j.api()
    assert api["paused"] is False and api["status"] == "in_progress"
    expect(page.locator("[data-thread]")).to_contain_text("Years 3 and 4")
    expect(page.locator("[data-due]")).to_have_text(j.due())  # no longer paused
    j.shoot("question-answered")
    j.staff_told("an answer to our question")

    # 6. Staff extend: the extension notice is emailed; the portal says why the date moved.
    before = j.due()
    j.step("extend", reason="The records are in three systems.")
    j.letter_email("extend")
    page.reload()
    assert j.due() != before
    expect(page.locator("[data-due]")).to_have_text(j.due())
    j.letters_listed(
        "Your request: proof of identity",
        "Your request: we need more information",
        "Your request: we need more time",
    )
    expect(page.locator("[data-due-story]")).to_contain_text(
        "we extended the time limit by two months. Why: The records are in three systems."
    )
    j.shoot("extended")

    # 7. Staff write to the parent: the email carries a link, never the words.
    r = web.post(
        f"{j.case_url}/messages",
        {"body": "We have found the class records and are checking them."},
    )
    assert r.status_code == 302, r.text
    [note] = j.new_emails()
    assert note["Subject"] == f"A new message about your request {j.reference}"
    assert "class records" not in note.get_body(("plain",)).get_content()
    j.open_link_from(note)
    expect(page.locator("[data-thread]")).to_contain_text("We have found the class records")
    j.shoot("message-from-school")

    # 8. Documents gathered (uploaded on the gathering page), reviewed (every suggestion
    #    decided on the review page), the bundle built by the worker, released by the DPO.
    for name, data in DOCUMENTS.items():
        r = web.post(
            f"{j.case_url}/gathering/upload",
            {"file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )
        assert r.status_code == 302, r.text
    run_worker(app, burst=True)
    j.step("start_review", letter=False)
    review = web.get(f"{j.case_url}/review").text
    for doc_id in sorted(set(re.findall(rf"{j.case_url}/review/(\d+)", review))):
        doc_page = web.get(f"{j.case_url}/review/{doc_id}").text
        keys = sorted(set(re.findall(r'name="d-([^"]+)"', doc_page)))
        if keys:
            r = web.post(f"{j.case_url}/review/{doc_id}", {f"d-{k}": "rejected" for k in keys})
            assert r.status_code == 302, r.text
    r = web.post(f"{j.case_url}/bundle")
    assert r.status_code == 302, r.text
    run_worker(app, burst=True)
    j.step("submit_for_signoff", letter=False)
    # Not yet: the response cannot be recorded before the documents reach the parent, and
    # nothing is sent when it is refused.
    refusal = j.step("respond", refused=409)
    assert "release the documents in the portal" in refusal
    assert j.new_emails() == []
    bundle_id = re.search(
        rf"{j.case_url}/bundle/(\d+)/release", web.get(f"{j.case_url}/review").text
    )
    assert bundle_id, "no release button on the review page"
    r = web.post(f"{j.case_url}/bundle/{bundle_id.group(1)}/release")
    assert r.status_code == 302, r.text
    [released] = j.new_emails()
    assert released["Subject"] == f"Our reply to your request {j.reference} is ready"
    assert released["To"] == PARENT
    assert not list(released.iter_attachments())
    body = released.get_body(("plain",)).get_content()
    assert "report.docx" not in body and "Amelia" not in body

    # 9. The parent opens the documents on the phone: each a readable page, one PDF of all.
    j.open_link_from(released)
    combined = page.get_by_role("link", name="All the documents as one PDF")
    expect(combined).to_be_visible()
    expect(page.locator("[data-reply-parts] a")).to_have_text(["report.docx", "note.txt"])
    pdf = page.request.get(j.base + combined.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    expect(page.get_by_text("When our reply is ready")).to_have_count(0)
    expect(page.locator("[data-state]")).not_to_contain_text("We have replied")  # not yet
    _no_sideways_scroll(page)
    j.shoot("documents-released")
    page.get_by_role("link", name="report.docx").click()
    expect(page.locator("h1")).to_have_text("report.docx")
    expect(page.get_by_role("heading", name="Annual review")).to_be_visible()
    _no_sideways_scroll(page)
    j.shoot("document-read")
    page.get_by_role("link", name="Back to your request").click()
    # Staff see which documents were opened.
    opened = html.unescape(web.get(f"{j.case_url}/review").text)
    assert "report.docx — first opened" in opened and "note.txt — not opened yet" in opened

    # 10. The response letter is sent with the sign-off: "respond" needs it sent and the
    #     documents released. The portal says we replied, on which day.
    j.step("respond")
    j.letter_email("our response")
    page.reload()
    j.letters_listed(
        "Your request: proof of identity",
        "Your request: we need more information",
        "Your request: we need more time",
        "Your subject access request: our response",
    )
    expect(page.locator("[data-state]")).to_contain_text("We have replied.")
    expect(page.locator("[data-replied-on]")).to_have_text(f"We sent our reply on {day}.")
    expect(page.get_by_text("When our reply is ready")).to_have_count(0)
    j.shoot("replied")

    # 11. Closed: no more messages are taken; no email goes.
    j.step("close", letter=False)
    assert j.new_emails() == []
    page.reload()
    expect(page.locator("[data-state]")).to_contain_text("Your request is complete.")
    expect(page.get_by_label("Write to us")).to_have_count(0)
    j.shoot("closed")
    db.expire_all()
    assert db.query(Case).one().status == "closed"
    # Every email of the case, in order, and nothing else.
    letter = LETTER_SUBJECT.format(j.reference)
    to_parent = [m for m in inbox.messages if m["To"] == PARENT]
    assert [m["Subject"] for m in to_parent[1:]] == [
        letter,  # proof of identity
        letter,  # clarification
        letter,  # extension
        f"A new message about your request {j.reference}",
        f"Our reply to your request {j.reference} is ready",
        letter,  # the access response
    ]
    to_staff = [m["Subject"] for m in inbox.messages if m["To"] != PARENT]
    assert to_staff == [f"The requester wrote about {j.reference}"] * 2  # the ID, the answer
    # The case timeline shows each letter sent and its SMTP acceptance (Message-ID).
    timeline = html.unescape(web.get(j.case_url).text)
    for m in inbox.messages:
        if m["Subject"] == letter:
            assert f"Message-ID {m['Message-ID']}" in timeline
