"""The privacy-notice review screen: each extracted list beside the source, to correct and confirm.

After an import the DPO lands here. Lists the reader was unsure of are marked
and must be confirmed before the notice is used for letters; a re-import shows
what changed since the previous version.
"""

from __future__ import annotations

import flask
from flask import abort, redirect, render_template, request, url_for

from sar_service.db import session
from sar_service.notices import review, store
from sar_service.notices.confidence import CHECKED
from sar_service.staff import bp
from sar_service.staff.access import dpo_school_or_404, me


def _page(slug: str, errors: dict | None = None, values: dict | None = None, status: int = 200):
    school = dpo_school_or_404(slug)
    db = session()
    row = store.current_notice_row(db, school)
    if row is None:
        flask.flash("Import the privacy notice first.", "error")
        return redirect(url_for("staff.settings_page", slug=school.slug, _anchor="notice"))
    data = review.effective(row)
    levels = (row.data or {}).get("confidence") or {}
    sections = [
        {
            "key": key,
            "title": review.TITLES[key],
            "items": review.item_texts(data, key),
            "editable": key in review.EDITABLE,
            "unsure": key in review.unsure(row),
            "reason": levels.get(key, {}).get("reason", ""),
            "confirmed": review.confirmed(row, key),
            "by": ((row.review or {}).get("sections") or {}).get(key, {}).get("confirmed_by"),
        }
        for key in CHECKED
    ]
    return render_template(
        "staff/notice_review.html",
        school=school,
        notice=row,
        sections=sections,
        pending=review.pending(row),
        pieces=review.highlights(row.text, data),
        changes=review.changes(review.previous_row(db, row), row),
        titles=review.TITLES,
        errors=errors or {},
        values=values or {},
    ), status


@bp.get("/settings/<slug>/notice/review")
def notice_review(slug: str):
    return _page(slug)


@bp.post("/settings/<slug>/notice/review/<section>")
def notice_review_save(slug: str, section: str):
    """Save staff's version of one list (one item per line) and confirm it."""
    school = dpo_school_or_404(slug)
    if section not in CHECKED:
        abort(404)
    db = session()
    row = store.current_notice_row(db, school)
    if row is None:
        abort(404)
    items = None
    if section in review.EDITABLE and "items" in request.form:
        raw = request.form.get("items", "")[: review.MAX_ITEMS * review.MAX_ITEM_CHARS]
        items, error = review.parse_lines(raw)
        if error:
            return _page(slug, {f"items-{section}": error}, {section: raw}, 422)
        if items == review.item_texts(review.effective(row), section):
            items = None if not (row.review or {}).get("sections", {}).get(section) else items
    review.save(row, section, items, me().name)
    db.commit()
    flask.flash(f"{review.TITLES[section]} confirmed.", "success")
    return redirect(url_for("staff.notice_review", slug=school.slug, _anchor=f"list-{section}"))
