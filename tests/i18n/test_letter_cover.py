"""Every letter to a parent who uses another language starts with a cover page in it;
the letter itself stays English (the version that counts)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from docx import Document

from sar_service.letters.kinds import KINDS
from sar_service.letters.render import letter_text, render_letter
from sar_service.letters.samples import sample_context


def _paragraphs(docx: bytes):
    return Document(io.BytesIO(docx)).paragraphs


@pytest.mark.parametrize("kind", list(KINDS)[:3] + ["access_response"])
def test_polish_parent_gets_a_polish_cover_then_the_english_letter(kind):
    english = letter_text(render_letter(sample_context(kind)))
    ctx = replace(sample_context(kind), language="pl")
    docx = render_letter(ctx)
    paragraphs = _paragraphs(docx)
    assert paragraphs[0].text == "O tym liście"
    assert "Ważna jest angielska wersja listu." in paragraphs[1].text
    assert any(f"Twój numer sprawy: {ctx.reference}" == p.text for p in paragraphs[:8])
    breaks = [p for p in paragraphs if 'w:type="page"' in p._p.xml]
    assert len(breaks) == 1, "the English letter starts on a new page"
    assert letter_text(docx).endswith(english.split("\n", 3)[-1]), "the letter itself unchanged"


def test_arabic_cover_is_right_to_left():
    ctx = replace(sample_context("acknowledgement"), language="ar")
    first = _paragraphs(render_letter(ctx))[0]
    assert first.text == "عن هذه الرسالة"
    assert "<w:bidi/>" in first._p.xml and "<w:rtl/>" in first._p.xml


def test_english_parent_gets_no_cover():
    docx = render_letter(sample_context("acknowledgement"))
    assert "About this letter" not in letter_text(docx)
    assert not any('w:type="page"' in p._p.xml for p in _paragraphs(docx))
