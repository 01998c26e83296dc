"""One test per quirk real school notices have (issue 13), each on a small notice of its own.

Every test here failed on the reader as it was before the issue; each checks
what staff would notice: the lists, their first and last items, the counts.
"""

from __future__ import annotations

import pytest

from sar_service.notices.parser import parse_notice
from sar_service.notices.reader import read_notice

CATS = "The categories of pupil information that we collect, hold and share include:"
ITEMS = ["Personal identifiers (such as name and address)", "Attendance", "Medical information"]


def texts(parsed: dict, kind: str) -> list[str]:
    return [item["text"] for item in parsed[kind]]


def parse(text: str) -> dict:
    return parse_notice(read_notice(text.encode("utf-8"), "notice.txt"))


@pytest.mark.parametrize(
    ("marker", "name"),
    [("\uf0b7\t", "Word Symbol glyph"), ("o\t", "o"), ("o ", "o space"), ("* ", "star"),
     ("· ", "middle dot"), ("– ", "en dash"), ("1. ", "numbered"), ("a) ", "lettered"),
     ("(a) ", "bracketed letter"), ("1) ", "number bracket")],
)  # fmt: skip
def test_every_bullet_style_gives_the_same_items(marker, name):
    if marker[0] in "1a(":
        items = [marker.replace("1", str(i + 1)).replace("a", "abc"[i]) + x for i, x in
                 enumerate(ITEMS)]  # fmt: skip
    else:
        items = [marker + x for x in ITEMS]
    parsed = parse(f"Privacy notice\n\n{CATS}\n" + "\n".join(items) + "\n")
    assert texts(parsed, "categories") == ITEMS, name


def test_items_ending_in_semicolons_without_bullets_are_a_list():
    parsed = parse(
        f"{CATS}\n\nYour contact details;\nYour test results;\nYour attendance records; and\n"
        "Any medical conditions you have.\n\nWhy we use it\n\nWe use it to help you learn."
    )
    assert texts(parsed, "categories") == [
        "Your contact details", "Your test results", "Your attendance records",
        "Any medical conditions you have",
    ]  # fmt: skip
    assert parsed["categories"][0]["label"] == "Contact details"


def test_bullets_inline_in_one_paragraph():
    parsed = parse(f"{CATS} • Names • Attendance • Test results • Photographs\n")
    assert texts(parsed, "categories") == ["Names", "Attendance", "Test results", "Photographs"]


@pytest.mark.parametrize(
    "lead_in",
    ["We use the pupil data:", "we use pupil data:", "We use this information:",
     "In accordance with the regulations named above, we use pupil data:", "The purposes are",
     "The trust uses pupil data to:", "We collect and use pupil information, for the following "
     "purposes:"],
)  # fmt: skip
def test_purposes_under_lead_ins_the_old_reader_did_not_know(lead_in):
    parsed = parse(
        f"Privacy notice\n\n{CATS}\n- Names\n- Attendance\n\nWhy we collect and use this "
        f"information\n\n{lead_in}\n- to support pupil learning\n- to keep children safe\n"
    )
    assert texts(parsed, "purposes") == ["To support pupil learning", "To keep children safe"]
    assert texts(parsed, "categories") == ["Names", "Attendance"]


def test_purposes_only_in_prose():
    parsed = parse(
        "Why we collect and use pupil information\n\nWe use this information to support pupil "
        "learning, monitor and report on pupil progress and provide appropriate pastoral care."
    )
    assert [i["label"] for i in parsed["purposes"]] == [
        "Support pupil learning", "Monitor and report on pupil progress",
        "Provide appropriate pastoral care",
    ]  # fmt: skip
    assert parsed["confidence"]["purposes"]["level"] == "low"  # staff check prose-only lists


def test_categories_split_under_two_headings():
    """As Word users write it: both lead-ins styled as headings (the first mentions sharing)."""
    from tests.fixtures.notices.corpus.render import to_docx

    document = to_docx(
        [("h", "Privacy notice"), ("h", CATS), ("ul", "bullet", ["Names", "Attendance"]),
         ("h", "We also hold additional information including:"),
         ("ul", "bullet", ["CCTV images", "Biometric information (such as fingerprints)"]),
         ("h", "Why we collect and use this information"), ("p", "We use the pupil data:"),
         ("ul", "bullet", ["to support learning"])]
    )  # fmt: skip
    parsed = parse_notice(read_notice(document, "notice.docx"))
    assert texts(parsed, "categories") == [
        "Names", "Attendance", "CCTV images", "Biometric information (such as fingerprints)",
    ]  # fmt: skip
    assert texts(parsed, "recipients") == []


def test_a_list_of_lawful_bases_and_laws_between_categories_and_purposes():
    parsed = parse(
        f"{CATS}\n- Names\n- Attendance\n\nThe lawful basis on which we use this information\n\n"
        "In addition, concerning any special category data:\n"
        "- Article 9(2)(a) – explicit consent\n"
        "- Article 9(2)(g) – reasons of substantial public interest\n\n"
        "We collect and use pupil information under the following laws:\n"
        "- the Education Act 1996\n- the Children Act 1989\n\n"
        "Why we collect and use pupil information\n\n"
        "In accordance with the regulations named above, we use pupil data:\n"
        "- to support pupil learning\n- to keep children safe\n"
    )
    assert texts(parsed, "categories") == ["Names", "Attendance"]
    assert texts(parsed, "purposes") == ["To support pupil learning", "To keep children safe"]
    assert "The Education Act 1996" in texts(parsed, "legislation")
    assert [b["basis"] for b in parsed["lawful_bases"]][:1] == ["consent"]


def test_purposes_before_categories():
    parsed = parse(
        "Elmfield Infant School\n\nThe purposes are\n– to support learning\n"
        "– to comply with the law\n\nWhat information do we collect and share?\n\n"
        "– Names\n– Attendance\n"
    )
    assert texts(parsed, "purposes") == ["To support learning", "To comply with the law"]
    assert texts(parsed, "categories") == ["Names", "Attendance"]


def test_a_trust_wide_notice_is_named_after_the_trust():
    parsed = parse(
        "Juniper Learning Trust\n\nPrivacy notice for pupils\n\nThe trust is the data controller "
        f"for all of its academies.\n\n{CATS}\n- Names\n- Attendance\n"
    )
    assert parsed["school_name"] == "Juniper Learning Trust"


def test_a_heading_inside_the_last_bullet_of_a_pdf_is_split_off():
    from tests.fixtures.notices.corpus.render import to_pdf

    pdf = to_pdf(
        [("h", "Pinecrest Primary School"), ("p", CATS), ("ul", "bullet", ITEMS),
         ("h", "Why we collect and use this information"), ("p", "we use pupil data:"),
         ("ul", "bullet", ["to support pupil learning", "to provide appropriate pastoral care "
                           "for every pupil in every class of the school, every day of the year"]),
         ("h", "Who we share pupil information with"), ("p", "We share it with:"),
         ("ul", "bullet", ["our local authority", "the Department for Education (DfE)"])]
    )  # fmt: skip
    parsed = parse_notice(read_notice(pdf, "notice.pdf"))
    assert texts(parsed, "categories") == ITEMS
    assert len(parsed["purposes"]) == 2
    assert parsed["purposes"][-1]["text"].endswith("every day of the year")
    assert [s["heading"] for s in parsed["sections"]][-2:] == [
        "Why we collect and use this information", "Who we share pupil information with",
    ]  # fmt: skip


def test_pdf_lines_broken_mid_sentence_are_joined():
    from sar_service.notices.pdf import reflow

    text = reflow([
        "Storing pupil data",
        "We hold pupil data securely for the set amount of time shown in our data retention",
        "schedule. Pupil files are kept until the pupil's 25th birthday.",
        "Contact",
        "Please contact the school office.",
    ])  # fmt: skip
    assert "retention schedule. Pupil files" in text
    assert "\n\nContact\n\n" in text


def test_recipients_are_named_bodies_or_classes_and_transfers_are_not_recipients():
    parsed = parse(
        "Who we share pupil information with\n\nWe routinely share pupil information with:\n"
        "- Ofsted\n- our catering provider\n- Arbor Education, our MIS supplier\n\n"
        "Transferring data internationally\n\nWhere we transfer personal data to a country "
        "outside the UK, we make sure it is protected."
    )
    assert [(i["label"], i["kind"]) for i in parsed["recipients"]] == [
        ("Ofsted", "body"),
        ("Catering provider", "class"),
        ("Arbor Education, our MIS supplier", "body"),
    ]
    assert parsed["topics"]["transfers_abroad"] == [
        "Where we transfer personal data to a country outside the UK, we make sure it is protected."
    ]


def test_cctv_photographs_biometrics_and_automated_decisions_are_found():
    parsed = parse(
        "CCTV\n\nCCTV footage is kept for 30 days.\n\nPhotographs\n\nWe ask before using photos "
        "of pupils on our website.\n\nBiometric information\n\nWe use fingerprints for the "
        "cashless catering system.\n\nAutomated decision making\n\nWe do not use automated "
        "decision making."
    )
    topics = parsed["topics"]
    assert topics["cctv"] == ["CCTV footage is kept for 30 days."]
    assert topics["photographs"] == ["We ask before using photos of pupils on our website."]
    assert topics["biometrics"] == ["We use fingerprints for the cashless catering system."]
    assert topics["automated_decisions"] == ["We do not use automated decision making."]
    assert topics["transfers_abroad"] == []
    assert [s["topic"] for s in parsed["sections"]] == [
        "cctv", "photographs", "biometrics", "automated",
    ]  # fmt: skip


def test_a_tab_separated_table_copied_from_word_is_a_list_of_recipients():
    parsed = parse(
        "Who we share pupil information with\n\nWho we share with\tWhy\n"
        "Our local authority\tsafeguarding\nOfsted\tinspections\n"
    )
    assert texts(parsed, "recipients") == [
        "Our local authority – safeguarding",
        "Ofsted – inspections",
    ]


def test_items_indented_by_a_tab_are_a_list_when_words_bullets_were_lost():
    """The DfE template copied out of Word: each item starts with a tab, its glyph gone."""
    parsed = parse(
        "The categories of pupil information that we process include:\n"
        "\tpersonal identifiers and contacts (such as name and address)\n"
        "\tmedical and administration (such as doctors information, child health, dental health, "
        "allergies, medication and dietary requirements)\n\n"
        "Why we collect and use pupil information\n"
        "We collect and use pupil information, for the following purposes:\n"
        "a)\tto support pupil learning\nb)\tto keep children safe\n"
    )
    assert texts(parsed, "categories") == [
        "Personal identifiers and contacts (such as name and address)",
        "Medical and administration (such as doctors information, child health, dental health, "
        "allergies, medication and dietary requirements)",
    ]
    assert texts(parsed, "purposes") == ["To support pupil learning", "To keep children safe"]


def test_what_the_dfe_shares_is_not_the_schools_categories_or_recipients():
    parsed = parse(
        "Who we share pupil information with\n\nWe routinely share pupil information with:\n"
        "- our local authority\n- the Department for Education (DfE)\n\n"
        "Sharing by the Department\n\nThe law allows the Department to share pupils' personal "
        "data with certain third parties, including:\n- schools\n- researchers\n"
    )
    assert texts(parsed, "recipients") == [
        "Our local authority",
        "The Department for Education (DfE)",
    ]
    assert texts(parsed, "categories") == []


def test_the_icos_helpline_is_not_a_school_contact():
    parsed = parse(
        "Complaints\n\nYou can also complain to the Information Commissioner's Office: report a "
        "concern online at https://ico.org.uk/make-a-complaint/ or call 0303 123 1113.\n\n"
        "Contact us\n\nPlease contact our Data Protection Officer: Ms Priya Nair, "
        "dpo@riverbend.example.org.uk, 01632 963 100.\n"
    )
    assert [c["phone"] for c in parsed["contacts"]] == ["01632 963 100"]


def test_pdf_words_split_by_a_hyphen_at_the_line_end_are_joined():
    from sar_service.notices.pdf import reflow

    text = reflow([
        "Storing pupil data",
        "We hold pupil data securely for the set amount of time shown in our data reten-",
        "tion schedule, then delete it.",
    ])  # fmt: skip
    assert "data retention schedule, then delete it." in text
