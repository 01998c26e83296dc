"""Storing files people give us: checked by content, size-limited, then encrypted.

The bytes go to the app's encrypted storage (``sar_service.storage``: random
keys, Fernet, outside the web root, never served directly), like every other
stored document. ``receive(file, ip)`` is the whole pipeline for a file posted
by a parent (rate limit, read, check, store); ``save_upload(data, filename)``
checks and stores bytes. Read them back with ``storage().get(stored.key)``.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

import filetype
from werkzeug.datastructures import FileStorage

from sar_service import ratelimit, zipcheck
from sar_service.storage import storage

MAX_BYTES = 10 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: Content types we accept, as sniffed from the bytes, with a friendly name.
ALLOWED: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/heic": "HEIC",
    "image/heif": "HEIC",
    DOCX: "Word (.docx)",
}
ALLOWED_HINT = "a PDF, JPEG, PNG, HEIC photo or Word (.docx) file"


class UploadError(ValueError):
    """A file we will not store; the message is written for the person uploading it."""


@dataclass(frozen=True)
class StoredFile:
    key: str
    sha256: str
    size: int
    content_type: str
    original_name: str


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, or None if not one we accept."""
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime == "application/zip" or (mime is None and data[:2] == b"PK"):
        return DOCX if _is_docx(data) else None
    if mime == DOCX and not _is_docx(data):
        return None
    return mime if mime in ALLOWED else None


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


#: One fixed sentence, so it can be translated like the other upload messages.
BOMB = "The selected file unpacks to far more than its size, so it cannot be opened safely."


def clean_name(filename: str | None) -> str:
    """A display name only: never used as a path."""
    name = os.path.basename((filename or "").replace("\\", "/")).strip()
    name = re.sub(r"[^\w .()-]", "_", name)[:150]
    return name or "upload"


def validate(data: bytes, max_bytes: int = MAX_BYTES) -> str:
    """Return the sniffed content type or raise UploadError with a plain reason."""
    if not data:
        raise UploadError("The selected file is empty.")
    if len(data) > max_bytes:
        raise UploadError(f"The selected file must be smaller than {max_bytes // (1024 * 1024)}MB.")
    content_type = sniff(data)
    if content_type is None:
        raise UploadError(f"The selected file must be {ALLOWED_HINT}.")
    if content_type == DOCX and zipcheck.bomb_reason(data):
        raise UploadError(BOMB)
    return content_type


def save_upload(data: bytes, filename: str | None, max_bytes: int = MAX_BYTES) -> StoredFile:
    """Check the bytes, then store them encrypted under a random key; return what to record."""
    content_type = validate(data, max_bytes)
    stored = storage().put(data)
    return StoredFile(
        key=stored.key,
        sha256=stored.sha256,
        size=stored.size,
        content_type=content_type,
        original_name=clean_name(filename),
    )


def receive(file: FileStorage, ip: str | None) -> StoredFile:
    """Store a file a parent posted: counted against their upload limit, read, checked, stored.

    Raises UploadError (with a message for the parent) if they have uploaded too
    much recently or the file is not one we accept.
    """
    if not ratelimit.hit(ratelimit.UPLOADS, ip).allowed:
        raise UploadError("You have uploaded a lot of files. Try again in an hour.")
    return save_upload(file.stream.read(MAX_BYTES + 1), file.filename)
