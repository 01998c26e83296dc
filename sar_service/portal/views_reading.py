"""Reading the released documents on a phone: each one as a page, or as it is, and all of
them as one PDF, behind the portal link only.

Text, Word, email and spreadsheet documents are shown as escaped HTML built from their
structure (``records.readable``): a document's own markup or script is shown as words,
never run. PDFs and photos are served inline as they are, with ``nosniff`` and the site's
CSP; anything else is only ever an attachment. The first time each document is opened is
recorded for staff. After the release expires the link says so, and never serves the file.
"""

from __future__ import annotations

from flask import Response, abort, render_template

from sar_service.db import session
from sar_service.models import Case, Document
from sar_service.portal import bp
from sar_service.portal.links import case_from_token
from sar_service.records import readable, release
from sar_service.storage import storage
from sar_service.web.downloads import attachment, content_disposition

PORTAL_ACTOR = "Requester (portal)"


def _case(token: str) -> Case | None:
    from flask import g

    case = case_from_token(session(), token)
    if case is not None:
        g.school, g.language = case.school, case.language
    return case


def _invalid():
    return render_template("portal/link_invalid.html", school=None), 404


def _expired(case: Case, token: str):
    return render_template(
        "portal/document.html", school=case.school, case=case, token=token, expired=True
    ), 410


def _inline(doc: Document, content_type: str) -> Response:
    """A PDF or photo shown by the browser as it is: never HTML, never sniffed, not cached."""
    name = content_disposition(doc.filename).replace("attachment", "inline", 1)
    return Response(
        storage().iter_chunks(doc.storage_key),
        mimetype=content_type,
        headers={
            "Content-Disposition": name,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
            # Nothing but the file itself; a browser's PDF viewer needs the object source.
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; object-src 'self'; "
            "frame-ancestors 'none'",
        },
    )


def _released(token: str, item_id: int):
    """(case, (item, document), None) for a released item behind this link; otherwise
    (case or None, None, the response to give: the invalid-link or the expired page).
    An item that is not this case's released document is a 404."""
    case = _case(token)
    if case is None:
        return None, None, _invalid()
    found = release.released_item(session(), case, item_id)
    if found is None:
        abort(404)
    if isinstance(found, str):  # release.EXPIRED
        return case, None, _expired(case, token)
    return case, found, None


@bp.get("/<token>/read/<int:item_id>")
def read(token: str, item_id: int):
    case, found, refusal = _released(token, item_id)
    if found is None:
        return refusal
    item, doc = found
    kind = readable.kind_of(item.file_kind, item.title)
    try:
        blocks = readable.blocks(b"".join(storage().iter_chunks(doc.storage_key)), kind)
    except ValueError:
        blocks = []
    release.mark_opened(session(), case, doc, "page")
    session().commit()
    return render_template(
        "portal/document.html",
        school=case.school,
        case=case,
        token=token,
        item=item,
        blocks=blocks,
        as_is=kind in readable.AS_IS,
    )


@bp.get("/<token>/read/<int:item_id>/file")
def read_file(token: str, item_id: int):
    """The document's own file: inline if a PDF or photo, otherwise a download."""
    case, found, refusal = _released(token, item_id)
    if found is None:
        return refusal
    item, doc = found
    kind = readable.kind_of(item.file_kind, item.title)
    release.mark_opened(session(), case, doc, "file")
    session().commit()
    if kind in readable.AS_IS:
        return _inline(doc, readable.AS_IS[kind])
    return attachment(storage().iter_chunks(doc.storage_key), doc.filename, doc.content_type)


@bp.get("/<token>/reply/<int:doc_id>.pdf")
def combined(token: str, doc_id: int):
    """All the released documents as one PDF with an index and a bookmark each."""
    case = _case(token)
    if case is None:
        return _invalid()
    found = release.released_pdf(session(), case, doc_id)
    if found is None:
        abort(404)
    if found == release.EXPIRED:
        return _expired(case, token)
    assert isinstance(found, Document)
    release.mark_opened(session(), case, found, "combined PDF")
    session().commit()
    return _inline(found, "application/pdf")
