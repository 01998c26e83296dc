"""Gathered files on a case: stored encrypted, deduplicated by SHA-256.

The pages serve them with ``sar_service.web.downloads.document_attachment``.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.clock import london_time
from sar_service.models import Case, Document
from sar_service.models.inventory import GatheredDocument, GatheringTask
from sar_service.records.filecheck import FileCheck, FileProblem, check
from sar_service.storage import storage
from sar_service.uploads import clean_name

ORIGINAL_KINDS = ("upload", "record")


class Duplicate(FileProblem):
    """The same bytes are already on the case."""


def find_duplicate(session: Session, case: Case, sha256: str, kinds=ORIGINAL_KINDS):
    return session.scalar(
        select(Document)
        .where(Document.case_id == case.id, Document.sha256 == sha256, Document.kind.in_(kinds))
        .limit(1)
    )


def _refuse_duplicate(session: Session, case: Case, data: bytes, kinds=ORIGINAL_KINDS) -> str:
    sha = hashlib.sha256(data).hexdigest()
    existing = find_duplicate(session, case, sha, kinds)
    if existing is not None:
        by = f", by {existing.created_by}" if existing.created_by else ""
        raise Duplicate(
            f"This file was already uploaded as “{existing.filename}” "
            f"({london_time(existing.created_at)}{by})."
        )
    return sha


def store_document(
    session: Session,
    case: Case,
    data: bytes,
    filename: str,
    checked: FileCheck,
    *,
    kind: str,
    created_by: str,
    note: str = "",
    source_id: int | None = None,
) -> Document:
    """Encrypt the bytes into storage and record a Document row (flushed, not committed)."""
    stored = storage().put(data)
    doc = Document(
        case_id=case.id,
        kind=kind,
        filename=clean_name(filename),
        content_type=checked.content_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_key=stored.key,
        source_id=source_id,
        note=note,
        created_by=created_by,
    )
    session.add(doc)
    session.flush()
    return doc


def add_gathered(
    session: Session,
    case: Case,
    data: bytes,
    filename: str,
    *,
    source_name: str,
    created_by: str,
    task: GatheringTask | None = None,
    kind: str = "upload",
) -> Document:
    """Check, deduplicate, store and analyse one gathered file."""
    from sar_service.records import review
    from sar_service.records.extract import file_kind

    checked = check(data, filename)
    try:
        kind_found = file_kind(data, checked.kind)
    except ValueError as exc:
        raise FileProblem(str(exc)) from exc
    _refuse_duplicate(session, case, data)
    doc = store_document(session, case, data, filename, checked, kind=kind, created_by=created_by)
    session.add(
        GatheredDocument(
            document_id=doc.id,
            case_id=case.id,
            task_id=task.id if task else None,
            source_name=source_name,
            file_kind=kind_found,
        )
    )
    session.flush()
    if task is not None and task.source_id:
        from sar_service.models.inventory import DataSource

        source = session.get(DataSource, task.source_id)
        if source is not None and source.system_kind == "safeguarding":
            review.tag_safeguarding(session, case, doc, created_by)
    try:
        review.analyse(session, case, doc, data)
    except ValueError as exc:
        raise FileProblem(f"The file could not be read: {exc}.") from exc
    return doc


def case_document(session: Session, case: Case, doc_id: int) -> Document | None:
    doc = session.get(Document, doc_id)
    return doc if doc is not None and doc.case_id == case.id else None
