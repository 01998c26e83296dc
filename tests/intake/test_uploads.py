"""Uploads are checked by their content, size-limited and stored encrypted under random names."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from docx import Document

from sar_service import uploads
from sar_service.storage import StorageError, storage


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"\x00\xff\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    return bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def heic_bytes() -> bytes:
    return struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic" + b"\x00" * 16


def docx_bytes() -> bytes:
    doc = Document()
    doc.add_paragraph("Passport number 123")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("maker", "mime"),
    [
        (pdf_bytes, "application/pdf"),
        (jpeg_bytes, "image/jpeg"),
        (png_bytes, "image/png"),
        (heic_bytes, "image/heic"),
        (docx_bytes, uploads.DOCX),
    ],
)
def test_allowed_files_are_stored_encrypted_and_read_back(app, maker, mime):
    data = maker()
    with app.app_context():
        stored = uploads.save_upload(data, "../../etc/passwd my id.file")
        assert stored.content_type == mime
        assert stored.size == len(data) and len(stored.sha256) == 64
        assert stored.original_name == "passwd my id.file"
        assert "passwd" not in stored.key
        assert storage().get(stored.key) == data
        on_disk = (storage().root / stored.key[:2] / stored.key).read_bytes()
    assert on_disk != data and data not in on_disk
    assert data[:16] not in on_disk  # not even the file's signature is readable


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00 this is a windows program",
        b"just some text pretending to be a pdf",
        b"PK\x03\x04 not really a zip",
    ],
)
def test_other_content_is_refused_whatever_the_name(app, data):
    with app.app_context(), pytest.raises(uploads.UploadError, match="must be a PDF, JPEG, PNG"):
        uploads.save_upload(data, "passport.pdf")


def test_a_plain_zip_is_not_a_docx(app):
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with app.app_context(), pytest.raises(uploads.UploadError):
        uploads.save_upload(out.getvalue(), "id.docx")


def test_size_limit_and_empty_files(app):
    with app.app_context():
        with pytest.raises(uploads.UploadError, match="smaller than 1MB"):
            uploads.save_upload(pdf_bytes() + b"0" * 1024 * 1024, "a.pdf", 1024 * 1024)
        with pytest.raises(uploads.UploadError, match="empty"):
            uploads.save_upload(b"", "a.pdf")


def test_keys_are_random_and_cannot_escape_storage(app):
    with app.app_context():
        with pytest.raises(StorageError):
            storage().get("../secret_key")
        a = uploads.save_upload(png_bytes(), "a.png")
        b = uploads.save_upload(png_bytes(), "a.png")
    assert a.key != b.key
