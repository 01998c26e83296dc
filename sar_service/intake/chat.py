"""The small JSON endpoint behind the chat: the same form fields, the same journey.

The browser posts the step's form; we answer with the next question as an
HTML fragment (rendered by the same template as the plain page) plus the
parent's answer in words, so the script can show both as chat bubbles.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import jsonify, render_template, request, url_for

from sar_service.db import session
from sar_service.intake import bp, flow, journey, summary
from sar_service.intake.views import draft_or_start, school_or_404


@bp.post("/s/<slug>/chat/<step>")
def chat(slug: str, step: str):
    school = school_or_404(slug)
    draft = draft_or_start(school)
    current = flow.BY_SLUG.get(step)
    if draft is None or current is None or not flow.applies(current, draft.answers or {}):
        return jsonify(redirect=url_for("intake.start", slug=slug))
    change = request.args.get("change") == "1"
    outcome = journey.post(session(), school, draft, current, change)
    session().commit()
    said = summary.display(current, draft.answers or {}) if not outcome.errors else ""
    if outcome.answered:
        said = outcome.answered["question"]
    shown: journey.Outcome | None = outcome
    if outcome.redirect:
        target = _step_from_url(outcome.redirect, slug)
        if target is None:
            return jsonify(redirect=outcome.redirect, said=said)
        current, shown, change = target, None, "change=1" in outcome.redirect
    context = journey.page_context(school, draft, current, shown, change)
    html = render_template("intake/_step_form.html", **context)
    return jsonify(
        html=html,
        said=said,
        step=current.slug,
        title=str(current.title),
        url=context["action_url"],
        back=context["back_url"],
        errors=bool(outcome and outcome.errors),
    )


def _step_from_url(url: str, slug: str) -> flow.Step | None:
    prefix = f"/s/{slug}/q/"
    path = urlsplit(url).path
    return flow.BY_SLUG.get(path[len(prefix) :]) if path.startswith(prefix) else None
