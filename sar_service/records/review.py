"""Review of gathered documents: suggestions become decisions, decisions become redacted copies.

Suggestions are computed once when a document arrives (and again on request,
e.g. after a new roll import) and stored as "pending" decisions, so the case
page can say how much is left without reading every file. Review is complete
when nothing is pending and every PDF or image has a redacted copy or is
withheld under a named exemption.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.clock import now
from sar_service.models import Case, CaseEvent, Document
from sar_service.models.inventory import GatheredDocument
from sar_service.models.mailbox import DocumentCheck, MailItem, ReviewSettings, SafeguardingSignoff
from sar_service.models.review import (
    EXEMPTIONS,
    MAY_SAY_NOTHING,
    RedactionDecision,
    Withholding,
)
from sar_service.models.roll import RollPerson
from sar_service.records.extract import extract_text, needs_manual_redaction, redact_document
from sar_service.records.redaction import Person, Suggestion, suggest_redactions
from sar_service.storage import storage

SAY_NOTHING_ONLY = (
    "Saying nothing in the letter is only for serious harm or child-abuse data: "
    "for other exemptions the letter says information was withheld and on which grounds."
)
AUTO_REDACTED = "Redacted copy made by the service from the accepted suggestions."
MANUAL_REDACTED = "Redacted by hand and uploaded by a reviewer."
CONTEXT = 60


def roll(session: Session, school_id: int) -> list[Person]:
    rows = session.execute(
        select(RollPerson.name, RollPerson.role)
        .where(RollPerson.school_id == school_id)
        .order_by(RollPerson.id)
    )
    return [Person(name, role) for name, role in rows]


def has_roll(session: Session, school_id: int) -> bool:
    """Whether the school imported a roll; without one, names are found by rules alone."""
    return (
        session.scalar(select(RollPerson.id).where(RollPerson.school_id == school_id).limit(1))
        is not None
    )


def keep_for(session: Session, case: Case) -> list[str]:
    """The subject's and requester's own names and details: never suggested."""
    keep = [case.subject_name, case.requester_name, case.requester_email, case.requester_phone]
    from sar_service.records.subject import subject_people

    for person in subject_people(session, case):
        keep += [person.name, person.upn, person.email, person.phone]
    return [k for k in keep if k]


def _gathered(session: Session, doc: Document) -> GatheredDocument | None:
    return session.get(GatheredDocument, doc.id)


def text_of(doc: Document, info: GatheredDocument, data: bytes | None = None) -> str:
    """The text suggestions refer to (offsets index into it), from storage unless given."""
    data = storage().get(doc.storage_key) if data is None else data
    return extract_text(data, info.file_kind)


def suggestions_for(session: Session, case: Case, doc: Document, data: bytes | None = None):
    """Fresh suggestions for a text-bearing document, with the text they refer to."""
    info = _gathered(session, doc)
    assert info is not None, "suggestions are made for gathered documents only"
    text = text_of(doc, info, data)
    found = suggest_redactions(text, roll(session, case.school_id), keep_for(session, case))
    return text, found


def analyse(session: Session, case: Case, doc: Document, data: bytes | None = None) -> int:
    """Store new suggestions as pending; drop pending ones no longer suggested. Returns pending."""
    info = _gathered(session, doc)
    if info is None or needs_manual_redaction(info.file_kind):
        return 0
    text, found = suggestions_for(session, case, doc, data)
    _check_person(session, case, doc, text)
    rows = {r.key: r for r in decisions(session, doc)}
    wanted = {s.key for s in found}
    pending = 0
    for key, row in rows.items():
        if row.decision == "pending":
            if key in wanted:
                pending += 1
            else:
                session.delete(row)
    for s in found:
        if s.key not in rows:
            session.add(
                RedactionDecision(
                    document_id=doc.id,
                    key=s.key,
                    start=s.start,
                    end=s.end,
                    text=s.text,
                    kind=s.kind,
                    reason=s.reason,
                    decision="pending",
                )  # fmt: skip
            )
            pending += 1
    session.flush()
    return pending


def _check_person(session: Session, case: Case, doc: Document, text: str) -> None:
    """Flag a document naming the pupil beside another date of birth or UPN (once)."""
    from sar_service.records.subject import subject_people
    from sar_service.records.triage import wrong_person

    if not case.subject_name or session.get(DocumentCheck, doc.id) is not None:
        return
    upns = [p.upn for p in subject_people(session, case) if p.upn]
    reason = wrong_person(text, case.subject_name, case.subject_dob, upns)
    if reason:
        session.add(DocumentCheck(document_id=doc.id, case_id=case.id, reason=reason))


def decisions(session: Session, doc: Document) -> list[RedactionDecision]:
    return list(
        session.scalars(
            select(RedactionDecision)
            .where(RedactionDecision.document_id == doc.id)
            .order_by(RedactionDecision.start, RedactionDecision.id)
        )
    )


DEFAULT_EXEMPTION = "third_party"


def decide(
    session: Session,
    doc: Document,
    choices: dict[str, str],
    actor: str,
    exemptions: dict[str, str] | None = None,
) -> int:
    """Record accept/reject choices by suggestion key; returns how many changed.

    Every accepted redaction carries the exemption it relies on (``exemptions`` by key;
    third-party data unless said otherwise), for the disclosure schedule.
    """
    exemptions = exemptions or {}
    changed = 0
    for row in decisions(session, doc):
        choice = choices.get(row.key)
        ground = exemptions.get(row.key)
        ground = ground if ground in EXEMPTIONS else None
        if choice in ("accepted", "rejected") and choice != row.decision:
            row.decision, row.decided_by, row.decided_at = choice, actor, now()
            changed += 1
        if row.decision == "accepted":
            wanted = ground or row.exemption or DEFAULT_EXEMPTION
            if wanted != row.exemption:
                row.exemption = wanted
                changed += choice is None
        elif row.exemption:
            row.exemption = ""
    session.flush()
    return changed


def bulk_accept(session: Session, doc: Document, kind: str, actor: str) -> int:
    """Accept every pending suggestion of one kind (e.g. all names) in a document."""
    choices = {
        r.key: "accepted"
        for r in decisions(session, doc)
        if r.decision == "pending" and r.kind == kind
    }
    return decide(session, doc, choices, actor)


def context_of(text: str, row: RedactionDecision) -> tuple[str, str, str]:
    """The words around a suggestion, so a reviewer can judge it without opening the file."""
    before = text[max(row.start - CONTEXT, 0) : row.start]
    after = text[row.end : row.end + CONTEXT]
    return before.replace("\n", " ⏎ "), text[row.start : row.end], after.replace("\n", " ⏎ ")


def accepted_suggestions(rows: list[RedactionDecision]) -> list[Suggestion]:
    """The accepted decisions among ``rows`` (from ``decisions``) as suggestions to apply."""
    return [
        Suggestion(r.start, r.end, r.text, r.kind, r.reason, key=r.key)
        for r in rows
        if r.decision == "accepted"
    ]


def redacted_copies(session: Session, doc: Document) -> list[Document]:
    return list(
        session.scalars(
            select(Document)
            .where(Document.source_id == doc.id, Document.kind == "redacted")
            .order_by(Document.id.desc())
        )
    )


def latest_redacted(session: Session, doc: Document) -> Document | None:
    copies = redacted_copies(session, doc)
    return copies[0] if copies else None


def refresh_redacted_copy(session: Session, case: Case, doc: Document) -> Document | None:
    """Replace the automatic redacted copy after decisions change (the original is kept)."""
    from sar_service.records.documents import store_document
    from sar_service.records.filecheck import FileCheck

    for old in redacted_copies(session, doc):
        if old.note == AUTO_REDACTED:
            storage().delete(old.storage_key)
            session.delete(old)
    session.flush()
    info = _gathered(session, doc)
    assert info is not None, "only gathered documents are redacted"
    rows = decisions(session, doc)
    if any(r.decision == "pending" for r in rows) or not any(
        r.decision == "accepted" for r in rows
    ):
        return None
    data, kind = redact_document(
        storage().get(doc.storage_key), info.file_kind, accepted_suggestions(rows)
    )
    stem = doc.filename.rsplit(".", 1)[0]
    content_type = {
        "docx": doc.content_type,
        "csv": "text/csv; charset=utf-8",
        "pdf": "application/pdf",
    }.get(kind, "text/plain; charset=utf-8")
    return store_document(
        session, case, data, f"{stem} (redacted).{kind}", FileCheck(kind, content_type),
        kind="redacted", created_by="SAR Service", note=AUTO_REDACTED, source_id=doc.id,
    )  # fmt: skip


def withhold(
    session: Session,
    case: Case,
    exemption: str,
    reason: str,
    actor: str,
    doc_id: int | None,
    say_nothing: bool = False,
) -> Withholding:
    """Log a withholding (internal). ``say_nothing``: the letter will not mention it."""
    if exemption not in EXEMPTIONS:
        raise ValueError("Choose the exemption you are relying on.")
    if say_nothing and exemption not in MAY_SAY_NOTHING:
        raise ValueError(SAY_NOTHING_ONLY)
    row = Withholding(
        case_id=case.id,
        document_id=doc_id,
        exemption=exemption,
        reason=reason,
        decided_by=actor,
        say_nothing=say_nothing,
    )
    session.add(row)
    session.flush()
    return row


def withholdings(session: Session, case: Case) -> list[Withholding]:
    return list(
        session.scalars(
            select(Withholding).where(Withholding.case_id == case.id).order_by(Withholding.id)
        )
    )


@dataclass
class DocReview:
    doc: Document
    info: GatheredDocument
    counts: Counter
    manual: bool
    redacted: Document | None
    withheld: Withholding | None
    item: MailItem | None = None
    signoff: SafeguardingSignoff | None = None
    doc_check: DocumentCheck | None = None

    @property
    def needs_dsl(self) -> bool:
        """Tagged safeguarding and not yet signed off by the designated safeguarding lead."""
        return self.signoff is not None and not self.signoff.signed_off_by

    @property
    def pending(self) -> int:
        return self.counts["pending"]

    @property
    def check(self) -> str:
        """An open warning that must be settled before release (e.g. maybe another child)."""
        if self.doc_check is not None and not self.doc_check.settled_by:
            return self.doc_check.reason
        flags = self.item.flags if self.item is not None else []
        open_flags = [f for f in flags or [] if not f.get("settled_by")]
        return open_flags[0]["reason"] if open_flags else ""

    @property
    def done(self) -> bool:
        if self.withheld:
            return True
        if self.check or self.needs_dsl:
            return False
        if self.manual:
            return self.redacted is not None
        return self.pending == 0

    @property
    def state(self) -> str:
        if self.withheld:
            return f"Withheld: {EXEMPTIONS[self.withheld.exemption]}"
        if self.check:
            return f"Check first: {self.check}"
        if self.needs_dsl and not (self.pending or (self.manual and self.redacted is None)):
            return "Safeguarding: needs sign-off by the designated safeguarding lead"
        if self.manual:
            return "Redacted copy uploaded" if self.redacted else "Needs a redacted copy"
        if self.pending:
            return f"{self.pending} suggestion{'s' if self.pending != 1 else ''} to decide"
        accepted = self.counts["accepted"]
        if accepted:
            return f"{accepted} redaction{'s' if accepted != 1 else ''} accepted"
        return "Nothing to redact"


@dataclass
class CaseReview:
    docs: list[DocReview] = field(default_factory=list)
    withheld: list[Withholding] = field(default_factory=list)
    #: Mailbox documents collapsed or set aside (and not brought back): not read, not sent.
    left_out: list[tuple[Document, MailItem]] = field(default_factory=list)

    @property
    def left_out_counts(self) -> Counter:
        """How many messages were left out and why (collapse reasons, or "set_aside");
        attachments follow their message and are not counted again."""
        return Counter(
            item.collapse_reason or "set_aside"
            for _, item in self.left_out
            if item.parent_id is None
        )

    @property
    def complete(self) -> bool:
        return bool(self.docs) and all(d.done for d in self.docs)

    @property
    def done_count(self) -> int:
        return sum(1 for d in self.docs if d.done)

    @property
    def blockers(self) -> list[str]:
        out = [f"{d.doc.filename}: {d.state.lower()}" for d in self.docs if not d.done]
        return out or ([] if self.docs else ["No records have been gathered yet."])


def case_review(session: Session, case: Case) -> CaseReview:
    """Every original document with its review state, in four queries whatever the count."""
    every = session.execute(
        select(Document, GatheredDocument, MailItem)
        .join(GatheredDocument, GatheredDocument.document_id == Document.id)
        .outerjoin(MailItem, MailItem.document_id == Document.id)
        .where(Document.case_id == case.id)
        .order_by(Document.id)
    ).all()
    rows = [(doc, info, item) for doc, info, item in every if item is None or not item.left_out]
    left_out = [(doc, item) for doc, _, item in every if item is not None and item.left_out]
    ids = [doc.id for doc, _, _ in rows]
    counts: dict[int, Counter] = {i: Counter() for i in ids}
    for doc_id, decision in session.execute(
        select(RedactionDecision.document_id, RedactionDecision.decision).where(
            RedactionDecision.document_id.in_(ids)
        )
    ):
        counts[doc_id][decision] += 1
    copies: dict[int, Document] = {}
    for copy in session.scalars(
        select(Document)
        .where(Document.case_id == case.id, Document.kind == "redacted")
        .order_by(Document.id)
    ):
        if copy.source_id is not None:
            copies[copy.source_id] = copy
    held = withholdings(session, case)
    by_doc = {w.document_id: w for w in held if w.document_id}
    review = CaseReview(withheld=held, left_out=left_out)
    signoffs = {
        row.document_id: row
        for row in session.scalars(
            select(SafeguardingSignoff).where(SafeguardingSignoff.case_id == case.id)
        )
    }
    checks = {
        row.document_id: row
        for row in session.scalars(select(DocumentCheck).where(DocumentCheck.case_id == case.id))
    }
    for doc, info, item in rows:
        review.docs.append(
            DocReview(
                doc,
                info,
                counts[doc.id],
                needs_manual_redaction(info.file_kind),
                copies.get(doc.id),
                by_doc.get(doc.id),
                item,
                signoffs.get(doc.id),
                checks.get(doc.id),
            )  # fmt: skip
        )
    return review


def mail_item(session: Session, doc: Document) -> MailItem | None:
    return session.get(MailItem, doc.id)


def set_included(session: Session, case: Case, doc: Document, include: bool, actor: str) -> int:
    """The school's call on a collapsed or set-aside message: read it after all, or leave it out.

    Attachments follow their message. Returns how many suggestions are now pending.
    """
    item = mail_item(session, doc)
    if item is None:
        raise ValueError("Only documents from a mailbox import can be set aside.")
    family = [item, *session.scalars(select(MailItem).where(MailItem.parent_id == doc.id))]
    pending = 0
    for member in family:
        member.included = include
        if include:
            pending += analyse(session, case, session.get_one(Document, member.document_id))
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_label=actor,
            action="mail_included" if include else "mail_left_out",
            data={"document_id": doc.id, "reason": item.collapse_reason or item.set_aside_reason},
        )  # fmt: skip
    )
    session.flush()
    return pending


def open_check(session: Session, doc: Document) -> str:
    """The reason a document must be checked before release, or ""."""
    row = session.get(DocumentCheck, doc.id)
    if row is not None and not row.settled_by:
        return row.reason
    item = mail_item(session, doc)
    flags = [f for f in (item.flags or []) if not f.get("settled_by")] if item else []
    return flags[0]["reason"] if flags else ""


def settle_check(session: Session, doc: Document, actor: str) -> None:
    """A reviewer confirms the document is about this pupil after all."""
    row = session.get(DocumentCheck, doc.id)
    if row is not None and not row.settled_by:
        row.settled_by, row.settled_at = actor, now()
    item = mail_item(session, doc)
    if item is not None and item.flags:
        item.flags = [dict(f, settled_by=f.get("settled_by") or actor) for f in item.flags]
    session.flush()


# ---------------------------------------------------------------- a second pair of eyes


def signoff_of(session: Session, doc: Document) -> SafeguardingSignoff | None:
    return session.get(SafeguardingSignoff, doc.id)


def tag_safeguarding(session: Session, case: Case, doc: Document, actor: str) -> None:
    """Safeguarding records need the DSL's sign-off before the bundle can be built."""
    if signoff_of(session, doc) is None:
        session.add(SafeguardingSignoff(document_id=doc.id, case_id=case.id, tagged_by=actor))
        session.add(
            CaseEvent(
                case_id=case.id,
                actor_label=actor,
                action="tagged_safeguarding",
                data={"document_id": doc.id},
            )  # fmt: skip
        )
        session.flush()


def dsl_sign_off(session: Session, case: Case, doc: Document, actor: str) -> None:
    """The designated safeguarding lead has read the document and its redactions."""
    row = signoff_of(session, doc)
    if row is None:
        raise ValueError("This document is not tagged as safeguarding.")
    row.signed_off_by, row.signed_off_at = actor, now()
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_label=actor,
            action="dsl_signed_off",
            data={"document_id": doc.id},
        )  # fmt: skip
    )
    session.flush()


def settings_for(session: Session, school_id: int) -> ReviewSettings:
    row = session.get(ReviewSettings, school_id)
    return row if row is not None else ReviewSettings(school_id=school_id, second_reviewer=False)


def redactors(session: Session, case: Case) -> set[str]:
    """Who made the case's redactions: accepted suggestions and copies redacted by hand."""
    ids = select(Document.id).where(Document.case_id == case.id)
    decided = session.scalars(
        select(RedactionDecision.decided_by).where(
            RedactionDecision.document_id.in_(ids), RedactionDecision.decision == "accepted"
        )
    )
    manual = session.scalars(
        select(Document.created_by).where(
            Document.case_id == case.id,
            Document.kind == "redacted",
            Document.note == MANUAL_REDACTED,
        )
    )
    return {who for who in [*decided, *manual] if who}
