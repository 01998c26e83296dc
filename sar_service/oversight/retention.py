"""Retention that really deletes.

Two rules, applied by the sweep (daily in effect: the step is idempotent) and by
``sar purge``:

1. **Case files.** A finished case (closed, refused or withdrawn) whose
   school's retention period (``School.retention_years``, default 6) has run
   since it was closed loses everything: documents and letters (rows and
   encrypted files), the requester's uploads, notes, messages, events and the
   case row itself. What stays is its register line (``register_entries``)
   and the audit log, neither of which names the child or the requester.
2. **Proof of identity** is kept only until it is verified plus a short period
   (``id_evidence_days`` in the school's settings, default 30): after that the
   uploaded ID files go, whatever the case's state.
3. **Parents' questions** (the questions inbox) hold a parent's words and address:
   once answered or closed they are kept ``question_days`` (school setting,
   default 90) and then deleted. Open questions stay until someone deals with them.

A case under legal hold is never touched. Every deletion is audited. Rows go
first, in one transaction; files are removed only after that commits, so a
failure never leaves rows pointing at deleted files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sar_service.clock import london_date
from sar_service.db import commit_now
from sar_service.models import Case, ClockEvent, Document, EvidenceUpload, ParentQuestion, School
from sar_service.models.question import ANSWERED, CLOSED
from sar_service.oversight import audit, register
from workflows.states import FINISHED

DEFAULT_ID_EVIDENCE_DAYS = 30
#: Days an answered or closed parent's question is kept (``settings["question_days"]``).
DEFAULT_QUESTION_DAYS = 90


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def id_evidence_days(school: School) -> int:
    try:
        return max(
            0, int((school.settings or {}).get("id_evidence_days", DEFAULT_ID_EVIDENCE_DAYS))
        )
    except (TypeError, ValueError):
        return DEFAULT_ID_EVIDENCE_DAYS


def question_days(school: School) -> int:
    try:
        return max(0, int((school.settings or {}).get("question_days", DEFAULT_QUESTION_DAYS)))
    except (TypeError, ValueError):
        return DEFAULT_QUESTION_DAYS


@dataclass
class QuestionPurge:
    question_id: int
    school_id: int
    school: str
    done_on: date


@dataclass
class CasePurge:
    case_id: int
    school_id: int
    school: str
    reference: str
    closed_on: date
    documents: int = 0
    uploads: int = 0


@dataclass
class IdPurge:
    upload_id: int
    case_id: int
    school_id: int
    reference: str
    verified_on: date


@dataclass
class PurgePlan:
    as_of: date
    cases: list[CasePurge] = field(default_factory=list)
    id_uploads: list[IdPurge] = field(default_factory=list)
    questions: list[QuestionPurge] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # "school: reference" kept by legal hold
    files_deleted: int = 0

    def lines(self, dry_run: bool) -> list[str]:
        verb = "would delete" if dry_run else "deleted"
        out = [f"Retention as of {self.as_of.isoformat()}:"]
        for c in self.cases:
            out.append(
                f"  {verb} case file {c.school} {c.reference} (closed {c.closed_on.isoformat()}): "
                f"{c.documents} documents, {c.uploads} uploads; register line kept"
            )
        for u in self.id_uploads:
            verified = u.verified_on.isoformat()
            out.append(f"  {verb} proof of identity on {u.reference} (verified {verified})")
        for q in self.questions:
            out.append(
                f"  {verb} a parent's question to {q.school} (dealt with {q.done_on.isoformat()})"
            )
        for h in self.held:
            out.append(f"  kept {h}: legal hold")
        if len(out) == 1:
            out.append("  nothing is due for deletion")
        return out


def plan(session: Session, as_of: date) -> PurgePlan:
    """What the rules delete on ``as_of`` (reads only)."""
    result = PurgePlan(as_of)
    schools = {s.id: s for s in session.scalars(select(School))}
    shortest = min((s.retention_years for s in schools.values()), default=0)
    # Only cases closed before the shortest retention period could be due (+1 day: London).
    cutoff = datetime.combine(_years_before(as_of, shortest) + timedelta(days=1), time(), UTC)
    finished = session.execute(
        select(Case.id, Case.school_id, Case.reference, Case.closed_at, Case.legal_hold)
        .where(
            Case.status.in_([s.value for s in FINISHED]),
            Case.closed_at.is_not(None),
            Case.closed_at < cutoff,
        )
        .order_by(Case.school_id, Case.closed_at)
    ).all()
    due = []
    for row in finished:
        school = schools[row.school_id]
        closed_on = london_date(row.closed_at)
        if closed_on > _years_before(as_of, school.retention_years):
            continue
        if row.legal_hold:
            result.held.append(f"{school.slug} {row.reference}")
            continue
        due.append(CasePurge(row.id, row.school_id, school.slug, row.reference, closed_on))
    if due:
        ids = [c.case_id for c in due]
        docs = dict(
            session.execute(
                select(Document.case_id, func.count())
                .where(Document.case_id.in_(ids))
                .group_by(Document.case_id)
            ).all()
        )
        ups = dict(
            session.execute(
                select(EvidenceUpload.case_id, func.count())
                .where(EvidenceUpload.case_id.in_(ids))
                .group_by(EvidenceUpload.case_id)
            ).all()
        )
        for c in due:
            c.documents, c.uploads = docs.get(c.case_id, 0), ups.get(c.case_id, 0)
    result.cases = due
    purged_ids = {c.case_id for c in due}

    verified = (
        select(ClockEvent.case_id, func.max(ClockEvent.on).label("on"))
        .where(ClockEvent.kind == "identity_verified")
        .group_by(ClockEvent.case_id)
        .subquery()
    )
    for upload_id, case_id, school_id, reference, hold, verified_on in session.execute(
        select(
            EvidenceUpload.id,
            Case.id,
            Case.school_id,
            Case.reference,
            Case.legal_hold,
            verified.c.on,
        )  # fmt: skip
        .join(Case, Case.id == EvidenceUpload.case_id)
        .join(verified, verified.c.case_id == Case.id)
        .where(EvidenceUpload.kind == "identity")
        .order_by(EvidenceUpload.id)
    ):
        if case_id in purged_ids:
            continue
        if verified_on + timedelta(days=id_evidence_days(schools[school_id])) > as_of:
            continue
        if hold:
            result.held.append(f"{schools[school_id].slug} {reference} (proof of identity)")
            continue
        result.id_uploads.append(IdPurge(upload_id, case_id, school_id, reference, verified_on))
    result.questions = _questions_due(session, schools, as_of)
    return result


def _questions_due(session: Session, schools: dict[int, School], as_of: date):
    """Answered or closed questions past their school's ``question_days``."""
    if not schools:
        return []
    # The shortest period bounds the query (+1 day: London); the per-school rule decides.
    shortest = min(question_days(s) for s in schools.values())
    cutoff = datetime.combine(as_of - timedelta(days=shortest) + timedelta(days=1), time(), UTC)
    due = []
    for qid, school_id, done_at in session.execute(
        select(ParentQuestion.id, ParentQuestion.school_id, ParentQuestion.answered_at)
        .where(
            ParentQuestion.status.in_((ANSWERED, CLOSED)),
            ParentQuestion.answered_at.is_not(None),
            ParentQuestion.answered_at < cutoff,
        )
        .order_by(ParentQuestion.id)
    ):
        school = schools[school_id]
        done_on = london_date(done_at) if done_at else as_of  # the query asks for a date
        if done_on + timedelta(days=question_days(school)) > as_of:
            continue
        due.append(QuestionPurge(qid, school_id, school.slug, done_on))
    return due


def apply(session: Session, todo: PurgePlan, delete_file, actor_label: str = "Retention") -> int:
    """Carry out ``todo``: rows and register lines in one commit, then the files.
    Returns the number of files removed from storage."""
    keys: list[str] = []
    for c in todo.cases:
        case = session.get(Case, c.case_id)
        if case is None or case.legal_hold:  # gone, or put on hold since the plan
            continue
        session.add(register.entry_for_case(case, todo.as_of))
        keys += session.scalars(select(Document.storage_key).where(Document.case_id == case.id))
        keys += session.scalars(
            select(EvidenceUpload.stored_key).where(EvidenceUpload.case_id == case.id)
        )
        audit.record(
            session, "purge", "case_file_deleted", actor_label=actor_label,
            school_id=case.school_id, case_reference=case.reference,
            summary=(
                f"Retention: case file deleted ({c.documents} documents, {c.uploads} uploads); "
                "register line kept"
            ),
            data={"closed_on": c.closed_on.isoformat(), "as_of": todo.as_of.isoformat()},
        )  # fmt: skip
        session.flush()
        session.expunge(case)
        session.execute(delete(Case).where(Case.id == c.case_id))
    for u in todo.id_uploads:
        upload = session.get(EvidenceUpload, u.upload_id)
        if upload is None:
            continue
        keys.append(upload.stored_key)
        audit.record(
            session, "purge", "id_evidence_deleted", actor_label=actor_label,
            school_id=u.school_id, case_reference=u.reference,
            summary=f"Retention: proof of identity deleted (verified {u.verified_on.isoformat()})",
        )  # fmt: skip
        session.delete(upload)
    for q in todo.questions:
        audit.record(
            session, "purge", "question_deleted", actor_label=actor_label, school_id=q.school_id,
            summary=f"Retention: a parent's question deleted (dealt with {q.done_on.isoformat()})",
        )  # fmt: skip
        session.execute(delete(ParentQuestion).where(ParentQuestion.id == q.question_id))
    commit_now(session, "the rows are gone for good before their files are deleted")
    for key in keys:
        delete_file(key)
    todo.files_deleted = len(keys)
    return len(keys)


def sweep_step(session: Session, at, report, dry_run: bool) -> None:
    """The sweep's retention step (``background.tasks.SWEEP_STEPS``): purge what is due today."""
    from sar_service.storage import storage

    todo = plan(session, london_date(at))
    if dry_run or not (todo.cases or todo.id_uploads or todo.questions):
        return
    apply(session, todo, storage().delete)
