"""Issue 12 item 11: a small .docx that unpacks to megabytes is refused from its zip
directory, before anything is unpacked, on upload and wherever a .docx is read."""

from __future__ import annotations

import io
import zipfile

import pytest

from sar_service import uploads, zipcheck
from sar_service.notices.errors import NoticeFormatError
from sar_service.notices.reader import read_notice
from sar_service.records.extract import extract_text
from tests.intake.test_uploads import docx_bytes

PARAGRAPH = b"<w:p><w:r><w:t>" + b"a" * 200 + b"</w:t></w:r></w:p>"


def bomb_docx(unpacked: int = 14 * 1024 * 1024) -> bytes:
    """A real .docx whose document.xml is ``unpacked`` bytes of one repeated paragraph."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as real:
        parts = {info.filename: real.read(info) for info in real.infolist()}
    body = parts["word/document.xml"]
    head, _, tail = body.partition(b"<w:body>")
    filler = PARAGRAPH * (unpacked // len(PARAGRAPH))
    parts["word/document.xml"] = head + b"<w:body>" + filler + tail
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_the_bomb_is_a_small_file_that_would_unpack_to_megabytes():
    data = bomb_docx()
    assert len(data) < 100 * 1024
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sum(i.file_size for i in zf.infolist()) > 13 * 1024 * 1024


def test_an_uploaded_bomb_is_refused_with_a_plain_message(app):
    with app.app_context(), pytest.raises(uploads.UploadError) as refused:
        uploads.save_upload(bomb_docx(), "letter.docx")
    assert str(refused.value) == uploads.BOMB


def test_an_ordinary_word_file_is_still_accepted(app):
    with app.app_context():
        assert uploads.save_upload(docx_bytes(), "letter.docx").content_type == uploads.DOCX


@pytest.mark.parametrize(
    ("limit", "value", "words"),
    [
        ("MAX_ENTRIES", 3, "parts; the limit is 3"),
        ("MAX_UNPACKED", 4096, "would unpack to more than"),
    ],
)
def test_each_limit_of_the_directory_check(monkeypatch, limit, value, words):
    monkeypatch.setattr(zipcheck, limit, value)
    assert words in (zipcheck.bomb_reason(docx_bytes()) or "")


def test_ratio_alone_refuses_a_bomb_under_the_size_limit():
    data = bomb_docx(unpacked=3 * 1024 * 1024)
    assert "compressed more than" in (zipcheck.bomb_reason(data) or "")


def test_readers_of_stored_files_refuse_the_bomb_without_unpacking_it():
    with pytest.raises(ValueError, match="compressed more than"):
        extract_text(bomb_docx(), "docx")
    with pytest.raises(NoticeFormatError, match="cannot be read"):
        read_notice(bomb_docx(), "privacy-notice.docx")
