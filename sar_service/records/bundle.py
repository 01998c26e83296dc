"""The disclosure bundle: a zip with an index page, the reviewed documents and the letter.

Built by a background job, one document at a time into a temporary file, so
memory stays flat however large the bundle; then encrypted into storage in
chunks (``Storage.put_file``). Progress is committed to the Bundle row as it goes.
The same documents are also made into one PDF with an index and a bookmark each (phones
open a PDF, not a zip), and each is listed as a ``BundleItem`` for the portal's reading pages.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.background import outbox
from sar_service.clock import now, today
from sar_service.db import commit_now
from sar_service.models import Case, CaseEvent, Document
from sar_service.models.release import BundleItem
from sar_service.models.review import EXEMPTIONS, Bundle
from sar_service.records import readable, review
from sar_service.storage import StorageError, storage
from sar_service.uploads import clean_name
from workflows.calendars import long_date
from workflows.request_types import REQUEST_TYPES

LETTER_KINDS = tuple(t.outcome_letter for t in REQUEST_TYPES.values() if t.gathers_records)
STORED_KINDS = {"pdf", "png", "jpeg", "heic", "docx"}  # already compressed
PROGRESS_STEPS = 50

log = logging.getLogger(__name__)


class ReviewIncomplete(ValueError):
    def __init__(self, blockers: list[str]):
        super().__init__("Review is not finished.")
        self.blockers = blockers


@dataclass
class Entry:
    number: int
    document: Document | None  # None: withheld, not in the zip
    original: Document
    source: str
    treatment: str
    exemption: str = ""
    arcname: str = ""
    file_kind: str = ""


def _arcname(number: int, doc: Document) -> str:
    return f"documents/{number:03d} {clean_name(doc.filename)}"


def plan(state: review.CaseReview) -> list[Entry]:
    """What goes in the zip (and what is listed as withheld), in upload order.

    ``state`` is ``review.case_review`` for the case, which callers already have.
    """
    entries = []
    shown = [d for d in state.docs if not (d.withheld and d.withheld.say_nothing)]
    for n, item in enumerate(shown, start=1):
        entry = Entry(n, None, item.doc, item.info.source_name, treatment="")
        if item.withheld:
            entry.exemption = EXEMPTIONS[item.withheld.exemption]
            entry.treatment = "Withheld"
        elif item.redacted is not None:
            entry.document, entry.file_kind = item.redacted, item.redacted.filename.rsplit(".")[-1]
            entry.treatment = (
                "Redacted by hand" if item.manual else f"Redacted ({item.counts['accepted']} items)"
            )
        else:
            entry.document, entry.file_kind = item.doc, item.info.file_kind
            entry.treatment = "Nothing needed redacting"
        if entry.document is not None:
            entry.arcname = _arcname(n, entry.document)
        entries.append(entry)
    return entries


def latest_letter(session: Session, case: Case) -> Document | None:
    return session.scalar(
        select(Document)
        .where(
            Document.case_id == case.id,
            Document.kind == "letter",
            Document.letter_kind.in_(LETTER_KINDS),
        )
        .order_by(Document.id.desc())
        .limit(1)
    )


def request(session: Session, case: Case, actor: str) -> Bundle:
    """Queue a build if review is complete; a build already under way is returned as is."""
    state = review.case_review(session, case)
    if not state.complete:
        raise ReviewIncomplete(state.blockers)
    letter = latest_letter(session, case)
    if letter is not None and letter.blocked:
        raise ReviewIncomplete(
            [f"{letter.filename} fails the legal checks (the DPO may override them with a reason)"]
        )
    running = session.scalar(
        select(Bundle).where(Bundle.case_id == case.id, Bundle.status.in_(("queued", "building")))
    )
    if running is not None:
        return running
    bundle = Bundle(case_id=case.id, status="queued", requested_by=actor)
    session.add(bundle)
    session.flush()
    outbox.add(session, f"bundle:{bundle.id}", "bundle", {"bundle_id": bundle.id}, case.id)
    session.add(CaseEvent(case_id=case.id, actor_label=actor, action="bundle_requested", data={}))
    return bundle


def latest(session: Session, case: Case) -> Bundle | None:
    return session.scalar(
        select(Bundle).where(Bundle.case_id == case.id).order_by(Bundle.id.desc()).limit(1)
    )


def _ensure_redacted_copies(session: Session, case: Case) -> review.CaseReview:
    """Text documents with accepted redactions but no copy (e.g. after an error) get one now.

    Returns the case's review state as it is afterwards (read again only if copies were made).
    """
    state = review.case_review(session, case)
    changed = False
    for item in state.docs:
        needs_copy = item.counts["accepted"] and item.redacted is None
        if needs_copy and not item.manual and not item.withheld:
            review.refresh_redacted_copy(session, case, item.doc)
            changed = True
    return review.case_review(session, case) if changed else state


def _set_progress(session: Session, bundle: Bundle, percent: int) -> None:
    bundle.progress = percent
    commit_now(session, "staff watch the build's progress while the job runs")


def _write_zip(
    session: Session, bundle: Bundle, case: Case, state: review.CaseReview, path: Path
) -> int:
    entries = plan(state)
    letter = latest_letter(session, case)
    index = render_template(
        "records/bundle_index.html",
        case=case,
        entries=entries,
        letter=letter,
        withheld=[
            w for w in review.withholdings(session, case) if not (w.document_id or w.say_nothing)
        ],
        exemptions=EXEMPTIONS,
        left_out=state.left_out_counts,
        made_on=today(),
        long_date=long_date,
    )
    files = [e for e in entries if e.document is not None]
    step = max(1, len(files) // PROGRESS_STEPS)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        zf.writestr("index.html", index)
        if letter is not None:
            zf.writestr(f"letter/{clean_name(letter.filename)}", storage().get(letter.storage_key))
        for i, entry in enumerate(files, start=1):
            method = zipfile.ZIP_STORED if entry.file_kind in STORED_KINDS else zipfile.ZIP_DEFLATED
            assert entry.document is not None  # ``files`` holds the included documents only
            zf.writestr(entry.arcname, storage().get(entry.document.storage_key), method)
            if i % step == 0:
                _set_progress(session, bundle, 5 + int(90 * i / len(files)))
    return len(files)


def _items(session: Session, case: Case, state: review.CaseReview) -> list[BundleItem]:
    """What the portal lists one by one: the letter (number 0), then each included document."""
    items = []
    letter = latest_letter(session, case)
    if letter is not None:
        items.append(BundleItem(number=0, document_id=letter.id, title=clean_name(letter.filename),
                                file_kind="docx"))  # fmt: skip
    for entry in plan(state):
        if entry.document is None:
            continue
        title = clean_name(entry.document.filename)
        kind = readable.kind_of(entry.file_kind, title)
        items.append(BundleItem(number=entry.number, document_id=entry.document.id, title=title,
                                file_kind=kind[:10]))  # fmt: skip
    return items


def _combined_pdf(session: Session, case: Case, items: list[BundleItem], path: Path):
    """The documents as one PDF, stored; None (and logged) if it could not be made or the
    bundle is too large for it: the zip is what the law needs, the PDF is for reading on a
    phone (and each document can still be read on its own page)."""
    from sar_service.records import combined_pdf

    docs = [session.get_one(Document, item.document_id) for item in items]
    if not combined_pdf.fits([(i.file_kind, d.size) for i, d in zip(items, docs, strict=True)]):
        log.info("bundle for case %s: too large for one PDF; the zip and pages remain", case.id)
        return None
    parts = []
    for item in items:
        key = session.get_one(Document, item.document_id).storage_key
        data = b"".join(storage().iter_chunks(key))
        parts.append(combined_pdf.Part(item.title, item.file_kind, data))
    try:
        combined_pdf.build(f"{case.reference}: the documents we are sending you", parts, path)
        return storage().put_file(path)
    except Exception:  # noqa: BLE001 - see the docstring
        log.exception("bundle for case %s: the combined PDF could not be made", case.id)
        return None


def build(session: Session, bundle_id: int) -> None:
    """The job: idempotent (a finished bundle is left alone); failures are shown, not hidden."""
    bundle = session.get(Bundle, bundle_id)
    if bundle is None or bundle.status in ("ready", "failed"):
        return
    case = session.get_one(Case, bundle.case_id)
    bundle.status, bundle.progress, bundle.error = "building", 0, ""
    commit_now(session, 'staff see "building" while the job runs')
    try:
        state = _ensure_redacted_copies(session, case)
        _set_progress(session, bundle, 5)
        with tempfile.TemporaryDirectory(prefix="sar-bundle-") as tmp:
            path = Path(tmp) / "bundle.zip"
            count = _write_zip(session, bundle, case, state, path)
            stored = storage().put_file(path)
            items = _items(session, case, state)
            pdf_stored = _combined_pdf(session, case, items, Path(tmp) / "bundle.pdf")
    except (StorageError, ValueError, OSError) as exc:
        session.rollback()
        bundle = session.get_one(Bundle, bundle_id)
        bundle.status, bundle.error, bundle.finished_at = "failed", str(exc)[:2000], now()
        return
    doc = Document(
        case_id=case.id, kind="bundle", filename=f"{case.reference} disclosure.zip",
        content_type="application/zip", size=stored.size, sha256=stored.sha256,
        storage_key=stored.key, note=f"{count} documents", created_by="SAR Service",
    )  # fmt: skip
    session.add(doc)
    session.flush()
    bundle.document_id, bundle.status, bundle.progress = doc.id, "ready", 100
    for item in items:
        item.bundle_id = bundle.id
        session.add(item)
    if pdf_stored is not None:
        pdf_doc = Document(
            case_id=case.id, kind="bundle", filename=f"{case.reference} documents.pdf",
            content_type="application/pdf", size=pdf_stored.size, sha256=pdf_stored.sha256,
            storage_key=pdf_stored.key, note=f"{count} documents as one PDF",
            created_by="SAR Service",
        )  # fmt: skip
        session.add(pdf_doc)
        session.flush()
        bundle.pdf_document_id = pdf_doc.id
    bundle.finished_at = now()
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_label="SAR Service",
            action="bundle_built",
            data={"document_id": doc.id, "documents": count},
        )  # fmt: skip
    )
