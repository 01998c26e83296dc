"""The end of the conversation: the same validation and case creation as the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from sar_service import uploads
from sar_service.cases import look
from sar_service.cases.machine import Actor
from sar_service.cases.service import create_case
from sar_service.cases.validation import validate_request
from sar_service.clock import now
from sar_service.i18n import selection
from sar_service.intake import drafts, flow
from sar_service.models import Case, Draft, EvidenceUpload, School

ACTOR_LABEL = look.PUBLIC_ACTOR


@dataclass
class Submitted:
    case: Case | None = None
    errors: dict[str, str] = field(default_factory=dict)


def submit(s: Session, school: School, draft: Draft, today: date) -> Submitted:
    """Create the case from a draft, attach any ID upload, and mark the draft done."""
    answers = draft.answers or {}
    checked = validate_request(flow.payload(answers), school_kind=school.kind, today=today)
    if not checked.ok:
        return Submitted(errors=checked.errors)
    if not _claim(s, draft):  # sent already (a double click): show the case it made
        s.refresh(draft)
        return Submitted(case=s.get(Case, draft.case_id))
    data = checked.data
    data["language"] = selection.current().code
    data["details"]["identity"] = _identity(answers)
    questions = [q for q in answers.get("questions", []) if isinstance(q, str)]
    if questions:
        data["details"]["questions"] = questions[: drafts.MAX_QUESTIONS]
    case = create_case(s, school, data, Actor.system(ACTOR_LABEL))
    upload = answers.get("identity.upload")
    if data["details"]["identity"]["method"] == "upload" and isinstance(upload, dict):
        evidence = EvidenceUpload.from_stored(
            case.id, "identity", uploads.StoredFile(**upload), source="form"
        )
        s.add(evidence)
        s.flush()
        case.details = {
            **case.details,
            "identity": data["details"]["identity"] | {"evidence_id": evidence.id},
        }
    draft.case_id = case.id
    s.flush()
    return Submitted(case=case)


def _claim(s: Session, draft: Draft) -> bool:
    """Take the draft for this submission, or learn that another request has it.

    The ``UPDATE`` waits for any other submission of the same draft to commit (a row lock on
    PostgreSQL, the write lock on SQLite), then finds ``case_id`` set and changes nothing, so
    two posts of one draft make one case.
    """
    claimed = s.execute(  # an UPDATE: a cursor result, which has a row count
        update(Draft)
        .where(Draft.id == draft.id, Draft.case_id.is_(None))
        .values(updated_at=now())
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, claimed).rowcount == 1


def _identity(answers: dict) -> dict:
    method = answers.get("identity.method")
    if method == "upload" and isinstance(answers.get("identity.upload"), dict):
        return {"method": "upload", "file": answers["identity.upload"].get("original_name", "")}
    return {"method": "in_person"}
