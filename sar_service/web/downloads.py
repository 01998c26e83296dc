"""Serving a stored file to someone allowed to have it: always as an attachment.

Files come from parents and schools, so they are never rendered by the
browser (an HTML or SVG "document" would run in our origin), never cached, and
named with a cleaned display name that cannot carry header or path tricks.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response

from sar_service.models import Document
from sar_service.storage import storage
from sar_service.uploads import clean_name

#: Types a browser would render or run in our origin if ever shown inline.
_RENDERABLE = {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml",
               "text/javascript", "application/javascript"}  # fmt: skip


def attachment(
    body: bytes | Iterable[bytes], filename: str, content_type: str, size: int | None = None
) -> Response:
    risky = content_type.split(";")[0].strip().lower() in _RENDERABLE
    headers = {
        "Content-Disposition": f'attachment; filename="{clean_name(filename)}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    if size is not None:
        headers["Content-Length"] = str(size)
    return Response(
        body, mimetype="application/octet-stream" if risky else content_type, headers=headers
    )


def document_attachment(doc: Document) -> Response:
    """A stored document, decrypted and streamed as a download (never rendered)."""
    return attachment(
        storage().iter_chunks(doc.storage_key), doc.filename, doc.content_type, doc.size
    )
