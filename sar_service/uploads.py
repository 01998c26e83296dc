"""Storing files people give us: checked by content, size-limited, random names.

Files live under ``Settings.storage_dir`` (outside the web root, never served
directly). The API is deliberately small so any feature can reuse it:
``save_upload(settings, data, filename)`` and ``load(settings, key)``.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import filetype

from sar_service.config import Settings

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
KEY_RE = re.compile(r"^[a-z0-9]{2}/[A-Za-z0-9_-]{20,60}$")


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
    return content_type


def save_upload(
    settings: Settings, data: bytes, filename: str | None, max_bytes: int = MAX_BYTES
) -> StoredFile:
    """Check and store the bytes under a random name; return what to record."""
    content_type = validate(data, max_bytes)
    token = secrets.token_urlsafe(24)
    key = f"{token[:2].lower().replace('-', 'x').replace('_', 'y')}/{token}"
    path = _path(settings, key)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.chmod(0o600)
    tmp.replace(path)
    return StoredFile(
        key=key,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content_type=content_type,
        original_name=clean_name(filename),
    )


def load(settings: Settings, key: str) -> bytes:
    return _path(settings, key).read_bytes()


def delete(settings: Settings, key: str) -> None:
    _path(settings, key).unlink(missing_ok=True)


def _path(settings: Settings, key: str) -> Path:
    if not KEY_RE.match(key or ""):
        raise ValueError("not a storage key")
    return Path(settings.storage_dir) / "uploads" / key
