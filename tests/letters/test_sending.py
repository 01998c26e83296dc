"""Sending a letter: by email (the letter itself, the .docx and a PDF attached, checked at a
loopback SMTP server after a real worker sent it), by post (a print-ready PDF, the date
posted), refused when blocked or already sent; a correction is a new version."""

from __future__ import annotations

import io
from datetime import date

import docx
import pypdf
import pytest
from sqlalchemy import select

from sar_service.letters import sending
from sar_service.letters.templating import longdate
from sar_service.models import CaseEvent, Document
from sar_service.models.notification import Notification
from sar_service.processes import run_worker
from tests.letters.conftest import letters, open_letter
from tests.notify.helpers import on

PROBLEM = "application/problem+json"
MADE, SENT = date(2026, 3, 2), date(2026, 3, 5)


def url(case, suffix: str = "") -> str:
    return f"/api/v1/cases/{case.reference}/letters{suffix}"


@pytest.fixture
def caseworker(factory, letterhead_school):
    return factory.staff(letterhead_school, "caseworker")


@pytest.fixture
def case(factory, letterhead_school):
    with on(MADE):
        return factory.case(letterhead_school, MADE)


def draft(client, case, staff, kind="identity_request") -> dict:
    with on(MADE):
        made = client.post(url(case), json={"kind": kind}, headers=staff.headers)
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_email_is_the_letter_with_docx_and_pdf_dated_the_day_sent(
    app, db, client, inbox, case, caseworker
):
    body = draft(client, case, caseworker)
    with on(SENT):
        sent = client.post(
            url(case, f"/{body['id']}/send"), json={"via": "email"}, headers=caseworker.headers
        )
        assert sent.status_code == 200, sent.get_json()
        assert sent.get_json()["via"] == "email" and sent.get_json()["sent_on"] == "2026-03-05"
        assert sent.get_json()["delivery"] == "queued" and sent.get_json()["message_id"] is None
        assert run_worker(app, burst=True)  # a real RQ worker sends the queued email

    [message] = [m for m in inbox.messages if "A letter about" in str(m["Subject"])]
    assert message["To"] == "sarah.hart@example.com"
    assert case.reference in str(message["Subject"])
    assert "Amelia" not in str(message["Subject"])
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert '<article class="letter" lang="en">' in html and "<h2>" in html
    assert longdate(SENT) in html and longdate(SENT) in text
    files = {part.get_filename(): part for part in message.iter_attachments()}
    name = f"{case.reference}-identity_request-v1"
    assert set(files) == {f"{name}.docx", f"{name}.pdf"}
    word = docx.Document(io.BytesIO(files[f"{name}.docx"].get_content()))
    paragraphs = [p.text for p in word.paragraphs]
    assert longdate(SENT) in paragraphs and longdate(MADE) not in paragraphs
    printed = pdf_text(files[f"{name}.pdf"].get_content())
    assert longdate(SENT) in printed and f"Our reference: {case.reference}" in printed
    assert "Oakfield School" in printed and "Page 1 of" in printed

    items = client.get(url(case), headers=caseworker.headers).get_json()["items"]
    [listed] = [i for i in items if i["id"] == body["id"]]
    row = db.scalar(select(Notification).where(Notification.key == f"letter:{body['id']}"))
    assert listed["delivery"] == "sent" and listed["message_id"] == row.message_id
    assert message["Message-ID"] == row.message_id
    event = db.scalar(select(CaseEvent).where(CaseEvent.action == "letter_sent"))
    assert event.reason == "Your request: proof of identity (version 1) sent by email"
    assert "sarah.hart" not in event.reason and event.data["recipient"] == "sarah.hart@example.com"
    from sar_service.cases.visibility import event_view

    assert "recipient" not in event_view(event, case, "viewer").data  # shown by role
    assert event_view(event, case, "caseworker").data["recipient"] == "sarah.hart@example.com"


def test_post_records_the_date_posted_and_the_letter_says_it(app, db, client, case, caseworker):
    body = draft(client, case, caseworker)
    with on(SENT):
        sent = client.post(
            url(case, f"/{body['id']}/send"),
            json={"via": "post", "on": "2026-03-04"},
            headers=caseworker.headers,
        )
    assert sent.status_code == 200, sent.get_json()
    assert sent.get_json()["sent_on"] == "2026-03-04" and sent.get_json()["delivery"] is None
    [row] = letters(db, case.id)
    assert row.sent_via == "post" and row.sent_on == date(2026, 3, 4)
    assert "Sarah Hart" in row.sent_to
    assert longdate(date(2026, 3, 4)) in open_letter(app, row).text.splitlines()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"via": "pigeon"}, "via"),
        ({"via": "post", "on": "2026-03-06"}, "on"),  # the future
        ({"via": "post", "on": "2026-02-01"}, "on"),  # before the request
        ({"via": "post", "on": "5 March"}, "on"),
        ({"via": "email", "on": "2026-03-01"}, "on"),
        ({"via": "post", "cc": "x"}, "cc"),
    ],
)
def test_bad_input_is_422_never_500(client, db, case, caseworker, payload, field):
    body = draft(client, case, caseworker)
    with on(SENT):
        answer = client.post(
            url(case, f"/{body['id']}/send"), json=payload, headers=caseworker.headers
        )
    assert answer.status_code == 422 and answer.mimetype == PROBLEM
    assert field in answer.get_json()["errors"]
    assert not letters(db, case.id)[0].sent


def test_email_without_an_address_suggests_post(client, factory, letterhead_school, caseworker):
    with on(MADE):
        case = factory.case(
            letterhead_school,
            MADE,
            requester={
                "name": "Sarah Hart",
                "relationship": "mother",
                "address": "1 High Street\nOakfield\nNS4 7QT",
            },
        )
        assert not case.requester_email
    body = draft(client, case, caseworker)
    answer = client.post(
        url(case, f"/{body['id']}/send"), json={"via": "email"}, headers=caseworker.headers
    )
    assert answer.status_code == 422
    assert "post" in answer.get_json()["errors"]["via"]


def test_sent_letter_is_immutable_and_a_correction_is_a_new_version(
    app, db, client, case, caseworker
):
    body = draft(client, case, caseworker)
    with on(SENT):
        first = client.post(
            url(case, f"/{body['id']}/send"), json={"via": "hand"}, headers=caseworker.headers
        )
        assert first.status_code == 200
        [row] = letters(db, case.id)
        kept = open_letter(app, row).data
        again = client.post(
            url(case, f"/{body['id']}/send"), json={"via": "post"}, headers=caseworker.headers
        )
    assert again.status_code == 409 and "new version" in again.get_json()["detail"]
    [row] = letters(db, case.id)
    assert row.sent_via == "hand" and open_letter(app, row).data == kept
    second = draft(client, case, caseworker)
    assert second["version"] == 2 and second["via"] is None
    assert [d.version for d in letters(db, case.id)] == [1, 2]


def test_edited_wording_failing_the_checks_is_blocked_until_the_dpo_overrides(
    app, db, client, factory, case, caseworker, letterhead_school
):
    body = draft(client, case, caseworker)
    row = db.get(Document, body["id"])
    assert sending.edit_wording(db, case, row, "Dear {{ requester_name },") != []  # syntax
    assert sending.edit_wording(db, case, row, "Dear {{ parent }},") == [
        "Line 1: unknown field 'parent'"
    ]
    assert sending.edit_wording(db, case, row, "Dear {{ requester_name }},\n\nSend ID.\n") == []
    db.commit()
    assert row.blocked and "the documents we accept as proof of identity" in row.failed_checks
    answer = client.post(
        url(case, f"/{body['id']}/send"), json={"via": "post"}, headers=caseworker.headers
    )
    assert answer.status_code == 409
    assert answer.get_json()["detail"].startswith("This letter fails the legal checks")
    assert not letters(db, case.id)[0].sent
    from sar_service.letters.service import override_checks, school_template

    row = letters(db, case.id)[0]
    override_checks(db, case, row, "Agreed wording with the parent by phone.", actor_label="DPO")
    db.commit()
    dpo = factory.staff(letterhead_school, "dpo")
    ok = client.post(url(case, f"/{body['id']}/send"), json={"via": "post"}, headers=dpo.headers)
    assert ok.status_code == 200, ok.get_json()
    assert "Send ID." in open_letter(app, letters(db, case.id)[0]).text
    assert school_template(db, letterhead_school.id, "identity_request") is None  # this case only


def test_viewer_cannot_send_and_other_schools_get_404(
    client, factory, db, case, caseworker, letterhead_school
):
    body = draft(client, case, caseworker)
    viewer = factory.staff(letterhead_school, "viewer")
    answer = client.post(
        url(case, f"/{body['id']}/send"), json={"via": "post"}, headers=viewer.headers
    )
    assert answer.status_code == 403
    other = factory.school("elsewhere")
    stranger = factory.staff(other, "dpo")
    answer = client.post(
        url(case, f"/{body['id']}/send"), json={"via": "post"}, headers=stranger.headers
    )
    assert answer.status_code == 404
    assert not letters(db, case.id)[0].sent


def test_openapi_lists_the_send_endpoint_with_its_schema(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    send = spec["paths"]["/cases/{reference}/letters/{id}/send"]["post"]
    schema = send["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["via"] and set(schema["properties"]) == {"via", "on"}
    assert schema["properties"]["via"]["enum"] == list(sending.VIAS)
    assert {"200", "409", "422", "403", "404"} <= set(send["responses"])


def test_a_polish_parent_gets_the_subject_and_cover_in_polish_and_names_print_as_written(
    app, db, client, inbox, factory, letterhead_school, caseworker
):
    from sar_service.pdf_text import unicode_font_files

    with on(MADE):
        case = factory.case(
            letterhead_school,
            MADE,
            requester={
                "name": "Zofia Wiśniewska",
                "email": "zofia@example.com",
                "relationship": "mother",
            },
        )
    case.language = "pl"  # as a request made in Polish records it
    db.commit()
    body = draft(client, case, caseworker)
    with on(SENT):
        sent = client.post(
            url(case, f"/{body['id']}/send"), json={"via": "email"}, headers=caseworker.headers
        )
        assert sent.status_code == 200, sent.get_json()
        assert run_worker(app, burst=True)
    [message] = [
        m
        for m in inbox.messages
        if m["To"] == "zofia@example.com" and "PDF" in m.get_body(("plain",)).get_content()
    ]
    assert str(message["Subject"]).startswith("Pismo w sprawie Twojego wniosku")
    html = message.get_body(("html",)).get_content()
    assert '<section class="cover" lang="pl">' in html and "Zofia Wiśniewska" in html
    [pdf] = [p for p in message.iter_attachments() if p.get_filename().endswith(".pdf")]
    printed = pdf_text(pdf.get_content())
    expected = "Wiśniewska" if unicode_font_files() else "Wi?niewska"
    assert expected in printed
