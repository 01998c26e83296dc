"""``sar gather``: add files to a case as staff would, process them as the worker does, report.

Mailbox exports go through ``mailimport.create`` and ``mailimport.run`` (the
worker's job, run here in the foreground); other files through
``documents.add_gathered``, as the upload page does. The report is JSON.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.db import commit_now
from sar_service.models import Case, Document
from sar_service.models.inventory import GatheredDocument
from sar_service.models.mailbox import MailImport, MailItem
from sar_service.models.review import RedactionDecision
from sar_service.models.school import School
from sar_service.records import documents, mailimport
from sar_service.records.filecheck import FileProblem

ACTOR = "sar gather (command line)"
#: Suggestion kinds as the report names them.
KIND_NAMES = {"name": "person_name", "staff_name": "staff_name"}


class GatherError(ValueError):
    """The school or case given on the command line does not exist."""


def find_case(session: Session, school_slug: str, reference: str) -> Case:
    school = session.scalar(select(School).where(School.slug == school_slug))
    if school is None:
        raise GatherError(f"no school with slug {school_slug!r}")
    case = session.scalar(
        select(Case).where(Case.school_id == school.id, Case.reference == reference)
    )
    if case is None:
        raise GatherError(f"no case {reference} at {school_slug}")
    return case


def gather(session: Session, case: Case, files: list[Path]) -> dict:
    """Add and process every file (committing each), then report on what they produced."""
    doc_ids: list[int] = []
    import_ids: list[int] = []
    errors: list[dict] = []
    for path in files:
        with open(path, "rb") as stream:
            head = stream.read(8)
        if mailimport.is_mailbox(head, path.name):
            row = mailimport.create(
                session, case, path, path.name, source_name=f"Command line: {path.name}",
                created_by=ACTOR, background=False,
            )  # fmt: skip
            commit_now(session, "the import row exists before the import runs")
            ran = mailimport.run(session, row.id)
            assert ran is not None  # just created
            row = ran
            import_ids.append(row.id)
            if row.status == "failed":
                errors.append({"file": path.name, "reason": row.error})
            continue
        try:
            doc = documents.add_gathered(
                session, case, path.read_bytes(), path.name,
                source_name=f"Command line: {path.name}", created_by=ACTOR,
            )  # fmt: skip
        except FileProblem as exc:
            session.rollback()
            errors.append({"file": path.name, "reason": str(exc)})
            continue
        commit_now(session, "each file is stored before the next")
        doc_ids.append(doc.id)
    return report(session, case, doc_ids, import_ids, errors)


def report(
    session: Session, case: Case, doc_ids: list[int], import_ids: list[int], errors: list[dict]
) -> dict:
    imports = [session.get_one(MailImport, i) for i in import_ids]
    items = list(session.scalars(select(MailItem).where(MailItem.import_id.in_(import_ids))))
    ids = doc_ids + [i.document_id for i in items]
    rows = session.execute(
        select(Document.id, Document.filename, GatheredDocument.file_kind)
        .join(GatheredDocument, GatheredDocument.document_id == Document.id)
        .where(Document.id.in_(ids))
        .order_by(Document.id)
    ).all()
    by_id = {i.document_id: i for i in items}
    docs = []
    for doc_id, filename, kind in rows:
        item = by_id.get(doc_id)
        entry = {"id": doc_id, "filename": filename, "kind": kind}
        if item is not None:
            entry |= {
                "import": item.import_id, "attachment_of": item.parent_id,
                "subject": item.subject, "from": item.sender,
                "read": not item.left_out, "flags": [f["reason"] for f in item.flags or []],
            }  # fmt: skip
        docs.append(entry)
    threads: dict[str, dict] = {}
    for item in sorted(items, key=lambda i: i.document_id):
        if item.parent_id is None and item.thread_key:
            thread = threads.setdefault(
                item.thread_key,
                {"thread": item.thread_key, "subject": item.subject, "messages": []},
            )
            thread["messages"].append(item.document_id)
    suggestions = [
        {"text": r.text, "kind": KIND_NAMES.get(r.kind, r.kind), "document": r.document_id,
         "reason": r.reason}
        for r in session.scalars(
            select(RedactionDecision)
            .where(RedactionDecision.document_id.in_(ids))
            .order_by(RedactionDecision.document_id, RedactionDecision.start)
        )
    ]  # fmt: skip
    return {
        "case": case.reference,
        "documents": docs,
        "threads": list(threads.values()),
        "duplicates": [
            {
                "document": i.document_id,
                "duplicate_of": i.duplicate_of_id,
                "reason": i.collapse_reason,
            }
            for i in items
            if i.collapse_reason
        ],  # fmt: skip
        "set_aside": [
            {"document": i.document_id, "reason": i.set_aside_reason}
            for i in items
            if i.set_aside_reason and not i.collapse_reason
        ],  # fmt: skip
        "suggestions": suggestions,
        "search_terms": imports[0].search_terms if imports else [],
        "imports": [
            {
                "id": m.id,
                "filename": m.filename,
                "status": m.status,
                "messages": m.messages,
                "attachments": m.attachments,
                "threads": m.threads,
                "duplicates": m.duplicates,
                "set_aside": m.set_aside,
                "skipped": m.skipped,
            }
            for m in imports
        ],  # fmt: skip
        "errors": errors,
    }
