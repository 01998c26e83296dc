"""A mailbox upload turned into gathered documents, triaged and with suggestions ready.

``create`` stores the upload encrypted and records a ``MailImport`` (with an
outbox job when run by the web app); ``run`` is that job, and ``sar gather``
calls it directly, so the worker and the command line share one path. It
streams the upload from a temporary file, stores each message (and each
attachment) as an encrypted document, then threads, collapses duplicates,
sets aside messages that do not mention the pupil, and stores redaction
suggestions for what is left to read. Rows go in with batched inserts and
progress is committed as it goes; a failure in one message is recorded and
the import carries on.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from sar_service.background import outbox
from sar_service.clock import now
from sar_service.db import commit_now
from sar_service.models import Case, CaseEvent, Document
from sar_service.models.inventory import GatheredDocument, GatheringTask
from sar_service.models.mailbox import MailImport, MailItem
from sar_service.models.review import RedactionDecision
from sar_service.records import mailbox, triage
from sar_service.records.extract import extract_text, file_kind, needs_manual_redaction
from sar_service.records.filecheck import FileProblem, check
from sar_service.records.redaction import Prepared, Suggestion, prepare, suggest_with
from sar_service.storage import storage
from sar_service.uploads import clean_name

log = logging.getLogger(__name__)
BATCH = 250
ACTOR = "SAR Service"
MAILBOX_SUFFIXES = (".mbox", ".mbx", ".eml", ".msg", ".zip")


def is_mailbox(data: bytes, filename: str) -> bool:
    """An upload for the mailbox import rather than a single document."""
    return mailbox.kind_of(data[:8], filename) in ("mbox", "eml", "msg", "zip")


def is_archive(data: bytes, filename: str) -> bool:
    """Many messages or files in one (mbox, Outlook .msg, zip): always the import's job, even
    from the single-file upload forms (a lone .eml stays one document there)."""
    return mailbox.kind_of(data[:8], filename) in ("mbox", "msg", "zip")


def create(
    session: Session,
    case: Case,
    data: bytes | Path,
    filename: str,
    *,
    source_name: str,
    created_by: str,
    task: GatheringTask | None = None,
    background: bool = True,
) -> MailImport:
    """Store the upload and record the import; with ``background`` the worker runs it."""
    stored = storage().put_file(data) if isinstance(data, Path) else storage().put(data)
    doc = Document(
        case_id=case.id, kind="import", filename=clean_name(filename),
        content_type="application/octet-stream", size=stored.size, sha256=stored.sha256,
        storage_key=stored.key, note="Mailbox upload (not disclosed as it is)",
        created_by=created_by,
    )  # fmt: skip
    session.add(doc)
    session.flush()
    row = MailImport(
        case_id=case.id, document_id=doc.id, filename=clean_name(filename),
        source_name=source_name, created_by=created_by, skipped=[], search_terms=[],
    )  # fmt: skip
    session.add(row)
    session.flush()
    if background:
        outbox.add(session, f"mail_import:{row.id}", "mail_import", {"import_id": row.id}, case.id)
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_label=created_by,
            action="mailbox_uploaded",
            data={"import_id": row.id, "filename": row.filename, "task": task.id if task else None},
        )  # fmt: skip
    )
    return row


def imports(session: Session, case: Case) -> list[MailImport]:
    return list(
        session.scalars(
            select(MailImport).where(MailImport.case_id == case.id).order_by(MailImport.id)
        )
    )


# ---------------------------------------------------------------- what the pupil is searched by


@dataclass
class Context:
    """Per-case inputs computed once per import: roll, names to keep, search terms."""

    prepared: Prepared
    terms: triage.SearchTerms
    subject_name: str
    dob: date | None
    upns: list[str]


def context_for(session: Session, case: Case) -> Context:
    from sar_service.records import review
    from sar_service.records.subject import subject_people

    people = subject_people(session, case)
    upns = sorted({p.upn for p in people if p.upn})
    other_names = [p.name for p in people if p.name != case.subject_name]
    parents = [case.requester_name] if case.requester_name else []
    terms = triage.search_terms(case.subject_name, case.subject_dob, upns, parents, other_names)
    prepared = prepare(review.roll(session, case.school_id), review.keep_for(session, case))
    return Context(prepared, terms, case.subject_name, case.subject_dob, upns)


# ---------------------------------------------------------------- the job


@dataclass(slots=True)
class _Pending:
    """A document waiting for the next batched insert."""

    row: dict  # emptied once inserted (the memory goes with it)
    file_kind: str
    item: dict
    text: str | None
    parent: _Pending | None = None
    doc_id: int = 0
    key: str = ""
    record: triage.MessageRecord | None = None
    relevant: bool = False
    sha: str = ""
    attachments: list[_Pending] = field(default_factory=list)


class _Run:
    def __init__(self, session: Session, imp: MailImport, case: Case, ctx: Context):
        self.session, self.imp, self.case, self.ctx = session, imp, case, ctx
        self.pending: list[_Pending] = []
        self.messages: list[_Pending] = []
        self.suggestions: dict[int, list[Suggestion]] = {}
        self.skipped: list[dict] = []
        self.first_attachment: dict[str, int] = {}
        self.duplicate_attachments: list[tuple[int, int]] = []
        self.count = 0

    # -------------------------------------------------------- storing

    def _document(self, data: bytes, filename: str, content_type: str) -> dict:
        stored = storage().put(data)
        return {
            "case_id": self.case.id, "kind": "upload", "filename": clean_name(filename)[:255],
            "content_type": content_type, "size": stored.size, "sha256": stored.sha256,
            "storage_key": stored.key, "note": f"From mailbox upload {self.imp.filename}",
            "created_by": self.imp.created_by, "letter_kind": "", "version": 1,
            "created_at": now(),
        }  # fmt: skip

    def skip(self, item: str, reason: str) -> None:
        self.skipped.append({"item": item[:300], "reason": reason[:300]})

    def add_message(self, label: str, raw: bytes) -> None:
        try:
            parsed = mailbox.parse_message(raw, label)
        except Exception as exc:  # a malformed message must never stop the import
            self.skip(label, f"not a readable email ({exc})")
            return
        for s in parsed.skipped:
            self.skip(s.item, s.reason)
        self.count += 1
        text = parsed.text()
        subject = parsed.subject or "(no subject)"
        name = f"{self.count:05d} {subject[:80]}.txt"
        record = triage.MessageRecord(
            0, parsed.message_id, parsed.in_reply_to, parsed.references, parsed.subject,
            parsed.sender, parsed.sent_at, parsed.body,
        )  # fmt: skip
        message = _Pending(
            self._document(text.encode("utf-8"), name, "text/plain; charset=utf-8"),
            "txt",
            {
                "message_id": parsed.message_id,
                "subject": parsed.subject[:300],
                "sender": parsed.sender[:300],
                "sent_at": parsed.sent_at,
            },  # fmt: skip
            text,
            record=record,
        )
        message.relevant = self.ctx.terms.mentions(text)
        self.pending.append(message)
        self.messages.append(message)
        for attachment in parsed.attachments:
            self.add_file(f"{label}: {attachment.filename}", attachment.filename,
                          attachment.data, parent=message)  # fmt: skip
        if not message.relevant:
            message.relevant = any(a.relevant for a in message.attachments)

    def add_file(self, label: str, filename: str, data: bytes, parent=None) -> None:
        try:
            checked = check(data, filename)
            kind = file_kind(data, checked.kind)
            text = None if needs_manual_redaction(kind) else extract_text(data, kind)
        except (FileProblem, ValueError) as exc:
            self.skip(label, str(exc))
            return
        except Exception as exc:  # a damaged attachment must never stop the import
            self.skip(label, f"could not be read ({exc.__class__.__name__})")
            return
        pending = _Pending(
            self._document(data, filename, checked.content_type), kind,
            {"message_id": "", "subject": "", "sender": "", "sent_at": None},
            text, parent=parent, sha=hashlib.sha256(data).hexdigest(),
        )  # fmt: skip
        pending.relevant = text is not None and self.ctx.terms.mentions(text)
        self.pending.append(pending)
        if parent is not None:
            parent.attachments.append(pending)
        else:
            self.messages.append(pending)

    def flush(self) -> None:
        """Insert the batch: documents first (for their ids), then provenance and triage rows."""
        if not self.pending:
            return
        ids = self.session.scalars(
            insert(Document).returning(Document.id, sort_by_parameter_order=True),
            [p.row for p in self.pending],
        ).all()
        for p, doc_id in zip(self.pending, ids, strict=True):
            p.doc_id, p.key = doc_id, p.row["storage_key"]
            if p.record is not None:
                p.record.key = doc_id
        source = self.imp.source_name or f"Mailbox: {self.imp.filename}"
        self.session.execute(
            insert(GatheredDocument),
            [
                {"document_id": p.doc_id, "case_id": self.case.id, "task_id": None,
                 "source_name": source[:160], "file_kind": p.file_kind}
                for p in self.pending
            ],
        )  # fmt: skip
        self.session.execute(
            insert(MailItem),
            [
                {"document_id": p.doc_id, "case_id": self.case.id, "import_id": self.imp.id,
                 "parent_id": p.parent.doc_id if p.parent else None, "thread_key": "",
                 "collapse_reason": "", "set_aside_reason": "", "flags": [], **p.item}
                for p in self.pending
            ],
        )  # fmt: skip
        for p in self.pending:
            self._suggest(p)
            p.row, p.item = {}, {}
        self.pending = []

    def _suggest(self, p: _Pending) -> None:
        if p.sha:
            first = self.first_attachment.setdefault(p.sha, p.doc_id)
            if first != p.doc_id:
                self.duplicate_attachments.append((p.doc_id, first))
                p.text = None
                return
        if p.text is None:
            return
        owner = p.parent or p
        flags = []
        if self.ctx.subject_name:
            why = triage.wrong_person(p.text, self.ctx.subject_name, self.ctx.dob, self.ctx.upns)
            if why:
                flags.append({"kind": "wrong_person", "reason": why})
        if flags:
            self.session.execute(
                update(MailItem).where(MailItem.document_id == p.doc_id).values(flags=flags)
            )
        if owner.relevant and (p.parent is not None or p.record is None):
            self.suggestions[p.doc_id] = suggest_with(p.text, self.ctx.prepared)
        p.text = None  # keep memory flat: a message's text is read back if it is to be read

    # -------------------------------------------------------- triage

    @staticmethod
    def _decisions(batch: list[dict], doc_id: int, found: list[Suggestion]) -> None:
        batch.extend(
            {"document_id": doc_id, "key": s.key, "start": s.start, "end": s.end, "text": s.text,
             "kind": s.kind, "reason": s.reason, "decision": "pending", "decided_by": "",
             "exemption": ""}
            for s in found
        )  # fmt: skip

    def triage(self) -> None:
        records = [m.record for m in self.messages if m.record is not None]
        thread_of = triage.threads(records)
        collapsed = triage.duplicates(records, thread_of)
        reason = triage.set_aside_reason(self.ctx.terms)
        updates = []
        set_aside = 0
        for m in self.messages:
            thread = thread_of.get(m.doc_id, "")
            collapse = collapsed.get(m.doc_id)
            aside = "" if m.relevant else reason
            set_aside += bool(aside) and collapse is None
            into = collapse.into if collapse else None
            why = collapse.reason if collapse else ""
            updates.append({"d": m.doc_id, "t": thread, "o": into, "c": why, "s": aside})
            for a in m.attachments:
                updates.append({"d": a.doc_id, "t": thread, "o": into, "c": why, "s": aside})
        for doc_id, first in self.duplicate_attachments:
            updates.append({"d": doc_id, "t": "", "o": first, "c": "exact_duplicate", "s": ""})
        for i in range(0, len(updates), 2000):
            self.session.execute(
                update(MailItem),
                [
                    {"document_id": u["d"], "thread_key": u["t"], "duplicate_of_id": u["o"],
                     "collapse_reason": u["c"], "set_aside_reason": u["s"]}
                    for u in updates[i : i + 2000]
                ],
            )  # fmt: skip
        left_out = {u["d"] for u in updates if u["c"] or u["s"]}
        batch: list[dict] = []
        for m in self.messages:
            if m.doc_id in left_out:
                continue
            if m.record is not None:  # a message: suggestions only now that it is to be read
                text = storage().get(m.key).decode("utf-8")
                self._decisions(batch, m.doc_id, suggest_with(text, self.ctx.prepared))
            else:
                self._decisions(batch, m.doc_id, self.suggestions.get(m.doc_id, []))
            for a in m.attachments:
                if a.doc_id not in left_out:
                    self._decisions(batch, a.doc_id, self.suggestions.get(a.doc_id, []))
            if len(batch) >= 2000:
                self.session.execute(insert(RedactionDecision), batch)
                batch = []
        if batch:
            self.session.execute(insert(RedactionDecision), batch)
        self.imp.messages = len(records)
        self.imp.attachments = sum(len(m.attachments) for m in self.messages)
        self.imp.threads = len(set(thread_of.values()))
        self.imp.duplicates = len(collapsed) + len(self.duplicate_attachments)
        self.imp.set_aside = set_aside


def _reset(session: Session, imp: MailImport) -> None:
    """A re-run after a crash starts again: the documents of the earlier attempt go."""
    keys = session.scalars(
        select(Document.storage_key)
        .join(MailItem, MailItem.document_id == Document.id)
        .where(MailItem.import_id == imp.id)
    ).all()
    ids = select(MailItem.document_id).where(MailItem.import_id == imp.id)
    session.execute(delete(Document).where(Document.id.in_(ids)))
    for key in keys:
        storage().delete(key)


def run(session: Session, import_id: int) -> MailImport | None:
    """The job (idempotent: a finished import is left alone); commits progress as it goes."""
    imp = session.get(MailImport, import_id)
    if imp is None or imp.status in ("done", "failed"):
        return imp
    case = session.get_one(Case, imp.case_id)
    if imp.status == "running":
        _reset(session, imp)
    imp.status, imp.done, imp.error, imp.skipped = "running", 0, "", []
    commit_now(session, "the import is marked running before its long work starts")
    upload = session.get_one(Document, imp.document_id)
    try:
        with tempfile.TemporaryDirectory(prefix="sar-mail-") as tmp:
            path = Path(tmp) / "upload"
            with open(path, "wb") as out:
                for chunk in storage().iter_chunks(upload.storage_key):
                    out.write(chunk)
            imp.total = mailbox.estimate_total(path, imp.filename)
            commit_now(session, "staff see how many messages there are")
            job = _Run(session, imp, case, context_for(session, case))
            for item in mailbox.iter_items(path, imp.filename):
                imp.done += 1
                if isinstance(item, mailbox.Skipped):
                    job.skip(item.item, item.reason)
                elif item.kind == "message":
                    job.add_message(item.label, item.data)
                else:
                    job.add_file(item.label, item.label.rsplit("/", 1)[-1], item.data)
                if len(job.pending) >= BATCH:
                    job.flush()
                    imp.skipped = list(job.skipped)
                    commit_now(session, "progress for the bar, a batch at a time")
            job.flush()
            job.triage()
    except Exception as exc:  # the worker must survive; staff see why
        log.exception("mail import %s failed", import_id)
        session.rollback()
        imp = session.get_one(MailImport, import_id)
        _reset(session, imp)  # no half-imported mailbox left to review
        imp.status, imp.error, imp.finished_at = "failed", str(exc)[:2000], now()
        commit_now(session, "the failure is recorded for staff")
        return imp
    imp.skipped = job.skipped
    imp.search_terms = job.ctx.terms.terms
    imp.total = max(imp.total, imp.done)
    imp.status, imp.finished_at = "done", now()
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_label=ACTOR,
            action="mailbox_imported",
            reason="Search terms: " + job.ctx.terms.describe(),
            data={
                "import_id": imp.id,
                "messages": imp.messages,
                "attachments": imp.attachments,
                "threads": imp.threads,
                "duplicates": imp.duplicates,
                "set_aside": imp.set_aside,
                "skipped": len(imp.skipped),
                "search_terms": imp.search_terms,
            },
        )  # fmt: skip
    )
    commit_now(session, "the finished import and its case event")
    return imp
