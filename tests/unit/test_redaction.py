"""Redaction suggestions and redacted copies, measured against planted third-party data.

The fixtures in tests/fixtures/redaction are realistic school records; planted.json lists every
third-party item planted in them, so recall and precision are computed, not eyeballed.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

from sar_service.records.extract import (
    extract_text,
    needs_manual_redaction,
    redact_document,
)
from sar_service.records.redaction import (
    Person,
    Suggestion,
    apply_redactions,
    suggest_redactions,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "redaction"
SPEC = json.loads((FIXTURES / "planted.json").read_text(encoding="utf-8"))
ROLL = [Person(p["name"], p["role"]) for p in SPEC["roll"]]
KEEP = [SPEC["subject"], SPEC["requester"], *SPEC["keep_extra"]]
DOC_NAMES = sorted(SPEC["documents"])


def build_safeguarding_docx() -> bytes:
    """A DSL's note with names split across runs, a table, a header, a comment and metadata."""
    doc = Document()
    doc.core_properties.author = "Rebecca Hall"
    doc.core_properties.title = "Concern about Mark Turner"
    header = doc.sections[0].header.paragraphs[0]
    header.text = "CONFIDENTIAL – safeguarding record prepared by Rebecca Hall"
    doc.add_heading("Safeguarding concern record", level=1)
    p = doc.add_paragraph("Pupil: ")
    p.add_run("Oliver Bennett").bold = True
    p.add_run(" (Year 4)")
    p = doc.add_paragraph("Concern logged by ")
    p.add_run("Rebecca").bold = True
    p.add_run(" Hall").italic = True
    p.add_run(" (DSL) on 12/03/2025 at 15:20.")
    p = doc.add_paragraph("Oliver told his class teacher that ")
    p.add_run("Mark Tu").bold = True
    p.add_run("rner")
    p.add_run(" (Jake's father) shouted at him at the school gate on Tuesday.")
    commented = doc.add_paragraph("Witnessed by James Fletcher (TA) and Mrs Okafor.")
    doc.add_comment(commented.runs, text="Check with Rebecca Hall first", author="Rebecca Hall")
    table = doc.add_table(rows=0, cols=3)
    rows = [
        ("Action", "By", "Date"),
        ("Phoned Mr Turner on 07700 900462", "Rebecca Hall", "12/03/2025"),
        ("Informed Claire Bennett (mother)", "Rebecca Hall", "12/03/2025"),
        ("Discussed with social worker Dawn Riley", "Rebecca Hall", "13/03/2025"),
    ]
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    doc.add_paragraph("Mr Turner's address on file: 14 Meadow Lane, Leeds LS6 2QT.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def load(name: str) -> tuple[bytes, str]:
    kind = SPEC["documents"][name]["kind"]
    if name == "safeguarding_note.docx":
        return build_safeguarding_docx(), kind
    return (FIXTURES / name).read_bytes(), kind


def _phrase(text: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(word) for word in text.split())
    return re.compile(r"(?<![\w-])" + body + r"(?![\w-])")


def planted_spans(text: str, planted: list[dict]) -> list[tuple[int, int, str]]:
    """Every occurrence of every planted item, longest first so "Jake" is not counted twice."""
    spans: list[tuple[int, int, str]] = []
    for item in sorted(planted, key=lambda i: -len(i["text"])):
        found = False
        for m in _phrase(item["text"]).finditer(text):
            if not any(m.start() < e and s < m.end() for s, e, _ in spans):
                spans.append((m.start(), m.end(), item["kind"]))
                found = True
        assert found, f"fixture problem: planted {item['text']!r} is not in the document"
    return spans


def analyse(name: str) -> tuple[str, list[Suggestion], list[tuple[int, int, str]]]:
    data, kind = load(name)
    text = extract_text(data, kind)
    suggestions = suggest_redactions(text, ROLL, KEEP)
    return text, suggestions, planted_spans(text, SPEC["documents"][name]["planted"])


def covered(span: tuple[int, int, str], suggestions: list[Suggestion]) -> bool:
    return any(s.start <= span[0] and span[1] <= s.end for s in suggestions)


# ---------------------------------------------------------------- the sample set


@pytest.mark.parametrize("name", DOC_NAMES)
def test_every_planted_item_is_suggested(name):
    text, suggestions, planted = analyse(name)
    missed = [text[s:e] for s, e, _ in planted if not covered((s, e, ""), suggestions)]
    assert missed == [], f"{name}: missed {missed}"


@pytest.mark.parametrize("name", DOC_NAMES)
def test_subject_requester_and_decoys_are_never_suggested(name):
    text, suggestions, _ = analyse(name)
    protected = SPEC["documents"][name]["decoys"] + [SPEC["subject"], SPEC["requester"]]
    for phrase in protected:
        for m in _phrase(phrase).finditer(text):
            hits = [s.text for s in suggestions if s.start < m.end() and m.start() < s.end]
            assert hits == [], f"{name}: {phrase!r} overlapped by {hits}"
    for s in suggestions:
        assert "bennett" not in s.text.lower()
        assert s.text.lower() not in {"oliver", "claire"}


def test_precision_and_recall_over_the_sample_set():
    true_suggestions = all_suggestions = found = planted_total = 0
    names_found = names_total = 0
    print()
    for name in DOC_NAMES:
        _, suggestions, planted = analyse(name)
        hits = sum(covered(p, suggestions) for p in planted)
        true = sum(any(s.start < e and p < s.end for p, e, _ in planted) for s in suggestions)
        names = [p for p in planted if p[2] == "name"]
        names_found += sum(covered(p, suggestions) for p in names)
        names_total += len(names)
        found, planted_total = found + hits, planted_total + len(planted)
        true_suggestions, all_suggestions = (
            true_suggestions + true,
            all_suggestions + len(suggestions),
        )
        misses = len(SPEC["documents"][name]["expected_misses"])
        print(f"  {name:30} planted {len(planted):3}  found {hits:3}  suggested "
              f"{len(suggestions):3}  true {true:3}  known misses {misses}")  # fmt: skip
    recall, precision = found / planted_total, true_suggestions / all_suggestions
    print(f"  recall {recall:.1%} ({found}/{planted_total}); names {names_found}/{names_total}")
    print(f"  precision {precision:.1%} ({true_suggestions}/{all_suggestions})")
    assert names_found == names_total
    assert recall == 1.0
    assert precision >= 0.9


# ---------------------------------------------------------------- name matching rules


def suggest(text: str, keep: list[str] | None = None) -> list[str]:
    """The roll matcher alone (names found without the roll are tested in test_names.py)."""
    keep = KEEP if keep is None else keep
    return [s.text for s in suggest_redactions(text, ROLL, keep, unlisted=False)]


def test_full_surname_first_possessive_and_case_insensitive():
    text = "Jake Turner; TURNER, JAKE; turner,jake; Jake's coat; Mark Turner's car; jake turner"
    assert suggest(text) == [
        "Jake Turner", "TURNER, JAKE", "turner,jake", "Jake", "Mark Turner", "jake turner",
    ]  # fmt: skip


def test_no_match_inside_other_words():
    text = "Mrs Smithson, Leonard, blacksmith, Jake-Paul, Turners, Theodore, Oscar-worthy, Noahs"
    assert suggest(text) == []


def test_first_name_alone_only_when_unique_capitalised_and_not_kept():
    assert suggest("Amelia and Noah") == ["Noah"]  # two Amelias on the roll
    assert suggest("with good grace", keep=[]) == []  # lower case: an ordinary word
    assert suggest("Grace was kind") == ["Grace"]
    roll = [Person("Oliver Smith", "pupil"), Person("Oliver Bennett", "pupil")]
    only = [Person("Oliver Smith", "pupil")]
    assert [s.text for s in suggest_redactions("Oliver came", only, ["Oliver Bennett"])] == []
    assert [s.text for s in suggest_redactions("Oliver Smith came", roll, KEEP)] == ["Oliver Smith"]


def test_longest_match_wins_and_suggestions_never_overlap():
    roll = [Person("Ann Jones", "pupil"), Person("Mary Ann Jones", "pupil")]
    got = suggest_redactions("Mary Ann Jones and Ann Jones", roll, [])
    assert [s.text for s in got] == ["Mary Ann Jones", "Ann Jones"]
    kept = suggest_redactions("Mary Ann Jones and Ann Jones", roll[:1], ["Mary Ann Jones"])
    assert [s.text for s in kept] == ["Ann Jones"]
    text = "Email mark.turner@example.com, or Mark Turner, 14 Meadow Lane LS6 2QT."
    spans = [(s.start, s.end) for s in suggest_redactions(text, ROLL, KEEP)]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert suggest(text) == [
        "mark.turner@example.com", "Mark Turner", "14 Meadow Lane", "LS6 2QT",
    ]  # fmt: skip


def test_titles_initials_and_accents():
    assert suggest("Mrs Okafor, Mr. Turner, H. Okafor, M Turner, Zoe O’Connor") == [
        "Mrs Okafor", "Mr. Turner", "H. Okafor", "M Turner", "Zoe",
    ]  # fmt: skip
    roll = [Person("Siobhán O'Neill", "staff")]
    got = suggest_redactions("Ask Siobhan O’Neill or SIOBHÁN O'NEILL.", roll, [])
    assert [s.text for s in got] == ["Siobhan O’Neill", "SIOBHÁN O'NEILL"]


def test_kept_surname_blocks_title_form_but_not_other_people():
    roll = [Person("Paul Bennett", "parent"), *ROLL]
    got = [s.text for s in suggest_redactions("Mr Bennett and Paul Bennett", roll, KEEP)]
    assert got == ["Paul Bennett"]


def test_contact_details_upns_addresses_and_postcodes():
    text = (
        "Call 07700 900123, +44 7700 900124, +44 (0)7700 900125, (01632) 960 001,\n"
        "020-7946-0018 or 0113 496 0999. Not 2025-03-14, 12/03/2025 or 123456.\n"
        "UPN A123456789012, temporary UPN K80120031200A. Write to 7a Lime Grove, "
        "Leeds LS6 2QT or 112 St John's Road, M1 1AE. In Year 6 Green Class."
    )
    got = [(s.kind, s.text) for s in suggest_redactions(text, ROLL, KEEP)]
    assert got == [
        ("phone", "07700 900123"),
        ("phone", "+44 7700 900124"),
        ("phone", "+44 (0)7700 900125"),
        ("phone", "(01632) 960 001"),
        ("phone", "020-7946-0018"),
        ("phone", "0113 496 0999"),
        ("upn", "A123456789012"),
        ("upn", "K80120031200A"),
        ("address", "7a Lime Grove"),
        ("postcode", "LS6 2QT"),
        ("address", "112 St John's Road"),
        ("postcode", "M1 1AE"),
    ]


def test_keep_covers_the_requesters_own_details():
    text = "claire.bennett@example.com, 07700 900999, jake@example.com"
    got = suggest_redactions(text, ROLL, [*KEEP, "07700900999"])
    assert [s.text for s in got] == ["jake@example.com"]


def test_reasons_are_plain_english_and_keys_are_stable():
    got = suggest_redactions("Jake Turner told Mrs Okafor", ROLL, KEEP)
    assert got[0].reason == "Name of another pupil on the school roll"
    assert got[1].reason.startswith("Name of a member of staff (title and surname)")
    again = suggest_redactions("Jake Turner told Mrs Okafor", ROLL, KEEP)
    assert [s.key for s in got] == [s.key for s in again]
    assert len({s.key for s in got}) == 2
    assert Suggestion(**{**got[0].__dict__}).key == got[0].key


# ---------------------------------------------------------------- applying decisions


def test_apply_redactions_removes_accepted_and_keeps_rejected():
    text = "Jake Turner rang 07700 900123."
    jake, phone = suggest_redactions(text, ROLL, KEEP)
    assert apply_redactions(text, [jake]) == "[REDACTED – third party] rang 07700 900123."
    assert apply_redactions(text, [phone]) == "Jake Turner rang [REDACTED]."
    assert apply_redactions(text, []) == text


def test_apply_redactions_refuses_stale_offsets():
    text = "Jake Turner rang."
    (jake,) = suggest_redactions(text, ROLL, KEEP)
    with pytest.raises(ValueError):
        apply_redactions("Hi, " + text, [jake])


def _output_text(name: str, output: bytes, out_kind: str) -> str:
    return extract_text(output, "docx") if out_kind == "docx" else output.decode("utf-8")


@pytest.mark.parametrize("name", DOC_NAMES)
def test_redacted_copy_drops_accepted_and_keeps_rejected(name):
    data, kind = load(name)
    suggestions = suggest_redactions(extract_text(data, kind), ROLL, KEEP)
    accepted = [s for s in suggestions if s.kind in ("name", "email", "upn")]
    rejected = [s for s in suggestions if s not in accepted]
    output, out_kind = redact_document(data, kind, accepted)
    assert out_kind == {"docx": "docx", "csv": "csv"}.get(kind, "txt")
    result = _output_text(name, output, out_kind)
    for s in accepted:
        assert s.text not in result, f"{name}: {s.text!r} survived"
    for s in rejected:
        assert s.text in result, f"{name}: rejected {s.text!r} was removed"
    assert "[REDACTED – third party]" in result


@pytest.mark.parametrize("name", ["behaviour_log.csv", "class_list.csv"])
def test_redacted_csv_keeps_its_shape(name):
    data, _ = load(name)
    accepted = suggest_redactions(extract_text(data, "csv"), ROLL, KEEP)
    output, _ = redact_document(data, "csv", accepted)
    before = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    after = list(csv.reader(io.StringIO(output.decode("utf-8"))))
    assert [len(r) for r in after] == [len(r) for r in before]
    assert after[2][1] == "[REDACTED – third party]"  # "Turner, Jake": one match, two cells


def test_redacted_docx_opens_and_split_names_are_really_gone():
    data = build_safeguarding_docx()
    accepted = suggest_redactions(extract_text(data, "docx"), ROLL, KEEP)
    output, kind = redact_document(data, "docx", accepted)
    assert kind == "docx"
    doc = Document(io.BytesIO(output))
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("Oliver told"))
    assert paragraph.text.startswith("Oliver told his class teacher that [REDACTED – third party]")
    label_run = next(r for r in paragraph.runs if "[REDACTED" in r.text)
    assert label_run.bold  # the first run's formatting is kept for the replacement
    logged = next(p for p in doc.paragraphs if p.text.startswith("Concern logged"))
    assert logged.text == "Concern logged by [REDACTED – third party] (DSL) on 12/03/2025 at 15:20."
    assert "Oliver Bennett" in extract_text(output, "docx")
    assert doc.core_properties.author == "" and doc.core_properties.title == ""
    with zipfile.ZipFile(io.BytesIO(output)) as package:
        assert not any("comments" in n for n in package.namelist())
        everything = " ".join(
            package.read(n).decode("utf-8", "replace") for n in package.namelist()
        )
    for leaked in ("Turner", "Rebecca", "Hall", "Fletcher", "Okafor", "07700", "Meadow"):
        assert leaked not in everything, f"{leaked!r} is still somewhere in the .docx"


def test_html_and_email_extraction():
    html = extract_text((FIXTURES / "newsletter_extract.html").read_bytes(), "html")
    for hidden in SPEC["documents"]["newsletter_extract.html"]["hidden"]:
        assert hidden not in html
    assert "Poppy Walsh and Theo Clarke" in html and "£214" in html
    eml = extract_text((FIXTURES / "parent_complaint.eml").read_bytes(), "eml")
    assert eml.startswith("From: Sadia Khan <sadia.khan@example.com>\nTo: ")
    assert "Cc: Helen Okafor <h.okafor@oakfield.example.sch.uk>" in eml
    assert "Subject: Amelia and the reading group" in eml and "Date: Mon, 17 Mar 2025" in eml
    assert "Zoë was the only one" in eml and "<p>" not in eml
    html_only = (
        b"From: a@example.com\nContent-Type: text/html\n\n<p>Hi <b>Jake</b></p><script>x</script>"
    )
    assert extract_text(html_only, "eml").endswith("\n\nHi Jake")


def test_manual_redaction_kinds():
    assert needs_manual_redaction("scan") and needs_manual_redaction(".JPG")
    assert not needs_manual_redaction("docx") and not needs_manual_redaction("pdf")
    with pytest.raises(ValueError):
        extract_text(b"%PDF-1.7", "pdf")


# ------------------------------------------------- scale (the timing is in bench/redaction.py)


def test_a_large_roll_finds_every_planted_name_in_a_large_document():
    rng = random.Random(7)
    firsts = [p.name.split()[0] for p in ROLL] + ["Alfie", "Evie", "Yusuf", "Maja", "Kacper"]
    lasts = [p.name.split()[-1] for p in ROLL] + [f"Surname{i}" for i in range(400)]
    roll = [
        Person(
            f"{rng.choice(firsts)} {rng.choice(lasts)}", rng.choice(["pupil", "parent", "staff"])
        )
        for _ in range(2000)
    ]
    keep_names = {k.lower() for k in KEEP}
    filler = ("the", "class", "went", "to", "the", "hall", "after", "lunch", "and", "read")
    words: list[str] = []
    planted: set[str] = set()
    while sum(len(w) + 1 for w in words) < 50_000:
        if rng.random() < 0.02:
            person = rng.choice(roll)
            words.append(person.name)
            if person.name.lower() not in keep_names:
                planted.add(person.name)
        else:
            words.append(rng.choice(filler))
    found = {s.text for s in suggest_redactions(" ".join(words), roll, KEEP)}
    assert planted and planted <= found


def test_documented_misses_and_false_alarms_are_truthful():
    for name in DOC_NAMES:
        text, suggestions, _ = analyse(name)
        found = {s.text for s in suggestions}
        for miss in SPEC["documents"][name]["expected_misses"]:
            assert miss["text"] in text and miss["text"] not in found
        for alarm in SPEC["documents"][name].get("known_false_alarms", []):
            assert alarm["text"] in found


def test_names_the_roll_cannot_place_are_found_without_it():
    """A social worker, a parent off the roll, a first name two pupils share: all suggested."""
    checked = 0
    for name in DOC_NAMES:
        text, suggestions, _ = analyse(name)
        found = {s.text for s in suggestions}
        for item in SPEC["documents"][name].get("found_without_roll", []):
            assert item["text"] in text and item["text"] in found, item
            checked += 1
    assert checked == 3


def test_roll_names_exported_surname_first():
    roll = [Person("Turner, Jake", "pupil"), Person("Okafor, Helen", "staff")]
    got = suggest_redactions("Jake Turner saw Mrs Okafor. Turner, Jake.", roll, [])
    assert [s.text for s in got] == ["Jake Turner", "Mrs Okafor", "Turner, Jake"]
