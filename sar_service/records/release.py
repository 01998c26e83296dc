"""Releasing a bundle to the parent portal, and what the portal may offer for download.

A release expires (30 days by default): the link stops offering the file,
and staff can release again. Every download is an audited CaseEvent. Releasing
emails the parent a link to their portal page (``documents_released``; never the
documents, nor what they are about), once per release. The portal lists each document
of a released bundle to read on its own page, and the same documents as one PDF.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.clock import london_date, now
from sar_service.db import commit_now
from sar_service.i18n.dates import parent_date
from sar_service.models import Case, CaseEvent, Document
from sar_service.models.release import BundleItem
from sar_service.models.review import Bundle
from sar_service.storage import storage

RELEASE_DAYS = 30
RELEASABLE = frozenset({"awaiting_signoff", "responded", "closed"})


class ReleaseError(ValueError):
    """Why the bundle cannot be released now."""


def release(
    session: Session, case: Case, bundle: Bundle, actor: str, days: int = RELEASE_DAYS
) -> Document:
    """A DPO action (the view checks the role): the parent can download until it expires."""
    if bundle.case_id != case.id or bundle.status != "ready" or bundle.document_id is None:
        raise ReleaseError("Only a finished bundle can be released.")
    if case.status not in RELEASABLE:
        raise ReleaseError("Send the case for DPO sign-off before releasing the bundle.")
    from sar_service.records.bundle import latest_letter

    letter = latest_letter(session, case)
    if letter is not None and letter.blocked:
        raise ReleaseError(
            f"{letter.filename} fails the legal checks: make it again once fixed, or the DPO "
            "overrides the checks with a reason, before the bundle is released."
        )
    from sar_service.records import review

    if review.settings_for(session, case.school_id).second_reviewer and actor in review.redactors(
        session, case
    ):
        raise ReleaseError(
            "Your school asks for a second pair of eyes: someone who did not make the "
            "redactions must check and release this bundle."
        )
    at = now()
    doc = session.get_one(Document, bundle.document_id)
    was_live = doc.released_at is not None and (doc.release_expires_at or at) > at
    for old in _live(session, case, at):
        old.release_expires_at = at  # one live bundle at a time: the newest
    doc.released_at, doc.release_expires_at = at, at + timedelta(days=days)
    emailed = False if was_live else _tell_parent(session, case, doc, at)
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_label=actor,
            action="bundle_released",
            data={
                "document_id": doc.id,
                "expires": doc.release_expires_at.isoformat(),
                "parent_emailed": emailed,
            },
        )  # fmt: skip
    )
    return doc


def _tell_parent(session: Session, case: Case, doc: Document, at: datetime) -> bool:
    """Queue the "documents released" email (a portal link only); False if there is no
    address to send it to (staff are told to let the parent know another way)."""
    if not case.requester_email:
        return False
    from sar_service.notify.immediate import queue_email

    queue_email(
        session,
        "documents_released",
        f"documents_released:{doc.id}:{at:%Y%m%dT%H%M%S}",
        case.requester_email,
        case_id=case.id,
        school_id=case.school_id,
        data={"expires": doc.release_expires_at.isoformat() if doc.release_expires_at else ""},
    )
    return True


def _live(session: Session, case: Case, at) -> list[Document]:
    return list(
        session.scalars(
            select(Document)
            .where(
                Document.case_id == case.id,
                Document.kind == "bundle",
                Document.released_at.is_not(None),
                Document.release_expires_at > at,
            )
            .order_by(Document.released_at.desc())
        )
    )


def _download(session: Session, case_id: int, doc_id: int, key: str) -> Iterator[bytes]:
    """Audit first (committed), then stream the decrypted file."""

    session.add(
        CaseEvent(
            case_id=case_id,
            actor_label="Requester (portal)",
            action="bundle_downloaded",
            data={"document_id": doc_id},
        )  # fmt: skip
    )
    commit_now(session, "a download is on the audit trail before a byte of it is sent")
    return storage().iter_chunks(key)


def _bundle_of(session: Session, zip_doc: Document) -> Bundle | None:
    return session.scalar(select(Bundle).where(Bundle.document_id == zip_doc.id).limit(1))


def items_of(session: Session, bundle: Bundle | None) -> list[tuple[BundleItem, Document]]:
    """A bundle's documents in order, with the Document each one serves."""
    if bundle is None:
        return []
    rows = session.execute(
        select(BundleItem, Document)
        .join(Document, Document.id == BundleItem.document_id)
        .where(BundleItem.bundle_id == bundle.id)
        .order_by(BundleItem.number, BundleItem.id)
    ).all()
    return [(item, doc) for item, doc in rows]


def opened_items(session: Session, case: Case) -> list[tuple[BundleItem, Document]]:
    """The latest released bundle's documents, each with when the parent first opened it."""
    latest = session.scalar(
        select(Document)
        .where(
            Document.case_id == case.id,
            Document.kind == "bundle",
            Document.released_at.is_not(None),
        )
        .order_by(Document.released_at.desc())
        .limit(1)
    )
    return items_of(session, _bundle_of(session, latest)) if latest is not None else []


#: What the portal finds for a reading link: the thing, or that its release has ended.
EXPIRED = "expired"


def released_item(
    session: Session, case: Case, item_id: int
) -> tuple[BundleItem, Document] | str | None:
    """An item of a bundle released on ``case``: (item, document), EXPIRED, or None."""
    row = session.execute(
        select(BundleItem, Document, Bundle)
        .join(Bundle, Bundle.id == BundleItem.bundle_id)
        .join(Document, Document.id == BundleItem.document_id)
        .where(BundleItem.id == item_id, Bundle.case_id == case.id)
    ).first()
    if row is None:
        return None
    item, doc, bundle = row
    zip_doc = session.get(Document, bundle.document_id) if bundle.document_id else None
    return _if_live(zip_doc, (item, doc))


def released_pdf(session: Session, case: Case, doc_id: int) -> Document | str | None:
    """The combined PDF of a bundle released on ``case``: the Document, EXPIRED, or None."""
    bundle = session.scalar(
        select(Bundle).where(Bundle.case_id == case.id, Bundle.pdf_document_id == doc_id)
    )
    if bundle is None or bundle.document_id is None:
        return None
    return _if_live(session.get(Document, bundle.document_id), session.get(Document, doc_id))


def _if_live(zip_doc: Document | None, found):
    if zip_doc is None or zip_doc.released_at is None or found is None:
        return None
    if zip_doc.release_expires_at is None or zip_doc.release_expires_at <= now():
        return EXPIRED
    return found


def mark_opened(session: Session, case: Case, doc: Document, how: str) -> None:
    """The first time the parent opens a released document, record when (shown to staff)."""
    if doc.first_opened_at is not None:
        return
    doc.first_opened_at = now()
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_label="Requester (portal)",
            action="document_opened",
            data={"document_id": doc.id, "how": how},
        )  # fmt: skip
    )


def released_for_portal(session: Session, case: Case) -> list:
    """Live released bundles as the portal's ReleasedDocument items, newest first."""
    from sar_service.portal.documents import ReadablePart, ReleasedDocument
    from sar_service.records.readable import AS_IS

    out = []
    for doc in _live(session, case, now()):
        bundle = _bundle_of(session, doc)
        parts = tuple(
            ReadablePart(item.id, item.title, item.file_kind in AS_IS)
            for item, _ in items_of(session, bundle)
        )
        out.append(
            ReleasedDocument(
                id=f"bundle-{doc.id}",
                filename=doc.filename,
                content_type=doc.content_type,
                load=partial(_download, session, case.id, doc.id, doc.storage_key),
                released_on=parent_date(london_date(doc.released_at)) if doc.released_at else "",
                parts=parts,
                pdf_id=str(bundle.pdf_document_id) if bundle and bundle.pdf_document_id else "",
                expires_on=parent_date(london_date(doc.release_expires_at))
                if doc.release_expires_at
                else "",
            )
        )
    return out
