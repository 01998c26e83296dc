"""The sample letters committed in docs/letters are current and complete."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import docx
import pytest

from sar_service.letters.kinds import KIND_NAMES, missing_content
from sar_service.letters.render import letter_text, sample_context

DOCS = Path(__file__).resolve().parents[2] / "docs" / "letters"


def _make():
    spec = importlib.util.spec_from_file_location("docs_letters_make", DOCS / "make.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_each_sample_letter_is_committed_and_complete(kind):
    data = (DOCS / f"{kind}.docx").read_bytes()
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "Sarah Hart"
    assert missing_content(sample_context(kind), letter_text(data)) == []


def parts(path: Path) -> dict[str, bytes]:
    """The .docx's parts, uncompressed (zlib versions may compress differently)."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_samples_match_the_current_wording(tmp_path):
    """Regenerate with `.venv/bin/python docs/letters/make.py` when this fails."""
    _make().main(tmp_path)
    for kind in KIND_NAMES:
        fresh, committed = parts(tmp_path / f"{kind}.docx"), parts(DOCS / f"{kind}.docx")
        assert fresh == committed, f"docs/letters/{kind}.docx is stale"
    assert (tmp_path / "README.md").read_text() == (DOCS / "README.md").read_text()
