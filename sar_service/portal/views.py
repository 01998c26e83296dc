"""The parent's status page behind a signed link: what we asked, what we wait for, why the
date moved, what we sent, the messages both ways, uploads, and the reply."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from sar_service import ratelimit, uploads
from sar_service.cases import messages
from sar_service.clock import london_date, now
from sar_service.db import session
from sar_service.i18n.dates import parent_date
from sar_service.i18n.text import gettext as _
from sar_service.letters.reading import letter_html
from sar_service.models import Case, CaseEvent, Document, EvidenceUpload
from sar_service.models.portal import EVIDENCE_KINDS
from sar_service.portal import bp, record
from sar_service.portal.dates import reply_dates
from sar_service.portal.documents import released_documents
from sar_service.portal.links import case_from_token
from sar_service.web.downloads import attachment
from workflows.states import ACTIVE, FINISHED, PARENT_LABELS, Status

PORTAL_ACTOR = messages.PORTAL_ACTOR
MAX_ANSWER = messages.MAX_BODY
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


def _context(case: Case, token: str, errors: dict, answer: str = "", message: str = "") -> dict:
    status_ = Status(case.status)
    evidence = _evidence(case)
    asks = record.asks(case)
    open_question = next((a for a in asks if a.kind == "question" and a.open), None)
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
        "question": open_question.text if open_question else None,
        "question_asked_on": open_question.asked_on if open_question else None,
        "asks": asks,
        "due_story": record.due_story(case),
        "letters": record.letters_sent(case),
        "letter_title": record.letter_title,
        "replied_on": record.replied_on(case),
        "thread": messages.thread(session(), case),
        "written_on": lambda m: parent_date(london_date(m.created_at)),
        "uploads": evidence,
        "upload_names": {u.id: u.original_name for u in evidence},
        "documents": released_documents(case),
        "errors": errors,
        "answer": answer,
        "message": message,
        "finished": status_ in FINISHED,
        "active": status_ in ACTIVE,
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


def _finished_error() -> str:
    return _(
        "This request is finished, so we cannot take messages or files for it. "
        "To ask for something new, make a new request."
    )


def _too_many() -> str:
    return _("You have sent a lot of messages. Please try again in an hour.")


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
    """The file, its timeline event, and a "documents" message carrying it in the thread."""
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
    messages.from_parent(s, case, "documents", "", upload_ids=[row.id])
    s.commit()


def _parent_message(token: str, purpose: str, field: str):
    """Take one message from the parent (answer, question or withdrawal): checks, then the
    record; 400 with a clear message for anything refused, never a 500."""
    case = _case_or_invalid(token)
    if case is None:
        return None, _invalid()
    text = (request.form.get(field) or "").strip()
    errors: dict[str, str] = {}
    if not messages.accepts_parent_messages(case):
        errors[field] = _finished_error()
    elif purpose == "clarification_answer" and case.status != Status.AWAITING_CLARIFICATION:
        errors[field] = _("We are not waiting for an answer from you at the moment.")
    elif not text and purpose != "withdrawal":
        errors[field] = (
            _("Enter your answer.")
            if purpose == "clarification_answer"
            else _("Enter your message.")
        )
    elif len(text) > MAX_ANSWER:
        errors[field] = _("Your answer must be %(limit)s characters or fewer.", limit=MAX_ANSWER)
    elif not ratelimit.hit(ratelimit.MESSAGES, ratelimit.client_ip(request)).allowed:
        errors[field] = _too_many()
    else:
        try:
            messages.from_parent(session(), case, purpose, text)
            session().commit()
            return case, None
        except messages.MessageRefused:
            session().rollback()
            session().refresh(case)
            errors[field] = _("We could not take this now. Reload the page and try again.")
    keep = {"answer": text} if field == "answer" else {"message": text}
    if purpose == "withdrawal":
        return case, (
            render_template("portal/withdraw.html", **_withdraw_context(case, token, errors)),
            400,
        )
    return case, (
        render_template("portal/status.html", **_context(case, token, errors, **keep)),
        400,
    )


@bp.post("/<token>/clarification")
def clarification(token: str):
    """The parent answers our question: a message on the case, and the pause ends today."""
    case, refused = _parent_message(token, "clarification_answer", "answer")
    if refused is not None:
        return refused
    flash(_("Thank you. We have your answer and the time limit is running again."), "success")
    return redirect(url_for("portal.status", token=token))


@bp.post("/<token>/messages")
def message(token: str):
    """A question or anything else the parent wants to tell us."""
    case, refused = _parent_message(token, "question", "message")
    if refused is not None:
        return refused
    flash(_("Thank you. We have your message and will reply here."), "success")
    return redirect(url_for("portal.status", token=token, _anchor="messages"))


def _withdraw_context(case: Case, token: str, errors: dict) -> dict:
    return {"school": case.school, "case": case, "token": token, "errors": errors}


@bp.get("/<token>/withdraw")
def withdraw_confirm(token: str):
    """Withdrawing cannot be undone: the parent confirms on a page of its own first."""
    case = _case_or_invalid(token)
    if case is None:
        return _invalid()
    errors = {} if messages.accepts_parent_messages(case) else {"reason": _finished_error()}
    return render_template("portal/withdraw.html", **_withdraw_context(case, token, errors))


@bp.post("/<token>/withdraw")
def withdraw(token: str):
    case = _case_or_invalid(token)
    if case is None:
        return _invalid()
    if request.form.get("confirm") != "yes" and messages.accepts_parent_messages(case):
        errors = {"confirm": _("Tick the box to confirm that you want to withdraw your request.")}
        return render_template(
            "portal/withdraw.html", **_withdraw_context(case, token, errors)
        ), 400
    case, refused = _parent_message(token, "withdrawal", "reason")
    if refused is not None:
        return refused
    flash(_("You have withdrawn your request. We will not work on it any more."), "success")
    return redirect(url_for("portal.status", token=token))


@bp.get("/<token>/letters/<int:doc_id>")
def letter(token: str, doc_id: int):
    """A letter we sent, as a page; its first opening is recorded."""
    case = _case_or_invalid(token)
    if case is None:
        return _invalid()
    doc = session().get(Document, doc_id)
    if doc is None or doc.case_id != case.id or doc.kind != "letter" or not doc.sent_via:
        abort(404)
    body = letter_html(doc)
    if doc.first_opened_at is None:
        doc.first_opened_at = now()
        session().commit()
    return render_template(
        "portal/letter.html",
        school=case.school,
        case=case,
        token=token,
        title=record.letter_title(doc),
        sent_on=parent_date(doc.sent_on),
        body=body,
    )


@bp.get("/<token>/documents/<doc_id>")
def document(token: str, doc_id: str):
    case = _case_or_invalid(token)
    if case is None:
        return _invalid()
    doc = next((d for d in released_documents(case) if d.id == doc_id), None)
    if doc is None:
        abort(404)
    return attachment(doc.load(), doc.filename, doc.content_type)
