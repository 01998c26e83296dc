"""Correspondence is part of the transition (issue 10 item 1): the action form on the case page
previews the letter, may edit it for this case, and one POST applies the step, writes the
letter and sends it; the workflow's job then does not write a second one."""

from __future__ import annotations

import io
import re

import docx
from sqlalchemy import select

from sar_service.clock import today
from sar_service.letters.templating import longdate
from sar_service.models import Case, CaseEvent, Document
from sar_service.processes import run_worker
from tests.letters.conftest import letters

REASON = "Your request covers six years of staff emails that we must check one by one."


def case_url(case) -> str:
    return f"/staff/cases/{case.school.slug}/{case.reference}"


def action(web, case, name: str, reason: str = "", **letter) -> object:
    page = web.get(case_url(case))
    seen = re.search(r'name="seen_event" value="(\d+)"', page.text).group(1)
    data = {
        "action": name,
        "version": str(case.version),
        "seen_event": seen,
        "on": today().isoformat(),
        "reason": reason,
        **letter,
    }
    return web.post(case_url(case) + "/actions", data)


def test_extend_sends_the_notice_by_email_in_the_same_step(app, db, web, team, inbox, factory):
    """Finding: "Extend by two months" says "(the requester will be told)" — nothing was sent."""
    case = factory.case(team.school, today())
    web.sign_in(team.caseworker, team.caseworker_secret)
    page = web.get(case_url(case))
    assert 'id="extend-letter"' in page.text and "Preview the letter" in page.text

    preview = action(web, case, "extend", REASON, letter_via="email", do="preview")
    assert preview.status_code == 200
    assert 'class="letter-preview"' in preview.text and REASON in preview.text
    db.expire_all()
    assert not db.get(Case, case.id).extended  # a preview changes nothing

    done = action(web, case, "extend", REASON, letter_via="email", do="confirm")
    assert done.status_code == 302, done.text
    db.expire_all()
    [letter] = letters(db, case.id, "extension_notice")
    assert letter.sent_via == "email" and letter.sent_on == today()
    assert run_worker(app, burst=True)  # sends the email; the effect job finds the letter
    assert len(letters(db, case.id, "extension_notice")) == 1
    [message] = [m for m in inbox.messages if "A letter about" in str(m["Subject"])]
    assert message["To"] == "sarah.hart@example.com"
    html = message.get_body(("html",)).get_content()
    assert REASON in html and longdate(today()) in html
    names = sorted(p.get_filename() for p in message.iter_attachments())
    assert names == [f"{case.reference}-extension_notice-v1.{ext}" for ext in ("docx", "pdf")]
    import html as html_lib

    timeline = html_lib.unescape(web.get(case_url(case)).text)
    assert "sent by email" in timeline and f"Message-ID {message['Message-ID']}" in timeline
    assert 'class="hint letter-delivery"' in timeline  # the letters panel says it was accepted


def test_letters_go_by_post_with_edited_wording_without_leaving_the_tool(
    app, db, web, team, factory
):
    """Finding: letters must be generated separately, downloaded as .docx and sent outside the
    tool. Here: the clarification question is what the letter asks; edited; posted."""
    case = factory.case(team.school, today())
    web.sign_in(team.caseworker, team.caseworker_secret)
    question = "Which school years should we search?"
    page = web.get(case_url(case))
    wording = re.search(
        r'id="request_clarification-letter_wording"[^>]*>([^<]*)</textarea>', page.text
    ).group(1)
    import html as html_lib

    edited = html_lib.unescape(wording).replace(
        "If you would like everything we hold",
        "PS: we are happy to help. If you would like everything we hold",
    )
    done = action(
        web,
        case,
        "request_clarification",
        question,
        letter_via="post",
        letter_on=today().isoformat(),
        letter_wording=edited,
        do="confirm",
    )
    assert done.status_code == 302, done.text
    db.expire_all()
    [letter] = letters(db, case.id, "clarification_request")
    assert letter.sent_via == "post" and letter.wording
    from sar_service.storage import storage

    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(storage(app).get(letter.storage_key))).paragraphs
    )
    assert question in text and "PS: we are happy to help." in text
    pdf = web.get(case_url(case) + f"/letters/{letter.id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    import pypdf

    printed = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert question in printed
    assert run_worker(app, burst=True)
    assert len(letters(db, case.id, "clarification_request")) == 1


def test_a_wording_that_fails_the_checks_blocks_the_whole_step(app, db, web, team, factory):
    case = factory.case(team.school, today())
    web.sign_in(team.caseworker, team.caseworker_secret)
    refused = action(
        web,
        case,
        "extend",
        REASON,
        letter_via="post",
        letter_wording="Dear {{ requester_name }}, more time please.",
        do="confirm",
    )
    assert refused.status_code == 409
    assert "fails the legal checks" in refused.text
    db.expire_all()
    assert not db.get(Case, case.id).extended and not letters(db, case.id, "extension_notice")
    bad = action(
        web,
        case,
        "extend",
        REASON,
        letter_via="post",
        letter_wording="Dear {{ nobody }}",
        do="confirm",
    )
    assert bad.status_code == 422 and "unknown field" in bad.text
    assert not db.scalar(select(CaseEvent.id).where(CaseEvent.action == "letter_sent"))
    assert not db.scalar(select(Document.id).where(Document.sent_via != ""))


def to_signoff(db, case) -> None:
    from sar_service.cases import machine

    for step in ("verify_identity", "start_review", "submit_for_signoff"):
        machine.apply(db, case, machine.Request(step), machine.Actor.system("Test"))
    db.commit()


def test_sign_off_sends_the_response_letter_first(app, db, web, team, factory):
    case = factory.case(team.school, today(), types=("complaint",))
    to_signoff(db, case)
    web.sign_in(team.dpo, team.dpo_secret)
    page = web.get(case_url(case))
    assert 'id="respond-letter"' in page.text and "Sent with the sign-off" in page.text
    preview = action(web, case, "respond", letter_via="email", do="preview")
    assert preview.status_code == 200 and 'class="letter-preview"' in preview.text
    done = action(web, case, "respond", letter_via="email", do="confirm")
    assert done.status_code == 302, done.text
    db.expire_all()
    [letter] = letters(db, case.id, "complaint_acknowledgement")
    assert letter.sent_via == "email" and db.get(Case, case.id).status == "responded"
    sent, responded = (
        db.scalar(select(CaseEvent.id).where(CaseEvent.action == a))
        for a in ("letter_sent", "respond")
    )
    assert sent < responded  # sent before the step (the respond guard may require it)


def test_sign_off_without_the_outcome_letter_is_refused(app, db, web, team, factory):
    case = factory.case(team.school, today(), types=("rectification",))
    to_signoff(db, case)
    web.sign_in(team.dpo, team.dpo_secret)
    refused = action(web, case, "respond", letter_via="post", do="confirm")
    assert refused.status_code == 409 and "Make the" in refused.text
    db.expire_all()
    assert db.get(Case, case.id).status == "awaiting_signoff"


def test_a_draft_is_read_edited_and_posted_from_the_case_page(app, db, web, team, factory):
    from sar_service.letters.service import generate_letter

    case = factory.case(team.school, today())
    draft = generate_letter(db, case, "identity_request", actor_label="API client")
    db.commit()
    web.sign_in(team.caseworker, team.caseworker_secret)
    base = case_url(case) + f"/letters/{draft.id}"
    page = web.get(base + "/view")
    assert page.status_code == 200 and 'class="letter-preview"' in page.text
    assert "What we need from you" in page.text  # the letter's own heading, as HTML

    bad = web.post(base + "/wording", {"wording": "Dear {{ requester_name }}, send ID."})
    assert bad.status_code == 302
    db.expire_all()
    assert db.get(Document, draft.id).blocked  # kept, but blocked until fixed or overridden
    assert "fails the legal checks" in web.get(base + "/view").text
    refused = web.post(base + "/send", {"via": "post", "on": today().isoformat()})
    assert refused.status_code == 409 and "fails the legal checks" in refused.text

    import html as html_lib

    original = html_lib.unescape(
        re.search(r'<textarea id="wording"[^>]*>([^<]*)</textarea>', page.text).group(1)
    )
    fixed = web.post(base + "/wording", {"wording": original + "\nWith thanks for your patience."})
    assert fixed.status_code == 302
    sent = web.post(base + "/send", {"via": "post", "on": today().isoformat()})
    assert sent.status_code == 302, sent.text
    db.expire_all()
    row = db.get(Document, draft.id)
    assert row.sent_via == "post" and not row.blocked and row.wording
    assert "With thanks for your patience." in web.get(base + "/view").text
    again = web.post(base + "/wording", {"wording": original})
    assert again.status_code == 409  # a sent letter never changes
