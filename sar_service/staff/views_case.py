"""The case page, and the forms on it: state-machine actions and internal notes."""

from __future__ import annotations

import flask
from flask import abort, redirect, render_template, request, url_for

from sar_service.cases import machine
from sar_service.cases.validation import parse_date
from sar_service.clock import today
from sar_service.db import session
from sar_service.models import Case
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
    db = session()
    due_before = case.next_due_date
    try:
        machine.apply(db, case, req, machine.Actor.staff(user, case))
        db.commit()
    except machine.Conflict as exc:
        db.rollback()
        changes = page_data.newer_events(db, case, seen)
        return render(case, 409, given=given, conflict={"detail": exc.detail, "events": changes})
    except machine.TransitionError as exc:
        db.rollback()
        key = f"{prefix}-{exc.field}" if exc.field else f"{prefix}-action"
        return render(case, exc.status, given=given, errors={key: exc.detail})
    message = f"Done: {BY_ACTION[given['action']].label}."
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
