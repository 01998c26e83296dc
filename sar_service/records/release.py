"""Releasing a bundle to the parent portal, and what the portal may offer for download.

A release expires (30 days by default): the link stops offering the file,
and staff can release again. Every download is an audited CaseEvent.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.clock import london_date, now
from sar_service.db import commit_now
from sar_service.i18n.dates import parent_date
from sar_service.models import Case, CaseEvent, Document
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
    for old in _live(session, case, at):
        old.release_expires_at = at  # one live bundle at a time: the newest
    doc = session.get_one(Document, bundle.document_id)
    doc.released_at, doc.release_expires_at = at, at + timedelta(days=days)
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_label=actor,
            action="bundle_released",
            data={"document_id": doc.id, "expires": doc.release_expires_at.isoformat()},
        )  # fmt: skip
    )
    return doc


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


def released_for_portal(session: Session, case: Case) -> list:
    """Live released bundles as the portal's ReleasedDocument items, newest first."""
    from sar_service.portal.documents import ReleasedDocument

    return [
        ReleasedDocument(
            id=f"bundle-{doc.id}",
            filename=doc.filename,
            content_type=doc.content_type,
            load=partial(_download, session, case.id, doc.id, doc.storage_key),
            released_on=parent_date(london_date(doc.released_at)) if doc.released_at else "",
        )
        for doc in _live(session, case, now())
    ]
