"""A DPO's settings for records: the data inventory (owners) and MIS CSV imports."""

from __future__ import annotations

import flask
from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import func, select

from sar_service.db import session
from sar_service.models import School, User
from sar_service.models.inventory import SYSTEM_KINDS, DataSource
from sar_service.models.roll import MisRecord, RollPerson
from sar_service.records import bp, inventory, mis, review
from sar_service.staff.access import active_staff, dpo_school_or_404

_UPPER = ("mis", "sen", "cctv")
SYSTEM_LABELS = {k: k.upper() if k in _UPPER else k.capitalize() for k in SYSTEM_KINDS}


def _render_inventory(school: School, status: int = 200, errors=None, values=None):
    db = session()
    return render_template(
        "records/inventory.html",
        school=school,
        sources=inventory.sources(db, school),
        staff=active_staff(school.id),
        kinds=SYSTEM_LABELS,
        has_notice=bool(inventory.notice_categories(db, school)),
        review_settings=review.settings_for(db, school.id),
        errors=errors or {},
        values=values or {},
    ), status


@bp.get("/settings/<school>/inventory")
def inventory_page(school: str):
    return _render_inventory(dpo_school_or_404(school))


@bp.post("/settings/<school>/inventory/seed")
def inventory_seed(school: str):
    row = dpo_school_or_404(school)
    added = inventory.seed_inventory(session(), row)
    session().commit()
    flask.flash(f"{len(added)} sources added from the privacy notice.", "success")
    return redirect(url_for("records.inventory_page", school=row.slug))


def _owner(school: School, value: str | None) -> tuple[int | None, bool]:
    """(owner id, ok): blank is no owner; anyone else must be staff at this school."""
    if not value:
        return None, True
    user = session().get(User, int(value)) if value.isdigit() else None
    return (user.id, True) if user and user.role_in(school.id) else (None, False)


def _categories(text: str) -> list[str]:
    return [c.strip() for c in (text or "").replace("\n", ";").split(";") if c.strip()][:50]


@bp.post("/settings/<school>/inventory")
def inventory_add(school: str):
    row = dpo_school_or_404(school)
    form = request.form
    name, kind = (form.get("name") or "").strip()[:120], form.get("system_kind") or "other"
    owner_id, ok = _owner(row, form.get("owner"))
    errors = {}
    if not name:
        errors["source-name"] = "Enter the name of the system or place."
    elif any(s.name.lower() == name.lower() for s in inventory.sources(session(), row)):
        errors["source-name"] = f"There is already a source called {name}."
    if kind not in SYSTEM_KINDS:
        errors["source-kind"] = "Choose a kind of system."
    if not ok:
        errors["source-owner"] = "Choose an owner from the list."
    if errors:
        return _render_inventory(row, 422, errors, form)
    session().add(
        DataSource(
            school_id=row.id,
            name=name,
            system_kind=kind,
            owner_id=owner_id,
            categories=_categories(form.get("categories") or ""),
        )  # fmt: skip
    )
    session().commit()
    flask.flash(f"Source added: {name}.", "success")
    return redirect(url_for("records.inventory_page", school=row.slug))


@bp.post("/settings/<school>/inventory/<int:source_id>")
def inventory_update(school: str, source_id: int):
    row = dpo_school_or_404(school)
    source = session().get(DataSource, source_id)
    if source is None or source.school_id != row.id:
        abort(404)
    owner_id, ok = _owner(row, request.form.get("owner"))
    if not ok:
        return _render_inventory(row, 422, {f"owner-{source.id}": "Choose an owner from the list."})
    source.owner_id = owner_id
    source.active = request.form.get("active") == "yes"
    source.categories = _categories(request.form.get("categories") or "")
    session().commit()
    flask.flash(f"Saved: {source.name}.", "success")
    anchor = f"source-{source.id}"
    return redirect(url_for("records.inventory_page", school=row.slug, _anchor=anchor))


def _counts(school: School) -> dict[str, int]:
    db = session()
    roll = db.execute(select(func.count()).where(RollPerson.school_id == school.id)).scalar_one()
    counts = {"roll": roll}
    for dataset, n in db.execute(
        select(MisRecord.dataset, func.count())
        .where(MisRecord.school_id == school.id)
        .group_by(MisRecord.dataset)
    ):
        counts[dataset] = n
    return counts


def _render_mis(school: School, status: int = 200, errors=None, line_errors=None, kind=""):
    return render_template(
        "records/mis.html",
        school=school,
        counts=_counts(school),
        kinds=mis.KINDS,
        errors=errors or {},
        line_errors=line_errors or [],
        kind=kind,
    ), status


@bp.get("/settings/<school>/mis")
def mis_page(school: str):
    return _render_mis(dpo_school_or_404(school))


@bp.post("/settings/<school>/mis")
def mis_import(school: str):
    row = dpo_school_or_404(school)
    kind = request.form.get("kind") or ""
    file = request.files.get("file")
    if kind not in mis.KINDS:
        return _render_mis(row, 422, {"mis-kind": "Choose what the file contains."}, kind=kind)
    if file is None or not file.filename:
        return _render_mis(row, 422, {"mis-file": "Choose a CSV file."}, kind=kind)
    db = session()
    try:
        result = mis.import_csv(db, row, kind, file.read(mis.MAX_BYTES + 1))
    except mis.ImportProblem as exc:
        db.rollback()
        return _render_mis(row, 422, {"mis-file": str(exc)}, kind=kind)
    if not result.ok:
        db.rollback()
        msg = "The file was not imported. Fix these lines and try again."
        return _render_mis(row, 422, {"mis-file": msg}, result.errors, kind)
    db.commit()
    flask.flash(f"Imported {result.count} rows ({kind}).", "success")
    return redirect(url_for("records.mis_page", school=row.slug))


@bp.post("/settings/<school>/review-rules")
def review_rules(school: str):
    """A DPO turns on "a second pair of eyes": whoever redacted may not release the bundle."""
    from sar_service.models.mailbox import ReviewSettings

    row = dpo_school_or_404(school)
    db = session()
    wanted = request.form.get("second_reviewer") == "yes"
    settings = db.get(ReviewSettings, row.id)
    if settings is None and wanted:
        settings = ReviewSettings(school_id=row.id)
        db.add(settings)
    if settings is not None and settings.second_reviewer != wanted:
        settings.second_reviewer = wanted
    db.commit()
    state = "on" if wanted else "off"
    flask.flash(f"A second reviewer before release is now {state}.", "success")
    return redirect(url_for("records.inventory_page", school=row.slug, _anchor="review-rules"))
