"""Letters: every kind renders to a real .docx that carries what the law needs.

Each rendered letter is opened back with python-docx and read as a parent
would read it. The golden-text tests compare the full paragraph text of each
sample letter with ``tests/golden/letters/<kind>.txt``; after an intended
wording change, regenerate them with

    UPDATE_GOLDEN=1 .venv/bin/pytest --noconftest -q tests/unit/test_letters.py

and review the diff. No conftest fixtures are used (only pytest's own
``tmp_path``).
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from dataclasses import fields, replace
from datetime import date
from pathlib import Path

import docx
import pytest
from jinja2 import TemplateSyntaxError

from sar_service.letters.context import LetterContext, NoticeFacts
from sar_service.letters.kinds import KIND_NAMES, KINDS, get_kind, missing_content, missing_facts
from sar_service.letters.render import (
    compose,
    default_template,
    letter_text,
    render_letter,
    sample_context,
    template_dir,
    validate_template,
)
from sar_service.letters.templating import (
    DERIVED_FIELDS,
    compile_template,
    join_list,
    longdate,
    template_vars,
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "letters"
OUTCOME_KINDS = [
    "rectification_outcome",
    "erasure_outcome",
    "restriction_outcome",
    "objection_outcome",
]
INTERFACE_KINDS = [
    "acknowledgement",
    "identity_request",
    "clarification_request",
    "extension_notice",
    "access_response",
    "educational_record_response",
    "rectification_outcome",
    "erasure_outcome",
    "restriction_outcome",
    "objection_outcome",
    "refusal",
    "consent_withdrawal_confirmation",
    "complaint_acknowledgement",
]


def read(ctx: LetterContext, template: str | None = None) -> tuple[docx.Document, str]:
    """Render, open the bytes back with python-docx, return (document, text)."""
    data = render_letter(ctx, template)
    return docx.Document(io.BytesIO(data)), letter_text(data)


def flat(text: str) -> str:
    return " ".join(text.split())


def tiny_png() -> bytes:
    """A 1x1 red PNG built from raw bytes (no Pillow)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def assert_golden(kind: str, text: str) -> None:
    """Compare with the committed file; UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / f"{kind}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert text + "\n" == expected, f"{kind} differs from {path}; UPDATE_GOLDEN=1 to accept"


# --- every kind ----------------------------------------------------------------


def test_kinds_are_exactly_those_of_the_public_interface():
    assert list(KIND_NAMES) == INTERFACE_KINDS
    for kind in KINDS.values():
        assert kind.title and kind.description and kind.checks
        assert (template_dir() / f"{kind.name}.txt").is_file()


def test_unknown_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown letter kind 'subject_access'"):
        get_kind("subject_access")


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_every_kind_renders_a_complete_letter(kind):
    ctx = sample_context(kind)
    document, text = read(ctx)
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert "Oakfield Primary School" in header
    assert "12 Oakfield Lane, Oakfield, Northshire, NS4 7QT" in header
    assert "01632 960123" in header
    body = [p.text for p in document.paragraphs]
    assert body[:5] == ["Sarah Hart", "27 Willow Road", "Oakfield", "Northshire", "NS4 8BD"]
    assert longdate(ctx.today) in body
    assert "Our reference: OAK-2026-0042" in body
    assert get_kind(kind).title in body
    assert "Pupil: Amelia Hart (date of birth 14 March 2016)" in body
    assert "Dear Sarah Hart," in body
    assert body[-4:] == [
        "Yours sincerely",
        "Priya Shah",
        "Data Protection Officer",
        "Oakfield Primary School",
    ]
    assert "Amelia Hart" in text
    assert not [line for line in body if not line.strip()], "no empty paragraphs"
    assert missing_content(ctx, text) == []


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_every_kind_matches_its_golden_text(kind):
    _, text = read(sample_context(kind))
    assert_golden(kind, text)


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_default_wording_passes_validation(kind):
    assert validate_template(kind, default_template(kind)) == []


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_pupil_writing_for_themselves_is_addressed_directly(kind):
    ctx = replace(sample_context(kind), relationship="the pupil", requester_name="Amelia Hart")
    ctx = replace(ctx, notice=NoticeFacts(purposes=["teaching"], sources=["the local authority"]))
    _, text = read(ctx)
    assert "Dear Amelia Hart," in text
    assert "your child" not in text.lower()


def test_template_fields_are_documented():
    ctx = sample_context("access_response")
    context_fields = {f.name for f in fields(LetterContext)}
    assert set(template_vars(ctx)) == context_fields | set(DERIVED_FIELDS)


def test_page_is_a4_in_arial():
    document, _ = read(sample_context("acknowledgement"))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert document.styles["Normal"].font.name == "Arial"
    headings = [p for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings and headings[0].text == "When we will reply"


def test_composed_text_is_what_the_docx_contains():
    ctx = sample_context("access_response")
    assert compose(ctx).text == letter_text(render_letter(ctx))


# --- what each kind must say -------------------------------------------------------


def test_access_response_has_every_article_15_item():
    ctx = sample_context("access_response")
    document, text = read(ctx)
    notice = ctx.notice
    for item in (
        notice.purposes + notice.categories + notice.recipients + notice.retention + notice.sources
    ):
        assert item in text, item
    lines = text.splitlines()
    assert (
        "We confirm that Oakfield Primary School processes personal data about your child, "
        "Amelia Hart. A copy of that information is enclosed with this letter." in flat(text)
    )
    for right in ("(rectification)", "(erasure)", "(restriction)", "(objection)"):
        assert any(line.endswith(right) for line in lines), right
    assert "ico.org.uk" in text and "0303 123 1113" in text
    assert "We do not make decisions about your child by automated means." in lines
    assert ctx.transfers_abroad in lines
    exemption, description = ctx.withheld[0]
    assert exemption in lines and description not in text  # the grounds, never what it was
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "the Department for Education (DfE)" in bullets


def test_access_response_without_notice_facts_is_not_complete():
    """Issue 11 item 13: a pointer to the privacy notice, or "on request", is not Art 15."""
    ctx = replace(
        sample_context("access_response"),
        notice=NoticeFacts(),
        withheld=[],
        withheld_grounds=[],
        record_sources=[],
        automated_decisions="",
    )
    _, text = read(ctx)
    assert "on request" not in text and "Most of the information came from" not in text
    missing = missing_content(ctx, text)
    for item in ("purposes", "recipients", "how long", "sources", "automated means"):
        assert any(item in label for label in missing), item
    facts = missing_facts(ctx)
    assert len(facts) == 6 and any("Article 15(1)(h)" in f for f in facts)


def test_access_response_reports_a_missing_recipient():
    ctx = sample_context("access_response")
    extra = replace(ctx.notice, recipients=[*ctx.notice.recipients, "Acme Cloud Ltd"])
    text = letter_text(render_letter(ctx))  # rendered without the new recipient
    missing = missing_content(replace(ctx, notice=extra), text)
    assert missing == ["who we share the information with (recipients)"]


def assert_remedies(text: str) -> None:
    plain = flat(text)
    assert "ico.org.uk" in plain and "0303 123 1113" in plain
    assert "seek to enforce your rights through the courts" in plain
    assert "complain to us" in plain and "complaints process" in plain


def test_refusal_gives_reasons_and_all_three_remedies():
    ctx = sample_context("refusal")
    _, text = read(ctx)
    assert ctx.refusal_reasons in text
    assert "complain to us first" in text
    assert_remedies(text)


@pytest.mark.parametrize("kind", OUTCOME_KINDS)
@pytest.mark.parametrize("outcome", ["refused", "partly"])
def test_outcomes_not_fully_done_give_reasons_and_remedies(kind, outcome):
    ctx = replace(sample_context(kind), outcome=outcome, outcome_reasons="Because of X and Y.")
    _, text = read(ctx)
    assert "Because of X and Y." in text
    assert_remedies(text)
    assert missing_content(ctx, text) == []


@pytest.mark.parametrize("kind", OUTCOME_KINDS)
def test_done_outcomes_do_not_announce_a_refusal(kind):
    ctx = replace(sample_context(kind), outcome="done")
    _, text = read(ctx)
    assert "If you disagree" not in text and "decided not" not in text


@pytest.mark.parametrize(
    "kind", ["rectification_outcome", "erasure_outcome", "restriction_outcome"]
)
def test_changes_name_the_recipients_told_under_article_19(kind):
    ctx = replace(
        sample_context(kind),
        outcome="done",
        recipients_notified=["Northshire County Council", "Tapestry"],
    )
    document, text = read(ctx)
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["Northshire County Council", "Tapestry"]
    assert "Article 19" in text


def test_rectification_says_use_was_restricted_while_checked():
    _, text = read(sample_context("rectification_outcome"))
    assert "While we checked whether the information was accurate, we restricted its use" in text


def test_extension_gives_reasons_and_new_date_within_the_first_month():
    ctx = sample_context("extension_notice")
    _, text = read(ctx)
    assert ctx.extension_reason in text
    assert "We will now reply by 2 June 2026." in text
    assert "We had expected to reply by 2 April 2026." in text
    late = replace(ctx, today=date(2026, 4, 3))
    assert missing_content(late, text) == [
        "the date of the letter in words",
        "sent within the first month (on or before the original due date)",
    ]


def test_clarification_explains_the_pause():
    ctx = sample_context("clarification_request")
    _, text = read(ctx)
    assert ctx.clarification_question in text
    assert "Article 12A" in text
    assert "The time limit is paused from the date of this letter, 5 March 2026" in text


def test_identity_request_lists_documents_and_when_the_clock_starts():
    ctx = sample_context("identity_request")
    document, text = read(ctx)
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ctx.identity_documents
    assert "starts on the day we receive your proof of identity" in text


def test_educational_record_cites_the_2005_regulations():
    _, text = read(sample_context("educational_record_response"))
    assert "Education (Pupil Information) (England) Regulations 2005" in text
    assert "within 15 school days" in text


def test_consent_withdrawal_gives_effective_date_and_systems_told():
    ctx = sample_context("consent_withdrawal_confirmation")
    _, text = read(ctx)
    assert "Your withdrawal took effect on 3 March 2026" in text
    for system in ctx.recipients_notified:
        assert system in text.splitlines()


def test_complaint_acknowledgement_refers_to_s164a_and_the_ico():
    ctx = sample_context("complaint_acknowledgement")
    _, text = read(ctx)
    assert ctx.complaint_summary in text
    assert "data protection complaints process" in text and "section 164A" in text
    assert "ico.org.uk" in text


def test_acknowledgement_gives_dates_and_extension_warning():
    _, text = read(sample_context("acknowledgement"))
    assert "we received on 2 March 2026" in text
    assert "We will reply by 2 April 2026." in text
    assert "two further months" in text


# --- filters -------------------------------------------------------------------------


def test_longdate_is_english_without_leading_zero():
    assert longdate(date(2026, 10, 3)) == "3 October 2026"
    assert longdate(date(2027, 1, 31)) == "31 January 2027"


def test_join_list_reads_like_a_letter():
    assert join_list([]) == ""
    assert join_list(["a"]) == "a"
    assert join_list(["a", "b"]) == "a and b"
    assert join_list(["a", "b", "c"]) == "a, b and c"


# --- parents' text is data --------------------------------------------------------------


def test_parent_input_comes_out_literally():
    nasty = "Eve {{ 7*7 }} <script>alert(1)</script> & **co** {% if %}\x0b# not a heading"
    ctx = replace(
        sample_context("complaint_acknowledgement"),
        requester_name=nasty,
        requester_address_lines=["# 1 High St", "- Flat 2 & 3"],
        complaint_summary=f"Line one\nLine two {nasty}",
    )
    document, text = read(ctx)
    assert "49" not in text
    assert "Eve {{ 7*7 }} <script>alert(1)</script> & **co** {% if %}\n# not a heading" in text
    assert "\x0b" not in text
    body = [p.text for p in document.paragraphs]
    assert body[1:3] == ["# 1 High St", "- Flat 2 & 3"]
    assert all(p.style.name != "Heading 2" or "#" not in p.text for p in document.paragraphs)
    assert "Line one\nLine two Eve" in text
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "co" not in bold and not [run for run in bold if "Eve" in run]


def test_control_characters_everywhere_do_not_crash():
    ctx = replace(
        sample_context("refusal"),
        reference="OAK\x00-1",
        refusal_reasons="Reason\x01\x02\x1f one.\x0c",
        letterhead=replace(sample_context("refusal").letterhead, school_name="Oak\x08field"),
    )
    _, text = read(ctx)
    assert "Our reference: OAK-1" in text and "Oakfield" in text and "Reason one." in text


# --- a school's edited template ---------------------------------------------------------


def test_unclosed_if_is_reported_with_its_line():
    errors = validate_template("refusal", "Dear {{ requester_name }},\n\n{% if outcome %}\nHello\n")
    assert len(errors) == 1
    assert errors[0].startswith("Line 4: unexpected end of template")


def test_unknown_field_is_reported_even_in_an_unused_branch():
    text = "Hello\n{% if requester_is_pupil %}\n{{ foo }}\n{% endif %}"
    assert validate_template("refusal", text) == ["Line 3: unknown field 'foo'"]


def test_misspelt_attribute_is_reported():
    errors = validate_template("access_response", "{{ notice.purpses }}")
    assert errors == ["Line 1: unknown field 'purpses'"]


def test_sandbox_escape_is_refused():
    errors = validate_template("refusal", "Hi\n{{ ''.__class__.__mro__[1].__subclasses__() }}")
    assert len(errors) == 1
    assert errors[0].startswith("Line 2: not allowed:") and "__class__" in errors[0]


@pytest.mark.parametrize("expression", ["((9**99)**99)**99", "'x' * 10**8"])
def test_templates_cannot_exhaust_the_worker(expression):
    errors = validate_template("refusal", "{{ " + expression + " }}")
    assert errors[0].startswith("Line 1: not allowed:")


def test_removing_the_ico_from_a_refusal_is_reported():
    edited = default_template("refusal").replace(
        "- complain to the Information Commissioner's Office (ICO), the UK's data protection "
        "regulator, at ico.org.uk or on 0303 123 1113\n",
        "",
    )
    assert edited != default_template("refusal")
    errors = validate_template("refusal", edited)
    assert errors == [
        "Missing required content: the right to complain to the Information Commissioner's "
        "Office (ico.org.uk, 0303 123 1113)"
    ]


def test_a_branch_the_sample_does_not_reach_is_still_checked():
    # The objection sample is "done"; the remedies only appear when it is not.
    edited = default_template("objection_outcome").replace(
        "- seek to enforce your rights through the courts "
        "(you may wish to take independent legal advice first)\n",
        "",
    )
    errors = validate_template("objection_outcome", edited)
    assert errors == [
        "Missing required content (when the outcome is 'partly'): the right to seek to "
        "enforce your rights through the courts (judicial remedy)"
    ]


def test_broken_template_raises_at_render_time_too():
    with pytest.raises(TemplateSyntaxError):
        render_letter(sample_context("refusal"), "{% if %}")


def test_edited_template_is_used_and_compiled_once():
    text = default_template("refusal").replace("carefully", "very carefully")
    assert compile_template(text) is compile_template(text)
    _, rendered = read(sample_context("refusal"), text)
    assert "We have considered your request very carefully" in rendered


def test_explicit_template_directory(tmp_path):
    (tmp_path / "acknowledgement.txt").write_text(
        "Dear {{ requester_name }},\n\n# Received\nWe got it on {{ received_on }}.\n"
    )
    data = render_letter(sample_context("acknowledgement"), template_directory=tmp_path)
    assert "We got it on 2 March 2026." in letter_text(data)


# --- letterhead --------------------------------------------------------------------------


def test_logo_is_an_inline_picture_in_the_header():
    ctx = sample_context("acknowledgement")
    ctx = replace(ctx, letterhead=replace(ctx.letterhead, logo_png=tiny_png()))
    document, _ = read(ctx)
    header = document.sections[0].header
    inline = header._element.xpath(".//wp:inline//pic:pic")
    assert len(inline) == 1
    images = [rel for rel in header.part.rels.values() if rel.reltype.endswith("/image")]
    assert len(images) == 1 and images[0].target_part.blob == tiny_png()


def test_unreadable_logo_does_not_stop_the_letter():
    ctx = sample_context("acknowledgement")
    ctx = replace(ctx, letterhead=replace(ctx.letterhead, logo_png=b"not an image"))
    document, text = read(ctx)
    assert "Oakfield Primary School" in text
    assert not document.sections[0].header._element.xpath(".//wp:inline")
