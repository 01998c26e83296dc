"""A DPO's settings for each of their schools: details, calendar, staff, reminders, notice."""

from __future__ import annotations

import flask
from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select

from sar_service import setup
from sar_service.auth import reset
from sar_service.auth.login import end_sessions
from sar_service.db import session
from sar_service.letters.build import art15_settings
from sar_service.models import Membership, School, User
from sar_service.models.user import ROLES
from sar_service.notices import review, store
from sar_service.staff import bp, forms
from sar_service.staff import settings_data as data
from sar_service.staff.access import dpo_school_or_404, me, my_schools

MAX_CALENDAR_BYTES = 5 * 1024 * 1024


def render_settings_page(school: School, errors=None, status: int = 200, values=None):
    db = session()
    notice = store.current_notice_row(db, school)
    return render_template(
        "staff/settings.html",
        school=school,
        errors=errors or {},
        values=values or {},
        detail_fields=data.DETAIL_FIELDS,
        calendar=list(school.calendar),
        staff=data.staff_at(db, school),
        roles=[(r, r.upper() if r in ("dpo", "dsl") else r.capitalize()) for r in ROLES],
        reminders=", ".join(str(d) for d in data.reminder_days(school)),
        art15_fields=data.ART15_SETTINGS,
        art15=art15_settings(school),
        notice=notice,
        notice_summary=store.summary(review.effective(notice)) if notice else None,
        notice_pending=review.pending(notice) if notice else [],
        me_id=me().id,
    ), status


def _done(school: School, message: str, anchor: str):
    flask.flash(message, "success")
    return redirect(url_for("staff.settings_page", slug=school.slug, _anchor=anchor))


@bp.get("/settings")
def settings_index():
    schools = my_schools(me(), {"dpo"})
    if not schools:
        abort(403)
    if len(schools) == 1:
        return redirect(url_for("staff.settings_page", slug=schools[0].slug))
    return render_template("staff/settings_index.html", schools=schools)


@bp.get("/settings/<slug>")
def settings_page(slug: str):
    return render_settings_page(dpo_school_or_404(slug))


@bp.post("/settings/<slug>/details")
def settings_details(slug: str):
    school = dpo_school_or_404(slug)
    values, errors = data.check_details(request.form)
    if errors:
        return render_settings_page(school, errors, 422, values)
    for key, value in values.items():
        setattr(school, key, value)
    session().commit()
    return _done(school, "School details saved.", "details")


@bp.post("/settings/<slug>/calendar")
def settings_calendar(slug: str):
    school = dpo_school_or_404(slug)
    upload = request.files.get("calendar")
    raw = upload.read(MAX_CALENDAR_BYTES + 1) if upload else b""
    error = None
    if not raw:
        error = "Choose a CSV file of term dates (start,end,label)."
    elif len(raw) > MAX_CALENDAR_BYTES:
        error = "The file is too big for a term calendar."
    else:
        try:
            terms, closures = setup.load_calendar(session(), school.slug, raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            error = "Save the calendar as a CSV file (UTF-8 text), then upload it again."
        except ValueError as exc:
            error = f"The calendar was not changed: {exc}."
    if error:
        session().rollback()
        return render_settings_page(school, {"calendar": error}, 422)
    session().commit()
    return _done(school, f"Calendar loaded: {terms} terms and {closures} closure days.", "calendar")


@bp.post("/settings/<slug>/staff")
def settings_add_staff(slug: str):
    school = dpo_school_or_404(slug)
    email = (request.form.get("staff-email") or "").strip().lower()[:254]
    name = (request.form.get("staff-name") or "").strip()[:200]
    role = request.form.get("staff-role") or ""
    errors = {}
    if not data.EMAIL_RE.match(email):
        errors["staff-email"] = "Enter their work email address."
    if not name:
        errors["staff-name"] = "Enter their name."
    if role not in ROLES:
        errors["staff-role"] = "Choose a role."
    if errors:
        values = {"staff-email": email, "staff-name": name, "staff-role": role}
        return render_settings_page(school, errors, 422, values)
    db = session()
    existed = db.scalar(select(User).where(User.email == email))
    user, _generated = setup.create_user(db, email, name, role, school.slug)
    user.is_active = True
    if existed is None or not existed.password_hash:
        reset.send_link(user, f"You have been given access to {school.name}'s data requests.")
    db.commit()
    return _done(school, f"{user.name} can now sign in as {role} at {school.name}.", "staff")


@bp.post("/settings/<slug>/staff/<int:user_id>")
def settings_change_staff(slug: str, user_id: int):
    """Change someone's role here, or remove their access to this school."""
    school, db = dpo_school_or_404(slug), session()
    membership = db.scalar(
        select(Membership).where(Membership.school_id == school.id, Membership.user_id == user_id)
    )
    if membership is None:
        abort(404)
    user, change = membership.user, request.form.get("do")
    role = request.form.get("role") if change == "role" else None
    if change not in {"role", "remove"} or (change == "role" and role not in ROLES):
        errors = {f"staff-{user_id}": "Choose a role, or remove access."}
        return render_settings_page(school, errors, 422)
    losing_dpo = membership.role == "dpo" and (change == "remove" or role != "dpo")
    if losing_dpo and data.dpo_count(db, school) <= 1:
        msg = "A school needs at least one DPO. Add another DPO first."
        return render_settings_page(school, {f"staff-{user_id}": msg}, 422)
    if change == "role" and role is not None:
        membership.role = role
        message = f"{user.name} is now {role} at {school.name}."
    else:
        db.delete(membership)
        db.flush()
        db.refresh(user)
        if not user.memberships:
            user.is_active = False
        end_sessions(user)  # now, not when their session happens to expire
        message = f"{user.name} no longer has access to {school.name}."
    db.commit()
    return _done(school, message, "staff")


@bp.post("/settings/<slug>/reminders")
def settings_reminders(slug: str):
    school = dpo_school_or_404(slug)
    raw = (request.form.get("reminders") or "")[:100]
    days, error = forms.parse_day_list(raw)
    if error or days is None:
        return render_settings_page(school, {"reminders": error or ""}, 422, {"reminders": raw})
    data.set_reminder_days(school, days)
    session().commit()
    return _done(school, "Reminder timing saved.", "reminders")


@bp.post("/settings/<slug>/art15")
def settings_art15(slug: str):
    school = dpo_school_or_404(slug)
    values, errors = data.check_art15(request.form)
    if errors:
        return render_settings_page(school, errors, 422, values)
    data.set_art15(school, values)
    session().commit()
    return _done(school, "Access response facts saved.", "art15")


@bp.post("/settings/<slug>/notice")
def settings_notice(slug: str):
    """Import a new version (an uploaded file or pasted text), then review it."""
    school = dpo_school_or_404(slug)
    upload = request.files.get("notice")
    raw = upload.read(store.MAX_NOTICE_BYTES + 1) if upload else b""
    pasted = (request.form.get("notice_text") or "")[: store.MAX_NOTICE_BYTES]
    if not raw and not pasted.strip():
        message = "Choose the privacy notice file (.pdf, .docx, .html, .txt or .md), or paste it."
        return render_settings_page(school, {"notice": message}, 422)
    try:
        if raw and upload is not None:
            store.import_notice(session(), school, raw, upload.filename or "notice", me().name)
        else:
            store.import_pasted(session(), school, pasted, me().name)
    except ValueError as exc:  # NoticeFormatError is a ValueError
        session().rollback()
        return render_settings_page(school, {"notice": str(exc)}, 422)
    session().commit()
    flask.flash("Privacy notice imported. Check what was read from it.", "success")
    return redirect(url_for("staff.notice_review", slug=school.slug))
