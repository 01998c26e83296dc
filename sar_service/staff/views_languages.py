"""A DPO switches parents' languages on or off and corrects any translated wording."""

from __future__ import annotations

import flask
from flask import redirect, request, url_for

from sar_service.db import session
from sar_service.i18n import school_settings
from sar_service.staff import bp
from sar_service.staff.access import dpo_school_or_404


def _back(slug: str, message: str, category: str = "success"):
    flask.flash(message, category)
    return redirect(url_for("staff.settings_page", slug=slug, _anchor="languages"))


@bp.post("/settings/<slug>/languages")
def settings_languages(slug: str):
    school = dpo_school_or_404(slug)
    if request.form.get("form") != "languages":  # an empty list is "English only": ask for intent
        from sar_service.staff.views_settings import render_settings_page

        return render_settings_page(
            school, {"languages": "Send the languages form from the settings page."}, 422
        )
    school_settings.set_languages(school, request.form.getlist("languages"))
    session().commit()
    return _back(slug, "Languages saved.")


@bp.post("/settings/<slug>/wording")
def settings_wording(slug: str):
    school = dpo_school_or_404(slug)
    error = school_settings.set_override(
        school,
        (request.form.get("language") or "").strip(),
        (request.form.get("msgid") or "").strip(),
        request.form.get("text") or "",
    )
    if error:
        from sar_service.staff.views_settings import render_settings_page

        values = {"msgid": request.form.get("msgid", "")}
        return render_settings_page(school, {"msgid": error}, 422, values)
    session().commit()
    return _back(slug, "Wording saved.")
