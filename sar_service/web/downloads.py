"""Serving a stored file to someone allowed to have it: always as an attachment.

Files come from parents and schools, so they are never rendered by the
browser (an HTML or SVG "document" would run in our origin), never cached, and
named with a cleaned display name that cannot carry header or path tricks.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from flask import Response

from sar_service.models import Document
from sar_service.storage import storage
from sar_service.uploads import clean_name

#: Types a browser would render or run in our origin if ever shown inline.
_RENDERABLE = {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml",
               "text/javascript", "application/javascript"}  # fmt: skip


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` and, for any other name, RFC 5987 ``filename*``.

    HTTP headers are Latin-1 on the wire: a name such as ``паспорт.pdf`` written raw makes the
    server fail mid-response (RFC 6266 section 4.3 says to send both forms).
    """
    name = clean_name(filename)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = ascii_name.strip() or "download"
    if ascii_name.startswith("."):
        ascii_name = "download" + ascii_name
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def attachment(
    body: bytes | Iterable[bytes], filename: str, content_type: str, size: int | None = None
) -> Response:
    risky = content_type.split(";")[0].strip().lower() in _RENDERABLE
    headers = {
        "Content-Disposition": content_disposition(filename),
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
