"""Staff pages for letters: create and download on a case, edit the school's wording.

A blueprint of its own under ``/staff`` (the staff blueprint is registered
before this package loads), with the same rules as the staff workspace:
sign-in required, pages never cached, the staff layout's navigation and
helpers. Tenancy through ``sar_service.staff.access``: another school's case
or settings are a 404.
"""

from __future__ import annotations

import flask
from flask import Blueprint, abort, redirect, render_template, request, url_for

from sar_service.db import session
from sar_service.models import School
from sar_service.staff import guard
from sar_service.staff.access import (
    ACTING_ROLES,
    case_or_404,
    dpo_school_or_404,
    me,
    reads_documents,
)

from . import pages
from .api import docx_response
from .kinds import KIND_NAMES, KINDS
from .render import default_template
from .service import (
    OverrideRefused,
    TemplateRefused,
    blocked_message,
    create_letter,
    letter_of,
    override_checks,
    reset_template,
    save_template,
    school_templates,
)
from .service import school_template as saved_template

bp = Blueprint("letters", __name__, url_prefix="/staff")
guard.protect(bp)  # signed-in staff only, never cached, the staff layout's helpers
MAX_TEMPLATE = 50_000


# --- on a case ---------------------------------------------------------------------


def _case_url(case, anchor: str = "letters") -> str:
    return url_for(
        "staff.case_page", school=case.school.slug, reference=case.reference, _anchor=anchor
    )


@bp.post("/cases/<school>/<reference>/letters")
def create(school: str, reference: str):
    """Generate a letter now; errors are shown beside the form on the case page."""
    case, user = case_or_404(school, reference), me()
    if user.role_in(case.school_id) not in ACTING_ROLES:
        abort(403)
    body, form_errors = pages.form_extra(request.form)
    document, errors = create_letter(
        session(),
        case,
        request.form.get("kind") or "",
        body,
        actor_label=user.name or user.email,
        actor_id=user.id,
        errors=form_errors,
    )
    if document is None:
        from sar_service.staff.views_case import render as render_case

        given = {k: request.form.get(k, "") for k in pages.FORM_FIELDS}
        fields = {f"letter-{name}": message for name, message in errors.items()}
        return render_case(case, 422, errors=fields, letter_form=given)
    session().commit()
    flask.flash(f"Letter created: {document.filename}", "success")
    return redirect(_case_url(case))


def _letter_or_abort(school: str, reference: str, document_id: int):
    """The case and its letter, for the roles that see requesters (letters name them)."""
    case = case_or_404(school, reference)
    if not reads_documents(me().role_in(case.school_id)):
        abort(403)
    document = letter_of(session(), case, document_id)
    if document is None:
        abort(404)
    return case, document


def _refuse_blocked(case, document):
    """A letter failing its legal checks is not handed out until a DPO overrides."""
    from sar_service.staff.views_case import render as render_case

    flask.flash(blocked_message(document), "error")
    return render_case(case, 409)


@bp.get("/cases/<school>/<reference>/letters/<int:document_id>")
def download(school: str, reference: str, document_id: int):
    """Letters name the requester, so only the roles that see requesters download them."""
    case, document = _letter_or_abort(school, reference, document_id)
    if document.blocked:
        return _refuse_blocked(case, document)
    return docx_response(document)


@bp.get("/cases/<school>/<reference>/letters/<int:document_id>/pdf")
def download_pdf(school: str, reference: str, document_id: int):
    """The print-ready A4 PDF (for post), for the roles that see requesters."""
    from .api import pdf_response

    case, document = _letter_or_abort(school, reference, document_id)
    if document.blocked:
        return _refuse_blocked(case, document)
    return pdf_response(document)


@bp.get("/cases/<school>/<reference>/letters/<int:document_id>/view")
def view(school: str, reference: str, document_id: int):
    """The letter as it reads (from its stored file), and its wording to edit for this case."""
    case, document = _letter_or_abort(school, reference, document_id)
    return _letter_page(case, document)


def _letter_page(case, document, errors=None, wording: str | None = None, status: int = 200):
    from .reading import letter_html
    from .sending import VIA_WORDS
    from .service import template_text

    if wording is None:
        wording = document.wording or template_text(session(), case.school_id, document.letter_kind)
    return render_template(
        "staff/letters/letter.html",
        c=case,
        d=document,
        title=KINDS[document.letter_kind].title,
        html=letter_html(document),
        wording=wording,
        errors=errors or [],
        can_edit=me().role_in(case.school_id) in ACTING_ROLES,
        via_words=VIA_WORDS,
        back=_case_url(case),
    ), status


@bp.post("/cases/<school>/<reference>/letters/<int:document_id>/wording")
def wording(school: str, reference: str, document_id: int):
    """Edit one draft's wording for this case: it is made again and checked again."""
    from .sending import MAX_WORDING, edit_wording

    case, user = case_or_404(school, reference), me()
    if user.role_in(case.school_id) not in ACTING_ROLES:
        abort(403)
    document = letter_of(session(), case, document_id)
    if document is None:
        abort(404)
    text = (request.form.get("wording") or "")[: MAX_WORDING + 1]
    errors = edit_wording(session(), case, document, text)
    if errors:
        session().rollback()
        return _letter_page(case, document, errors, text, 409 if document.sent else 422)
    session().commit()
    flask.flash("The wording for this case is saved; the letter below is made from it.", "success")
    return redirect(
        url_for("letters.view", school=school, reference=reference, document_id=document.id)
    )


@bp.post("/cases/<school>/<reference>/letters/<int:document_id>/send")
def send(school: str, reference: str, document_id: int):
    """Send a draft: by email now, or record it posted or handed over on a date."""
    from sar_service.cases.validation import parse_date

    from .sending import VIA_WORDS, SendRefused, send_letter

    case, user = case_or_404(school, reference), me()
    if user.role_in(case.school_id) not in ACTING_ROLES:
        abort(403)
    document = letter_of(session(), case, document_id)
    if document is None:
        abort(404)
    via = request.form.get("via") or ""
    given = (request.form.get("on") or "").strip()[:20]
    on = parse_date(given) if given and via != "email" else None
    try:
        if given and via != "email" and on is None:
            raise SendRefused("Enter the date like 2026-03-02.", field="on")
        send_letter(
            session(),
            case,
            document,
            via,
            on=on,
            actor_label=user.name or user.email,
            actor_id=user.id,
        )
    except SendRefused as refused:
        session().rollback()
        from sar_service.staff.views_case import render as render_case

        return render_case(case, refused.status, errors={f"send-{document_id}": refused.detail})
    session().commit()
    flask.flash(f"Letter sent {VIA_WORDS[via]}: {document.filename}", "success")
    return redirect(_case_url(case))


@bp.post("/cases/<school>/<reference>/letters/<int:document_id>/override")
def override(school: str, reference: str, document_id: int):
    """The DPO issues a letter that fails its legal checks, giving a reason (recorded)."""
    case, user = case_or_404(school, reference), me()
    if user.role_in(case.school_id) != "dpo":
        abort(403)
    document = letter_of(session(), case, document_id)
    if document is None:
        abort(404)
    try:
        override_checks(
            session(),
            case,
            document,
            request.form.get("reason") or "",
            actor_label=user.name or user.email,
            actor_id=user.id,
        )
    except OverrideRefused as refused:
        from sar_service.staff.views_case import render as render_case

        return render_case(case, 422, errors={f"override-{document.id}": str(refused)})
    session().commit()
    flask.flash(f"Checks overridden: {document.filename} can now be issued.", "success")
    return redirect(_case_url(case))


# --- the school's wording -------------------------------------------------------------


def _kinds_url(school: School) -> str:
    return url_for("letters.settings", slug=school.slug)


@bp.get("/settings/<slug>/letters")
def settings(slug: str):
    """Every kind of letter, whether the school has its own wording, and the logo."""
    school = dpo_school_or_404(slug)
    return _settings_page(school)


def _settings_page(school: School, errors: dict | None = None, status: int = 200):
    db = session()
    saved = school_templates(db, school.id)
    rows = [(KINDS[k], saved.get(k)) for k in KIND_NAMES]
    return render_template(
        "staff/letters/settings.html",
        school=school,
        rows=rows,
        has_logo=bool((school.settings or {}).get("logo_key")),
        errors=errors or {},
    ), status


@bp.route("/settings/<slug>/letters/<kind>", methods=["GET", "POST"])
def edit(slug: str, kind: str):
    """Edit one kind: preview, save (only if valid) or go back to the default wording."""
    school = dpo_school_or_404(slug)
    if kind not in KINDS:
        abort(404)
    db = session()
    saved = saved_template(db, school.id, kind)
    current = saved.text if saved else default_template(kind)
    if request.method == "GET":
        return _edit_page(school, kind, current, saved)
    action = request.form.get("do")
    if action == "reset":
        reset_template(db, school, kind)
        db.commit()
        flask.flash(f"{KINDS[kind].title}: back to the default wording.", "success")
        return redirect(url_for("letters.edit", slug=slug, kind=kind))
    text = (request.form.get("text") or "").replace("\r\n", "\n")
    if len(text) > MAX_TEMPLATE:
        error = f"Keep the wording to {MAX_TEMPLATE:,} characters or fewer."
        return _edit_page(school, kind, text[:MAX_TEMPLATE], saved, [error], 422)
    if action != "save":
        return _edit_page(school, kind, text, saved, previewing=True)
    try:
        save_template(db, school, kind, text, updated_by=me().name)
    except TemplateRefused as refused:
        db.rollback()
        return _edit_page(school, kind, text, saved, refused.errors, 422)
    db.commit()
    flask.flash(f"{KINDS[kind].title}: your wording is saved and will be used.", "success")
    return redirect(url_for("letters.edit", slug=slug, kind=kind))


def _edit_page(school, kind, text, saved, errors=None, status=200, previewing=False):
    from .render import validate_template

    if errors is None and previewing:
        errors = validate_template(kind, text)
    groups = None
    if not errors:
        try:
            groups = pages.preview(school, kind, text)
        except Exception as exc:  # noqa: BLE001 - shown to the DPO, never a 500
            errors = [f"The preview failed: {exc}"]
    return render_template(
        "staff/letters/edit.html",
        school=school,
        kind=KINDS[kind],
        text=text,
        saved=saved,
        errors=errors or [],
        preview=groups,
        previewing=previewing,
        field_help=pages.field_help(),
        back=_kinds_url(school),
    ), status


@bp.post("/settings/<slug>/letters/logo")
def logo(slug: str):
    """Upload (or remove) the logo printed at the top of every letter."""
    from sar_service.storage import storage

    school = dpo_school_or_404(slug)
    db = session()
    settings_now = dict(school.settings or {})
    old_key = settings_now.get("logo_key")
    if request.form.get("do") == "remove":
        settings_now.pop("logo_key", None)
        message = "The logo is removed from letters."
    else:
        upload = request.files.get("logo")
        data = upload.read(pages.MAX_LOGO + 1) if upload else b""
        problem = pages.check_logo(data)
        if problem:
            return _settings_page(school, {"logo": problem}, 422)
        settings_now["logo_key"] = storage().put(data).key
        message = "Logo saved. New letters will carry it."
    school.settings = settings_now  # a new dict, so the JSON column is written
    db.commit()
    if old_key and old_key != settings_now.get("logo_key"):
        storage().delete(old_key)
    flask.flash(message, "success")
    return redirect(_kinds_url(school) + "#logo")
