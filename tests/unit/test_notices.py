"""Privacy-notice import: reading uploads, parsing notices, answering parents' questions.

The two seed notices are real (tests/fixtures/notices/seed_*.txt are copies of
/work/shared/seeds); the others were written for these tests, one per format.
"""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path

import docx
import pytest

from sar_service.notices.answers import answer_question, find_passages
from sar_service.notices.parser import parse_notice
from sar_service.notices.reader import NoticeFormatError, normalise_text, read_notice

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notices"


@cache
def notice(name: str) -> dict:
    path = FIXTURES / name
    return parse_notice(read_notice(path.read_bytes(), path.name))


def labels(parsed: dict, kind: str) -> list[str]:
    return [item["label"] for item in parsed[kind]]


def texts(parsed: dict, kind: str) -> list[str]:
    return [item["text"] for item in parsed[kind]]


# --- seed 000: a bulleted notice ---------------------------------------------


def test_seed_000_finds_every_category_with_its_examples():
    parsed = notice("seed_000.txt")
    assert labels(parsed, "categories") == [
        "Personal information",
        "Characteristics",
        "Relevant medical information",
        "Attendance information",
        "Achievements information",
        "Exclusions / behavioural information",
        "Assessment information",
        "Special needs information",
        "Personal information about a pupil's parents and/or other relatives",
        "Photographs",
        "CCTV images",
    ]
    assert parsed["categories"][0]["text"] == (
        "Personal information (such as name, unique pupil number and address)"
    )


def test_seed_000_finds_every_purpose():
    parsed = notice("seed_000.txt")
    assert labels(parsed, "purposes") == [
        "Contact parents when we need to",
        "Support pupil learning, enabling us to provide extra help where needed",
        "Monitor and report on pupil progress",
        "Track how well the school as a whole is performing",
        "Provide appropriate pastoral care",
        "Assess the quality of our services",
        "Comply with the law regarding data sharing",
        "Share data for statutory inspections and audit purposes",
    ]


def test_seed_000_finds_every_recipient_once_without_italics():
    parsed = notice("seed_000.txt")
    assert labels(parsed, "recipients") == [
        "Local authority",
        "Department for Education (DfE)",
        "Ofsted",
        "Suppliers and service providers",
        "School Meals Provider",
        "Health authorities",
        "Professional advisers and consultants",
        "Police forces, courts, tribunals",
    ]
    last = parsed["recipients"][-1]["text"]
    assert (
        last
        == "Police forces, courts, tribunals – where we have a legal obligation for safeguarding"
    )
    assert not any("*" in text for text in texts(parsed, "recipients"))


def test_seed_000_lawful_bases_map_wording_to_article_6():
    parsed = notice("seed_000.txt")
    bases = {b["basis"]: b for b in parsed["lawful_bases"]}
    assert list(bases) == ["consent", "legal_obligation", "vital_interests", "public_task"]
    assert bases["public_task"]["article"] == "Article 6(1)(e)"
    assert "task in the public interest" in bases["public_task"]["text"]
    assert "given us permission" in bases["consent"]["text"]
    assert "protect your interests" in bases["vital_interests"]["text"]
    assert len(parsed["legislation"]) == 8
    assert "Children and Families Act 2014" in labels(parsed, "legislation")
    assert "The School Standards and Framework Act 1998" in labels(parsed, "legislation")


def test_seed_000_contacts_retention_rights_and_sections():
    parsed = notice("seed_000.txt")
    assert parsed["contacts"] == [
        {"role": "School office", "name": None, "email": None, "phone": None},
        {"role": "Headteacher", "name": "Tracy Keefe", "email": None, "phone": None},
        {
            "role": "Data Protection Officer",
            "name": "Donna Flynn",
            "email": "donna.flynn@cambridgeshire.gov.uk",
            "phone": None,
        },
    ]
    assert len(parsed["retention"]) == 4
    assert parsed["retention"][0].startswith("We will keep personal information about you while")
    rights = {key for item in parsed["rights"] for key in item["rights"]}
    assert rights == {
        "withdraw_consent", "access", "objection", "automated_decisions", "rectification",
        "erasure", "restriction", "compensation", "complain_ico",
    }  # fmt: skip
    assert parsed["sources"] == []
    assert parsed["school_name"] is None
    assert "https://ico.org.uk/concerns/" in parsed["urls"]
    assert [s["heading"] for s in parsed["sections"]] == [
        "Privacy Notice (How we use pupil information)",
        "Why we collect and use this information",
        "The lawful basis on which we use this information",
        "Collecting pupil information",
        "Storing pupil data",
        "Who we share pupil information with",
        "Why we share pupil information",
        "Data collection requirements",
        "The National Pupil Database (NPD)",
        "Requesting access to your personal data",
        "Contact",
    ]
    json.dumps(parsed)  # stored as JSON in the database


# --- seed 003: a prose notice ------------------------------------------------


def test_seed_003_takes_categories_out_of_a_sentence():
    parsed = notice("seed_003.txt")
    assert parsed["school_name"] == "Crook Primary School"
    assert labels(parsed, "categories") == [
        "Contact details",
        "National curriculum assessment results",
        "Attendance information",
        "Exclusion information",
        "Destinations",
        "Personal characteristics",
        "Special educational needs",
        "Relevant medical information",
    ]
    destinations = parsed["categories"][4]["text"]
    assert destinations == "Where they go after they leave us"


def test_seed_003_purposes_recipients_and_sources():
    parsed = notice("seed_003.txt")
    assert labels(parsed, "purposes") == [
        "Support our pupils' learning",
        "Monitor and report on their progress",
        "Provide appropriate pastoral care",
        "Assess the quality of our services",
    ]
    assert labels(parsed, "recipients") == [
        "Local authority",
        "Department for Education (DfE)",
        "Cloud based service providers",
        "Third parties (via the DfE)",
    ]
    assert labels(parsed, "sources") == [
        "Previous school",
        "Local authority",
        "Department for Education (DfE)",
    ]


def test_seed_003_what_it_does_not_say_stays_empty():
    parsed = notice("seed_003.txt")
    assert parsed["retention"] == []
    assert [b["basis"] for b in parsed["lawful_bases"]] == ["consent", "legal_obligation"]
    assert parsed["contacts"] == [
        {"role": "School office", "name": None, "email": None, "phone": None}
    ]
    assert {k for item in parsed["rights"] for k in item["rights"]} == {
        "access",
        "withdraw_consent",
    }
    assert "http://crookprimary.org.uk/contactus" in parsed["urls"]


# --- a Markdown notice -------------------------------------------------------


def test_markdown_notice_with_caps_heading_and_star_bullets():
    parsed = notice("oakfield_academy.md")
    assert parsed["school_name"] == "Oakfield Academy"
    assert len(parsed["categories"]) == 9
    assert labels(parsed, "categories")[3] == (
        "Special educational needs and disabilities (SEND) information"
    )
    assert labels(parsed, "categories")[-1] == "Photographs and video recordings of school events"
    headings = {s["heading"]: s["topic"] for s in parsed["sections"]}
    assert headings["WHAT INFORMATION DO WE COLLECT?"] == "categories"
    assert len(parsed["purposes"]) == 5
    assert labels(parsed, "recipients") == [
        "Schools",
        "Local authority, Northshire County Council",
        "Department for Education (DfE)",
        "NHS school nursing team",
        "Tapestry, our online learning journal",
    ]
    assert labels(parsed, "sources") == [
        "Previous school",
        "Local authority",
        "Department for Education (DfE)",
    ]


def test_markdown_notice_markup_is_gone_and_contacts_found():
    path = FIXTURES / "oakfield_academy.md"
    text = read_notice(path.read_bytes(), path.name)
    assert "#" not in text and "**" not in text and "](" not in text
    assert "data retention schedule (https://oakfield.example.org/retention)" in text
    assert "complain to the ICO\nat https://ico.org.uk/make-a-complaint/." in text
    parsed = notice("oakfield_academy.md")
    assert [b["basis"] for b in parsed["lawful_bases"]] == [
        "consent",
        "legal_obligation",
        "public_task",
    ]
    assert parsed["contacts"] == [
        {"role": "Headteacher", "name": "Mr Daniel Okoro", "email": None, "phone": None},
        {
            "role": "Data Protection Officer",
            "name": "Mrs Priya Shah",
            "email": "dpo@oakfield.example.org",
            "phone": "01632 960 123",
        },
    ]
    assert parsed["retention"][-1] == "Most records are kept until the pupil's 25th birthday."


# --- a Word notice -----------------------------------------------------------


def riverside_docx() -> bytes:
    """Heading styles, bold-only heading, List Bullet / List Number paragraphs, a table."""
    document = docx.Document()
    document.add_heading("Riverside Church of England Primary School", level=0)
    document.add_heading("The information we hold", level=1)
    document.add_paragraph("We hold these types of information about pupils:")
    for item in (
        "Names, addresses and dates of birth",
        "Attendance and exclusion records",
        "Special educational needs information",
        "Safeguarding information",
        "Photographs",
    ):
        document.add_paragraph(item, style="List Bullet")
    document.add_heading("Why we use it", level=1)
    document.add_paragraph("We use this information to:")
    for item in (
        "support teaching and learning;",
        "look after pupils’ wellbeing; and",
        "meet our legal duties.",
    ):
        document.add_paragraph(item, style="List Number")
    document.add_heading("Who we share information with:", level=2)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Organisation", "Why we share"
    for organisation, why in (
        ("Riverside Borough Council (our local authority)", "admissions and safeguarding"),
        ("Department for Education", "the school census"),
        ("School nursing service", "health checks"),
    ):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = organisation, why
    document.add_heading("How long we keep it", level=2)
    document.add_paragraph("We keep pupil files for 25 years from the pupil’s date of birth.")
    document.add_paragraph().add_run("Contact us").bold = True
    document.add_paragraph(
        "Data Protection Officer: Sam Lee, dpo@riverside.example.org, 0300 123 4567"
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_reader_keeps_headings_lists_and_tables_in_order():
    text = read_notice(riverside_docx(), "Privacy Notice.DOCX")
    assert "\n\nThe information we hold\n\n" in text
    assert "\n\nWho we share information with\n\n" in text  # its colon dropped
    assert "\n\nContact us\n\n" in text  # bold paragraph read as a heading
    assert "- Attendance and exclusion records\n" in text
    assert "- look after pupils' wellbeing; and\n" in text
    assert "Organisation – Why we share:\n- Department for Education" not in text
    assert "Organisation – Why we share:\n- Riverside Borough Council" in text
    assert "- Department for Education – the school census" in text
    assert text.index("Why we use it") < text.index("Organisation") < text.index("How long")


def test_docx_notice_parses():
    parsed = parse_notice(read_notice(riverside_docx(), "notice.docx"))
    assert parsed["school_name"] == "Riverside Church of England Primary School"
    assert len(parsed["categories"]) == 5
    assert labels(parsed, "purposes") == [
        "Support teaching and learning",
        "Look after pupils' wellbeing",
        "Meet our legal duties",
    ]
    assert labels(parsed, "recipients") == [
        "Riverside Borough Council",
        "Department for Education (DfE)",
        "School nursing service",
    ]
    assert parsed["retention"] == [
        "We keep pupil files for 25 years from the pupil's date of birth."
    ]
    assert parsed["contacts"] == [
        {
            "role": "Data Protection Officer",
            "name": "Sam Lee",
            "email": "dpo@riverside.example.org",
            "phone": "0300 123 4567",
        }
    ]


# --- a text notice: "•" glyphs, numbered headings, a list without bullets ----


def test_text_notice_with_glyphs_numbered_headings_and_bare_list():
    parsed = notice("st_annes_primary.txt")
    assert parsed["school_name"] == "St Anne's Catholic Primary School"
    assert [s["heading"] for s in parsed["sections"]] == [
        "What we collect",
        "Why we use it",
        "Who we share with",
        "Storing pupil data",
        "Requesting access to your personal data",
        "Contact",
    ]
    assert labels(parsed, "categories") == [
        "Personal identifiers",
        "Characteristics",
        "Attendance records",
        "Assessment results",
        "Medical conditions and allergies",
    ]
    assert labels(parsed, "purposes") == [
        "Support learning",
        "Monitor progress",
        "Safeguard pupils",
    ]
    assert labels(parsed, "recipients") == [
        "Local authority",
        "Department for Education (DfE)",
        "School nurse service",
        "Catering company",
    ]
    assert [k for item in parsed["rights"] for k in item["rights"]] == ["access", "rectification"]
    assert parsed["contacts"] == [
        {
            "role": "School office",
            "name": None,
            "email": "office@stannes.example.sch.uk",
            "phone": "01234 567890",
        }
    ]


def test_windows_1252_text_reads_the_same_as_utf8():
    data = (FIXTURES / "st_annes_primary.txt").read_bytes()
    as_cp1252 = data.decode("utf-8").encode("cp1252")
    assert as_cp1252 != data
    assert read_notice(as_cp1252, "notice.txt") == read_notice(data, "notice.txt")


# --- reading: glyphs, markup and bad uploads ---------------------------------


@pytest.mark.parametrize(
    "line",
    ["• Photos", "◦ Photos", "▪ Photos", "● Photos", "– Photos", "— Photos", "* Photos",
     "\uf0b7\tPhotos", "a) Photos", "(i) Photos", "- Photos"],
)  # fmt: skip
def test_bullet_glyphs_become_dashes(line):
    assert normalise_text(f"We hold:\n{line}\n{line.replace('Photos', 'Videos')}") == (
        "We hold:\n- Photos\n- Videos"
    )


def test_numbered_lines_are_items_in_a_list_and_headings_alone():
    text = "3. Who we share with\nWe share data with:\n1. Ofsted\n2. the police\n\n4. Contact\n"
    assert normalise_text(text) == (
        "Who we share with\n\nWe share data with:\n- Ofsted\n- the police\n\nContact"
    )
    assert normalise_text(normalise_text(text)) == normalise_text(text)


def test_an_introduction_saying_who_we_share_it_with_names_no_recipient():
    parsed = parse_notice(
        "This notice explains what information we hold about pupils, why we hold it, "
        "who we share it with and what rights you have.\n\n"
        "Who we share pupil information with\n\n- the local authority\n- the NHS\n"
    )
    assert labels(parsed, "recipients") == ["Local authority", "NHS"]


def test_markdown_inline_markup_is_stripped():
    source = (
        "Setext heading\n==============\n\n"
        "See [our policy](https://example.org/p), <https://ico.org.uk> and "
        "**bold** *italic* _under_ `code` but keep snake_case_names.\n\n"
        "| Who | Why |\n|---|---|\n| Ofsted | inspection |\n"
    )
    text = read_notice(source.encode(), "notice.markdown")
    assert text.startswith("Setext heading\n\n")
    assert "See our policy (https://example.org/p), https://ico.org.uk and" in text
    assert "bold italic under code but keep snake_case_names." in text
    assert text.endswith("Who – Why:\n- Ofsted – inspection")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "notice.txt", "empty"),
        (b"  \n\n ", "notice.md", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "n.txt", "PDF"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "n.pdf", "PDF"),
        (bytes(range(256)) * 8, "notice.txt", "readable text"),
        (b"Some text", "notice.pdf", "not a PDF"),
        (b"Some text", "notice.xlsx", "Files ending .xlsx can't be read"),
        (b"Some text", "notice", "no extension"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word", "notice.doc", "save it as a Word .docx"),
        (b"this is not a zip", "notice.docx", "not a Word .docx"),
        (b"PK\x03\x04 broken zip", "notice.docx", "damaged"),
        (b"12345 67890 ---", "notice.txt", "No readable text"),
    ],
)
def test_bad_uploads_raise_a_human_message(data, filename, message):
    with pytest.raises(NoticeFormatError, match=message):
        read_notice(data, filename)


@pytest.mark.parametrize(
    ("heading", "topic"),
    [
        ("What information do we collect?", "categories"),
        ("CATEGORIES OF INFORMATION", "categories"),
        ("# The information we hold", "categories"),
        ("Why we collect and use this information", "purposes"),
        ("3. Who we share pupil information with", "recipients"),
        ("How long we keep it", "retention"),
        ("Storing pupil data", "retention"),
        ("Your rights", "rights"),
        ("Contact", "contact"),
    ],
)
def test_sections_are_recognised_whatever_their_wording(heading, topic):
    parsed = parse_notice(f"Intro.\n\n{heading}\n\nSome text about it.\n\nOther part\n\nMore.")
    assert {"heading": heading.lstrip("#3. "), "text": "Some text about it.", "topic": topic} in (
        parsed["sections"]
    )


# --- answering parents' questions --------------------------------------------


def test_who_do_you_share_with_lists_recipients_and_quotes_the_list():
    found = answer_question(notice("seed_000.txt"), "Who do you share data with?")
    assert found["answer"].startswith(
        "The school shares information with: your local authority; "
        "the Department for Education (DfE); Ofsted; suppliers and service providers;"
    )
    assert found["heading"] == "Who we share pupil information with"
    assert "Police forces, courts, tribunals" in found["passage"]


def test_how_long_do_you_keep_it_quotes_the_retention_section():
    found = answer_question(notice("seed_000.txt"), "how long do you keep it")
    assert "while you are a pupil at our school" in found["answer"]
    assert found["heading"] == "Storing pupil data"
    assert "while you are a pupil" in found["passage"]


def test_retention_items_from_a_list_are_quoted_as_separate_sentences():
    parsed = parse_notice(
        "How long we keep pupil information\n\n"
        "- we keep the pupil file until the child leaves\n"
        "- CCTV images are kept for 30 days\n"
    )
    answer = answer_question(parsed, "How long do you keep CCTV?")
    assert "until the child leaves. CCTV images are kept for 30 days." in answer["answer"]


def test_who_is_the_dpo_names_them_with_their_email():
    found = answer_question(notice("seed_000.txt"), "Who is the DPO?")
    assert found["answer"] == (
        "The school's Data Protection Officer (DPO) is Donna Flynn. "
        "You can email donna.flynn@cambridgeshire.gov.uk."
    )
    assert found["heading"] == "Contact"
    assert "Donna Flynn" in found["passage"]


def test_complaints_point_to_the_ico_passage():
    found = answer_question(notice("seed_000.txt"), "Can I complain?")
    assert "Information Commissioner's Office (ICO)" in found["answer"]
    assert "https://ico.org.uk/concerns/" in found["passage"]


def test_a_prose_notice_answers_from_its_sentences():
    parsed = notice("seed_003.txt")
    shared = answer_question(parsed, "who do you give my child's information to?")
    assert "cloud based service providers" in shared["answer"]
    assert "local authority" in shared["passage"]
    dpo = answer_question(parsed, "who is the DPO?")
    assert dpo["answer"].startswith("The privacy notice does not name the Data Protection Officer.")
    assert "school office" in dpo["answer"]


def test_questions_the_notice_does_not_answer_get_none():
    assert answer_question(notice("seed_000.txt"), "What is the capital of France?") is None
    assert find_passages(notice("seed_000.txt"), "purple monkey dishwasher") == []
    assert answer_question(notice("seed_003.txt"), "How long do you keep it?") is None
    assert answer_question({}, "who do you share data with?") is None


def test_find_passages_returns_the_best_first_within_the_limit():
    passages = find_passages(notice("seed_000.txt"), "who do you share data with?", limit=3)
    assert len(passages) == 3
    assert passages[0]["heading"] == "Who we share pupil information with"
    assert passages[0]["text"].splitlines()[1].startswith("- Our local authority")
    assert [p["score"] for p in passages] == sorted((p["score"] for p in passages), reverse=True)
