"""Stored files go out as attachments; anything a browser would render is sent as bytes."""

from __future__ import annotations

import pytest

from sar_service.web.downloads import attachment

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("text/html; charset=utf-8", "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("application/pdf", "application/pdf"),
        (DOCX, DOCX),  # "...wordprocessingml..." is not XML to render
    ],
)
def test_renderable_types_are_sent_as_bytes(given, sent):
    response = attachment(b"x", "file", given)
    assert response.mimetype == sent
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_filename_cannot_break_the_header():
    response = attachment(b"x", '../a"b\r\nSet-Cookie: x.pdf', "application/pdf", 1)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and "\n" not in disposition
    assert disposition.count('"') == 2 and "/" not in disposition
    assert response.headers["Content-Length"] == "1"


@pytest.mark.parametrize(
    ("name", "fallback", "encoded"),
    [
        ("паспорт.pdf", 'filename="download.pdf"', "filename*=UTF-8''%D0%BF%D0%B0%D1%81"),
        ("Zoë's ID.pdf", 'filename="Zoe_s ID.pdf"', "filename*=UTF-8''Zo%C3%AB_s%20ID.pdf"),
        ("جواز.jpg", 'filename="download.jpg"', "filename*=UTF-8''%D8%AC"),
    ],
)
def test_names_outside_latin_1_are_sent_as_rfc_5987(name, fallback, encoded):
    disposition = attachment(b"x", name, "application/pdf").headers["Content-Disposition"]
    disposition.encode("latin-1")
    assert fallback in disposition and encoded in disposition


def test_plain_names_have_no_extended_form():
    disposition = attachment(b"x", "passport.pdf", "application/pdf").headers["Content-Disposition"]
    assert disposition == 'attachment; filename="passport.pdf"'
