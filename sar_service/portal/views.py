"""The parent's status page behind a signed link: progress, uploads, questions, the reply."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from sar_service import ratelimit, uploads
from sar_service.cases import machine
from sar_service.db import session
from sar_service.i18n.dates import parent_date
from sar_service.i18n.text import N_
from sar_service.i18n.text import gettext as _
from sar_service.models import Case, CaseEvent, EvidenceUpload
from sar_service.models.portal import EVIDENCE_KINDS
from sar_service.portal import bp
from sar_service.portal.dates import reply_dates
from sar_service.portal.documents import released_documents
from sar_service.portal.links import case_from_token
from sar_service.web.downloads import attachment
from workflows.states import FINISHED, PARENT_LABELS, REQUESTER, Status

PORTAL_ACTOR = machine.Actor(label="Requester (portal)", role=REQUESTER)
MAX_ANSWER = 5000
UPLOAD_KINDS = EVIDENCE_KINDS


def _case_or_invalid(token: str) -> Case | None:
    case = case_from_token(session(), token)
    if case is not None:
        g.school, g.language = case.school, case.language  # the portal speaks the case's language
    return case


def _invalid():
    return render_template("portal/link_invalid.html", school=None), 404


@bp.get("/<token>")
def status(token: str):
    case = _case_or_invalid(token)
    if case is None:
        return _invalid()
    return render_template("portal/status.html", **_context(case, token, {}))


def _context(case: Case, token: str, errors: dict, answer: str = "") -> dict:
    status_ = Status(case.status)
    evidence = _evidence(case)
    return {
        "school": case.school,
        "case": case,
        "token": token,
        "state": PARENT_LABELS[status_],
        "received": parent_date(case.received_on),
        **reply_dates(case),
        "needs_identity": status_ in (Status.RECEIVED, Status.AWAITING_IDENTITY)
        and not any(u.kind == "identity" for u in evidence),
        "awaiting_identity": status_ == Status.AWAITING_IDENTITY,
        "question": _open_question(case) if status_ == Status.AWAITING_CLARIFICATION else None,
        "uploads": evidence,
        "documents": released_documents(case),
        "errors": errors,
        "answer": answer,
        "finished": status_ in FINISHED,
        "upload_kinds": UPLOAD_KINDS,
    }


def _evidence(case: Case) -> list[EvidenceUpload]:
    return list(
        session().scalars(
            select(EvidenceUpload)
            .where(EvidenceUpload.case_id == case.id)
            .order_by(EvidenceUpload.id)
        )
    )


def _open_question(case: Case) -> str:
    asked = [e for e in case.events if e.action == "request_clarification"]
    return asked[-1].reason if asked else N_("Please tell us more about what you want.")


@bp.post("/<token>/upload")
def upload(token: str):
    case = _case_or_invalid(token)
    if case is None:
        return _invalid()
    kind = request.form.get("kind") or ""
    if kind not in UPLOAD_KINDS:
        kind = "evidence"
    file = request.files.get("file")
    errors = {}
    if Status(case.status) in FINISHED:
        errors["file"] = _(
            "This request is finished, so we cannot take files for it. "
            "To ask for something new, make a new request."
        )
    elif file is None or not file.filename:
        errors["file"] = _("Choose a file to upload.")
    else:
        try:
            stored = uploads.receive(file, ratelimit.client_ip(request))
        except uploads.UploadError as exc:
            errors["file"] = str(exc)
    if errors:
        return render_template("portal/status.html", **_context(case, token, errors)), 400
    _record_upload(case, kind, stored)
    flash(_("Thank you. We have received %(name)s.", name=stored.original_name), "success")
    return redirect(url_for("portal.status", token=token))


def _record_upload(case: Case, kind: str, stored: uploads.StoredFile) -> None:
    s = session()
    row = EvidenceUpload.from_stored(case.id, kind, stored, source="portal")
    s.add(row)
    s.flush()
    case.events.append(
        CaseEvent(
            actor_label=PORTAL_ACTOR.label,
            action="evidence_uploaded",
            reason=f"{UPLOAD_KINDS[kind]} uploaded through the parent portal",
            data={
                "evidence_id": row.id,
                "kind": kind,
                "sha256": stored.sha256,
                "file_name": stored.original_name,
            },
        )
    )
    s.commit()


@bp.post("/<token>/clarification")
def clarification(token: str):
    """The parent answers our question; this ends the clock pause (Art 12A)."""
    case = _case_or_invalid(token)
    if case is None:
        return _invalid()
    answer = (request.form.get("answer") or "").strip()
    errors = {}
    if case.status != Status.AWAITING_CLARIFICATION:
        errors["answer"] = _("We are not waiting for an answer from you at the moment.")
    elif not answer:
        errors["answer"] = _("Enter your answer.")
    elif len(answer) > MAX_ANSWER:
        errors["answer"] = _("Your answer must be %(limit)s characters or fewer.", limit=MAX_ANSWER)
    else:
        try:
            machine.apply(
                session(),
                case,
                machine.Request(
                    "clarification_received",
                    reason="Answer received through the parent portal",
                    data={"answer": answer},  # personal data: a field shown by role
                ),
                PORTAL_ACTOR,
            )
            session().commit()
        except machine.TransitionError as exc:
            session().rollback()
            errors["answer"] = exc.detail
    if errors:
        context = _context(case, token, errors, answer)
        return render_template("portal/status.html", **context), 400
    flash(_("Thank you. We have your answer and the time limit is running again."), "success")
    return redirect(url_for("portal.status", token=token))


@bp.get("/<token>/documents/<doc_id>")
def document(token: str, doc_id: str):
    case = _case_or_invalid(token)
    if case is None:
        return _invalid()
    doc = next((d for d in released_documents(case) if d.id == doc_id), None)
    if doc is None:
        abort(404)
    return attachment(doc.load(), doc.filename, doc.content_type)
