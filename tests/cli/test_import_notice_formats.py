"""`sar import-notice` reads what schools publish: PDF, Word (with tables), web pages, text."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fpdf import FPDF
from sqlalchemy import select

from sar_service.cli import main
from sar_service.models import PrivacyNotice

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "notices" / "corpus"
SEEDS = CORPUS.parent  # seed_000.txt and seed_003.txt: copies of /work/shared/seeds


def run(app, *args: str):
    return CliRunner().invoke(main, list(args), obj={"app": app}, catch_exceptions=False)


@pytest.fixture
def school(app):
    assert run(app, "create-school", "--slug", "oak", "--name", "Oak School").exit_code == 0
    return "oak"


@pytest.mark.parametrize(
    ("name", "first_recipient"),
    [
        ("juniper_trust_wide.pdf", "Our local authority – to meet our legal duties"),
        ("juniper_trust_wide.docx", "Our local authority – to meet our legal duties"),
        ("meadowbank_web_page.html", "Our local authority – statutory duties"),
        ("ashbrook_symbol_bullets.txt", "Schools that the pupils attend after leaving us"),
    ],
)
def test_each_format_imports_and_prints_the_lists(app, db, school, name, first_recipient):
    path = CORPUS / name
    result = run(app, "import-notice", "--school", school, str(path))
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    for key in ("categories", "purposes", "recipients", "lawful_bases", "contacts"):
        assert key in printed
    assert printed["recipients"][0]["text"].startswith(first_recipient)
    assert printed["categories"][0]["text"].startswith("Personal identifiers and contacts")
    row = db.scalars(select(PrivacyNotice).order_by(PrivacyNotice.id.desc())).first()
    assert row.filename == name
    assert row.source == path.read_bytes()
    assert row.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_scanned_pdf_without_text_exits_non_zero_with_a_plain_message(app, school, tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 150, 200, style="F")  # a page that is only a picture
    scan = tmp_path / "scanned notice.pdf"
    scan.write_bytes(bytes(pdf.output()))
    result = run(app, "import-notice", "--school", school, str(scan))
    assert result.exit_code != 0
    assert "This PDF has no text, please upload the Word version or paste the text." in (
        result.output
    )


def test_both_seeds_still_import_right(app, school):
    counts = {}
    for seed in sorted(SEEDS.glob("seed_*.txt")):
        result = run(app, "import-notice", "--school", school, str(seed))
        assert result.exit_code == 0, result.output
        printed = json.loads(result.output)
        counts[seed.name[5:8]] = [printed["counts"][k] for k in ("categories", "purposes")]
    assert counts == {"000": [11, 8], "003": [8, 4]}
