"""The case page, and the forms on it: state-machine actions and internal notes."""

from __future__ import annotations

import flask
from flask import abort, redirect, render_template, request, url_for

from sar_service.cases import machine, messages
from sar_service.cases.validation import parse_date
from sar_service.clock import today
from sar_service.db import session
from sar_service.letters import sending as letter_sending
from sar_service.letters import steps as letter_steps
from sar_service.letters.kinds import KINDS
from sar_service.models import Case
from sar_service.models.message import PURPOSES
from sar_service.models.note import CaseNote
from sar_service.models.portal import EVIDENCE_KINDS, EvidenceUpload
from sar_service.notify import problems
from sar_service.staff import bp
from sar_service.staff import case_page as page_data
from sar_service.staff.access import ACTING_ROLES, case_or_404, me, reads_documents
from sar_service.staff.helpers import long_date
from sar_service.storage import storage
from sar_service.web.downloads import attachment
from workflows.states import BY_ACTION

MAX_TEXT = 5000


def _url(case: Case, anchor: str | None = None) -> str:
    return url_for(
        "staff.case_page", school=case.school.slug, reference=case.reference, _anchor=anchor
    )


def render(case: Case, status: int = 200, **extra):
    page = page_data.build(session(), me(), case, today())
    if page.sees_requester:
        extra.setdefault("emails", problems.lines(session(), case))
    given = extra.pop("given", None)
    step_letters = {
        t.action: (kind, letter_steps.default_wording(session(), case, kind), "")
        for t in page.actions
        if (kind := letter_steps.LETTER_FOR_ACTION.get(t.action))
    }
    if any(t.action == letter_steps.RESPOND for t in page.actions):
        step_letters[letter_steps.RESPOND] = _response_form(case)
    forms = {t.action: page_data.form_defaults(t, page.today, given) for t in page.actions}
    return render_template(
        "staff/case.html",
        page=page,
        c=case,
        forms=forms,
        open_action=(given or {}).get("action"),
        errors=extra.pop("errors", {}),
        date_labels=page_data.DATE_LABELS,
        reason_labels=page_data.REASON_LABELS,
        flag_labels=page_data.FLAG_LABELS,
        input_labels=page_data.INPUT_LABELS,
        input_choices=page_data.INPUT_CHOICES,
        event_label=page_data.event_label,
        upload_kinds=EVIDENCE_KINDS,
        purposes=PURPOSES,
        step_letters=step_letters,
        letter_given=_letter_given() if given else {},
        **extra,
    ), status


@bp.get("/cases/<school>/<reference>")
def case_page(school: str, reference: str):
    return render(case_or_404(school, reference))


@bp.get("/cases/<school>/<reference>/evidence/<int:upload_id>")
def evidence_download(school: str, reference: str, upload_id: int):
    """A file the requester uploaded (ID, other information), for the roles shown requesters."""
    case = case_or_404(school, reference)
    if not reads_documents(me().role_in(case.school_id)):
        abort(403)
    row = session().get(EvidenceUpload, upload_id)
    if row is None or row.case_id != case.id:
        abort(404)
    data = storage().get(row.stored_key)
    return attachment(data, row.original_name, row.content_type, len(data))


def _given() -> dict:
    form = request.form
    return {
        "action": (form.get("action") or "")[:40],
        "on": (form.get("on") or "").strip()[:20],
        "reason": (form.get("reason") or "")[: MAX_TEXT + 1],
        "assignee": (form.get("assignee") or "").strip()[:254],
        **{name: (form.get(name) or "").strip()[:500] for name in page_data.INPUT_LABELS},
        **{flag: form.get(flag) == "yes" for flag in page_data.FLAG_LABELS},
    }


def _response_form(case: Case) -> tuple[str, str, str]:
    """("response", the wording to edit (one letter only) or "", a note for staff)."""
    try:
        pending = letter_steps.response_letters(session(), case)
    except letter_sending.SendRefused as refused:
        return "response", "", refused.detail
    if not pending:
        return "response", "", "The response letters were already sent."
    titles = ", ".join(KINDS[kind].title for kind, _ in pending)
    note = f"Sent with the sign-off: {titles}."
    if len(pending) != 1:
        return "response", "", note + " Each is sent as it stands."
    kind, draft = pending[0]
    wording = (draft.wording if draft is not None else "") or letter_steps.default_wording(
        session(), case, kind
    )
    return "response", wording, note


def _letter_given() -> dict:
    """The letter part of an action form, as typed (kept on the page after an error)."""
    form = request.form
    return {
        "via": (form.get("letter_via") or "")[:10],
        "on": (form.get("letter_on") or "").strip()[:20],
        "wording": (form.get("letter_wording") or "")[: letter_sending.MAX_WORDING + 1],
        "override": (form.get("letter_override") or "")[:2001],
    }


def _step_letter(action: str, on) -> tuple[str | None, letter_steps.StepLetter | None, str]:
    """(letter kind, what staff chose, an input error) for an action that sends a letter."""
    kind = letter_steps.letter_kind(action, on)
    if action == letter_steps.RESPOND:
        kind = letter_steps.RESPOND
    if kind is None or "letter_via" not in request.form:
        return None, None, ""  # API-like posts keep making a draft through the effect job
    given = _letter_given()
    posted = parse_date(given["on"]) if given["on"] else None
    if given["on"] and posted is None:
        return kind, None, "Enter the date posted like 2026-03-02."
    step = letter_steps.StepLetter(
        via=given["via"],
        on=None if given["via"] == "email" else posted,
        wording=given["wording"],
        override=given["override"],
    )
    return kind, step, ""


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.post("/cases/<school>/<reference>/actions")
def case_action(school: str, reference: str):
    """One transition through the state machine, refusing to overwrite someone else's change."""
    case, user = case_or_404(school, reference), me()
    role = user.role_in(case.school_id)
    if role not in ACTING_ROLES:
        abort(403)
    given = _given()
    prefix = given["action"]
    if given["action"] not in BY_ACTION:
        return render(case, 422, errors={"actions": "Choose one of the actions on this page."})
    on = parse_date(given["on"]) if given["on"] else None
    if given["on"] and on is None:
        return render(
            case, 422, given=given, errors={f"{prefix}-on": "Enter a date like 2026-03-02."}
        )
    if len(given["reason"]) > MAX_TEXT:
        msg = f"Keep the reason to {MAX_TEXT} characters or fewer."
        return render(case, 422, given=given, errors={f"{prefix}-reason": msg})
    version, seen = _int(request.form.get("version")), _int(request.form.get("seen_event")) or 0
    if version is None:
        abort(400)
    data = {k: given[k] for k in ("assignee", *page_data.FLAG_LABELS, *page_data.INPUT_LABELS)}
    req = machine.Request(given["action"], on, given["reason"], data, expected_version=version)
    kind, step, letter_error = _step_letter(given["action"], on)
    if letter_error:
        return render(case, 422, given=given, errors={f"{prefix}-letter_on": letter_error})
    db = session()
    due_before = case.next_due_date
    label = user.name or user.email
    try:
        if kind == letter_steps.RESPOND and step:  # sent first: "respond" may require them
            if request.form.get("do") == "preview":
                html, missing = letter_steps.response_preview(db, case, step)
                db.rollback()
                preview = {"action": prefix, "html": html, "missing": missing}
                return render(case, 200, given=given, letter_preview=preview)
            letter_steps.send_response(
                db, case, step, actor_label=label, actor_id=user.id, role=role
            )
        event = machine.apply(db, case, req, machine.Actor.staff(user, case))
        if kind and kind != letter_steps.RESPOND and step and request.form.get("do") == "preview":
            html, missing = letter_steps.preview(db, case, kind, event, step.wording)
            db.rollback()  # a preview changes nothing: the step is applied only on confirm
            preview = {"action": prefix, "html": html, "missing": missing}
            return render(case, 200, given=given, letter_preview=preview)
        if kind and kind != letter_steps.RESPOND and step:
            letter_steps.write_and_send(
                db, case, kind, event, step, actor_label=label, actor_id=user.id, role=role
            )
        db.commit()
    except letter_sending.SendRefused as exc:
        db.rollback()
        key = f"{prefix}-letter_{exc.field}"
        return render(case, exc.status, given=given, errors={key: exc.detail})
    except machine.Conflict as exc:
        db.rollback()
        changes = page_data.newer_events(db, case, seen)
        return render(case, 409, given=given, conflict={"detail": exc.detail, "events": changes})
    except machine.TransitionError as exc:
        db.rollback()
        key = f"{prefix}-{exc.field}" if exc.field else f"{prefix}-action"
        return render(case, exc.status, given=given, errors={key: exc.detail})
    message = f"Done: {BY_ACTION[given['action']].label}."
    if kind and step:
        message += f" The letter was sent {letter_sending.VIA_WORDS[step.via]}."
    if case.next_due_date != due_before and case.next_due_date:
        message += f" The case is now due {long_date(case.next_due_date)}."
    flask.flash(message, "success")
    return redirect(_url(case, "timeline"))


@bp.post("/cases/<school>/<reference>/notes")
def add_note(school: str, reference: str):
    """An internal note: staff only, never shown to the requester."""
    case, user = case_or_404(school, reference), me()
    if user.role_in(case.school_id) not in ACTING_ROLES:
        abort(403)
    body = (request.form.get("body") or "").strip()
    if not body or len(body) > MAX_TEXT:
        msg = "Write the note." if not body else f"Keep notes to {MAX_TEXT} characters or fewer."
        return render(case, 422, errors={"note-body": msg}, note_body=body[:MAX_TEXT])
    db = session()
    db.add(CaseNote(case_id=case.id, author_id=user.id, author_label=user.name, body=body))
    db.commit()
    flask.flash("Note added.", "success")
    return redirect(_url(case, "notes"))


@bp.post("/cases/<school>/<reference>/messages")
def send_message(school: str, reference: str):
    """A reply to the requester: kept on the case; they are emailed a link, not the words."""
    case, user = case_or_404(school, reference), me()
    if user.role_in(case.school_id) not in ACTING_ROLES:
        abort(403)
    body = request.form.get("body") or ""
    db = session()
    try:
        messages.staff_reply(db, case, user, body)
    except messages.MessageRefused as exc:
        db.rollback()
        return render(case, 422, errors={"message-body": exc.detail}, message_body=body[:MAX_TEXT])
    db.commit()
    sent = (
        "They are emailed a link to read it."
        if case.requester_email
        else ("They gave no email address: tell them another way that it is on their status page.")
    )
    flask.flash(f"Message kept on the case. {sent}", "success")
    return redirect(_url(case, "messages"))


@bp.post("/cases/<school>/<reference>/clarification-date")
def correct_clarification_date(school: str, reference: str):
    """Correct the day the answer to our question arrived, with a reason; the clocks follow."""
    case, user = case_or_404(school, reference), me()
    if user.role_in(case.school_id) not in ACTING_ROLES:
        abort(403)
    raw = (request.form.get("on") or "").strip()[:20]
    on = parse_date(raw)
    if on is None:
        return render(case, 422, errors={"correct-on": "Enter a date like 2026-03-02."})
    reason = (request.form.get("reason") or "")[: MAX_TEXT + 1]
    db = session()
    try:
        messages.correct_clarification_date(db, case, machine.Actor.staff(user, case), on, reason)
    except messages.MessageRefused as exc:
        db.rollback()
        return render(case, 422, errors={f"correct-{exc.field}": exc.detail})
    db.commit()
    due = f" The case is now due {long_date(case.next_due_date)}." if case.next_due_date else ""
    flask.flash(f"Date the answer arrived corrected.{due}", "success")
    return redirect(_url(case, "timeline"))
