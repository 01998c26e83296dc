"""The letters panel on the case page, staff downloads, and the school's wording pages."""

from __future__ import annotations

import io
import re

import docx
from sqlalchemy import select

from sar_service.cases import machine
from sar_service.clock import today
from sar_service.letters import build
from sar_service.letters.kinds import KINDS
from sar_service.letters.render import default_template
from sar_service.letters.service import DOCX, generate_letter
from sar_service.models import LetterTemplate, School
from tests.letters.conftest import letters, sign_in_as
from tests.unit.test_letters import tiny_png


def case_url(case) -> str:
    return f"/staff/cases/{case.school.slug}/{case.reference}"


def edit_url(school, kind: str) -> str:
    return f"/staff/settings/{school.slug}/letters/{kind}"


def test_caseworker_creates_and_downloads_a_letter(web, team, factory, db):
    case = factory.case(team.school, today())
    sign_in_as(web, team, "caseworker")
    page = web.get(case_url(case))
    assert page.status_code == 200
    assert 'id="letters"' in page.text and "No letters yet." in page.text
    options = re.findall(r'<option value="([a-z_]+)" >', page.text)
    assert options[:3] == ["acknowledgement", "identity_request", "access_response"]

    made = web.post(f"{case_url(case)}/letters", {"kind": "identity_request"})
    assert made.status_code == 302 and made.location.endswith("#letters")
    [row] = letters(db, case.id)
    page = web.get(case_url(case))
    assert f"Letter created: {row.filename}" in page.text
    assert KINDS["identity_request"].title in page.text
    link = f"{case_url(case)}/letters/{row.id}"
    assert f'href="{link}"' in page.text

    download = web.get(link)
    assert download.status_code == 200 and download.mimetype == DOCX
    assert download.headers["Content-Disposition"] == f'attachment; filename="{row.filename}"'
    assert download.headers["Cache-Control"] == "no-store"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download.data)).paragraphs)
    assert f"Our reference: {case.reference}" in text


def test_a_letter_that_does_not_fit_is_explained_beside_the_field(web, team, factory, db):
    case = factory.case(team.school, today(), types=("erasure",))
    sign_in_as(web, team, "caseworker")
    wrong = web.post(f"{case_url(case)}/letters", {"kind": "extension_notice"})
    assert wrong.status_code == 422
    assert 'id="letter-kind-error"' in wrong.text and "has not been extended" in wrong.text
    no_reasons = web.post(
        f"{case_url(case)}/letters", {"kind": "erasure_outcome", "outcome": "refused"}
    )
    assert no_reasons.status_code == 422
    assert 'id="letter-outcome_reasons-error"' in no_reasons.text
    assert '<option value="refused" selected>' in no_reasons.text
    bad_withheld = web.post(
        f"{case_url(case)}/letters",
        {"kind": "erasure_outcome", "outcome": "done", "withheld": "no bar here"},
    )
    assert bad_withheld.status_code == 422 and "exemption | what was withheld" in bad_withheld.text
    assert letters(db, case.id) == []
    done = web.post(
        f"{case_url(case)}/letters",
        {
            "kind": "erasure_outcome",
            "outcome": "done",
            "recipients_notified": "Tapestry\nParentMail",
        },
    )
    assert done.status_code == 302
    assert [r.letter_kind for r in letters(db, case.id)] == ["erasure_outcome"]


def test_viewer_sees_the_letters_listed_but_cannot_open_or_create_them(web, team, factory, db):
    """Letters name the requester, whom a viewer is not shown anywhere else either."""
    case = factory.case(team.school, today())
    row = generate_letter(db, case, "acknowledgement", actor_label="System")
    db.commit()
    sign_in_as(web, team, "viewer")
    page = web.get(case_url(case))
    assert "Your request: acknowledgement" in page.text
    assert f"{case_url(case)}/letters/{row.id}" not in page.text
    assert "Create a letter" not in page.text
    assert web.get(f"{case_url(case)}/letters/{row.id}").status_code == 403
    assert web.post(f"{case_url(case)}/letters", {"kind": "acknowledgement"}).status_code == 403


def test_other_schools_letters_are_not_found(web, team, factory, db):
    case = factory.case(team.school, today())
    row = generate_letter(db, case, "acknowledgement", actor_label="System")
    db.commit()
    web.sign_in_directly(team.other_dpo)
    assert web.get(f"{case_url(case)}/letters/{row.id}").status_code == 404
    assert web.post(f"{case_url(case)}/letters", {"kind": "acknowledgement"}).status_code == 404
    assert web.get(f"/staff/settings/{team.school.slug}/letters").status_code == 404


def test_signed_out_is_sent_to_sign_in(web, team, factory):
    case = factory.case(team.school, today())
    response = web.get(f"{case_url(case)}/letters/1")
    assert response.status_code == 302 and "/staff/sign-in" in response.location


def test_dpo_edits_previews_saves_and_resets_wording(web, team, factory, db):
    school = team.school
    sign_in_as(web, team, "dpo")
    listing = web.get(f"/staff/settings/{school.slug}/letters")
    assert listing.status_code == 200
    for kind in KINDS.values():
        assert kind.title in listing.text
    page = web.get(edit_url(school, "refusal"))
    assert "You are using the default wording." in page.text
    assert "Amelia Hart" in page.text  # the preview of the demo case

    edited = default_template("refusal").replace("carefully", "very carefully")
    preview = web.post(edit_url(school, "refusal"), {"text": edited, "do": "preview"})
    assert preview.status_code == 200 and "very carefully" in preview.text
    assert "(not saved)" in preview.text
    assert db.scalar(select(LetterTemplate)) is None

    saved = web.post(edit_url(school, "refusal"), {"text": edited, "do": "save"})
    assert saved.status_code == 302
    page = web.get(edit_url(school, "refusal"))
    assert "You are using your own wording" in page.text and "very carefully" in page.text
    case = factory.case(school, today())
    refuse = machine.Request("refuse", reason="Repeated.")
    machine.apply(db, case, refuse, machine.Actor.staff(team.dpo.user, case))
    db.commit()
    row = generate_letter(db, case, "refusal", actor_label="DPO")
    db.commit()
    download = web.get(f"{case_url(case)}/letters/{row.id}")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download.data)).paragraphs)
    assert "We have considered your request very carefully" in text

    reset = web.post(edit_url(school, "refusal"), {"do": "reset"})
    assert reset.status_code == 302
    assert "You are using the default wording." in web.get(edit_url(school, "refusal")).text


def test_broken_wording_is_refused_with_a_clear_message(web, team, db):
    school = team.school
    sign_in_as(web, team, "dpo")
    broken = default_template("refusal").replace(
        "- complain to the Information Commissioner's Office (ICO), the UK's data protection "
        "regulator, at ico.org.uk or on 0303 123 1113\n",
        "",
    )
    response = web.post(edit_url(school, "refusal"), {"text": broken, "do": "save"})
    assert response.status_code == 422
    assert 'id="text-error"' in response.text and 'aria-invalid="true"' in response.text
    assert "Missing required content: the right to complain to the Information" in response.text
    assert "If you are unhappy with our decision" in response.text  # their text is kept
    syntax = web.post(edit_url(school, "refusal"), {"text": "Dear {{ requester_name", "do": "save"})
    assert syntax.status_code == 422 and "Line 1:" in syntax.text
    assert db.scalar(select(LetterTemplate)) is None


def test_only_the_dpo_changes_wording(web, team):
    sign_in_as(web, team, "caseworker")
    assert web.get(f"/staff/settings/{team.school.slug}/letters").status_code == 403
    response = web.post(edit_url(team.school, "refusal"), {"text": "x", "do": "save"})
    assert response.status_code == 403
    assert web.get(edit_url(team.school, "no_such_kind")).status_code == 403


def test_logo_upload_is_checked_and_used(web, team, db, monkeypatch):
    school = team.school
    sign_in_as(web, team, "dpo")
    url = f"/staff/settings/{school.slug}/letters/logo"
    bad = web.post(
        url,
        {"logo": (io.BytesIO(b"GIF89a not really"), "logo.gif")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "PNG or JPEG" in bad.text
    good = web.post(
        url, {"logo": (io.BytesIO(tiny_png()), "logo.png")}, content_type="multipart/form-data"
    )
    assert good.status_code == 302
    db.expire_all()
    assert db.get(School, school.id).settings["logo_key"]

    def no_reading(school):
        raise AssertionError("the preview does not show the logo, so never reads it")

    monkeypatch.setattr(build, "_logo", no_reading)
    page = web.get(edit_url(school, "refusal"))
    assert "Amelia Hart" in page.text and "The preview failed" not in page.text
    monkeypatch.undo()
    removed = web.post(url, {"do": "remove"})
    assert removed.status_code == 302
    db.expire_all()
    assert "logo_key" not in db.get(School, school.id).settings
