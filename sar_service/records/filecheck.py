"""What a gathered file really is, judged by its bytes; extends ``sar_service.uploads``.

The shared upload checks know PDF, Word and images. Record owners also send
plain text, saved emails (.eml), CSV exports and web pages: those must decode
as text (UTF-8, or Windows-1252 from older systems) and contain no NUL bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.parser import BytesParser

from sar_service import uploads

MAX_BYTES = 25 * 1024 * 1024
HINT = "a Word (.docx), PDF, text, email (.eml), CSV, PNG or JPEG file"

_SNIFFED_KINDS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpeg",
    "image/png": "png",
    "image/heic": "heic",
    "image/heif": "heic",
    uploads.DOCX: "docx",
}
_TEXT_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "eml": "message/rfc822",
    "html": "text/html; charset=utf-8",
}
_BINARY_SUFFIXES = {"pdf", "docx", "png", "jpg", "jpeg", "heic", "doc", "xls", "xlsx", "zip"}


class FileProblem(ValueError):
    """A file we will not keep; the message is for the person who chose it."""


@dataclass(frozen=True)
class FileCheck:
    kind: str  # txt, eml, csv, html, docx, pdf, png, jpeg, heic
    content_type: str


def _suffix(filename: str) -> str:
    name = (filename or "").lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


def is_text(data: bytes) -> bool:
    """Readable text: no NUL bytes, and valid UTF-8 or Windows-1252."""
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _looks_like_email(data: bytes) -> bool:
    message = BytesParser(policy=policy.compat32).parsebytes(data[:65536], headersonly=True)
    return any(message[h] for h in ("From", "To", "Subject")) and not message.defects


def check(data: bytes, filename: str, max_bytes: int = MAX_BYTES) -> FileCheck:
    """The file's kind and content type, or FileProblem saying what is wrong."""
    if not data:
        raise FileProblem("The selected file is empty.")
    if len(data) > max_bytes:
        raise FileProblem(f"The selected file must be smaller than {max_bytes // 2**20}MB.")
    sniffed = uploads.sniff(data)
    if sniffed:
        return FileCheck(_SNIFFED_KINDS[sniffed], sniffed)
    suffix = _suffix(filename)
    if not is_text(data):
        raise FileProblem(f"The selected file must be {HINT}.")
    if suffix in _BINARY_SUFFIXES:
        raise FileProblem(
            f"The file is called .{suffix} but its contents are plain text. "
            f"Upload the original file, or save it as .txt."
        )
    if suffix == "eml":
        if not _looks_like_email(data):
            raise FileProblem("The .eml file is not a saved email (it has no From, To or Subject).")
        kind = "eml"
    elif suffix in ("htm", "html"):
        kind = "html"
    elif suffix == "csv":
        kind = "csv"
    else:
        kind = "txt"
    return FileCheck(kind, _TEXT_TYPES[kind])
