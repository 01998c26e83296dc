"""Sending the school a question the conversation could not answer.

The answer panel offers it; the parent may leave an email address. Only a stored
question is called "sent", and the page after says plainly whether the school can
reply: without an address it cannot, so the parent is given the school's own
contact details instead. Rate-limited per address like every public post.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask import session as cookie

from sar_service import ratelimit
from sar_service.db import session
from sar_service.i18n import selection
from sar_service.intake import bp, flow, journey
from sar_service.intake.views import draft_or_start, school_or_404
from sar_service.models import ParentQuestion, School
from sar_service.questions import service


def _cookie_key(school: School) -> str:
    return f"asked-{school.id}"


@bp.post("/s/<slug>/questions")
def ask_school(slug: str):
    school = school_or_404(slug)
    if not ratelimit.hit(ratelimit.SCHOOL_QUESTIONS, ratelimit.client_ip(request)).allowed:
        abort(429)  # the friendly "too many tries" page
    s = session()
    asked = service.ask(
        s,
        school,
        request.form.get("question"),
        request.form.get("email"),
        selection.current().code,
    )
    if asked.question is None:
        context = {
            "school": school,
            "errors": asked.errors,
            "values": {
                "question": request.form.get("question", "")[: service.MAX_QUESTION * 2],
                "email": request.form.get("email", "")[: service.MAX_EMAIL * 2],
            },
            "back_url": _back_url(school),
        }
        return render_template("intake/ask_school.html", **context), 400
    s.commit()
    cookie[_cookie_key(school)] = asked.question.id
    return redirect(url_for("intake.question_sent", slug=slug))


@bp.get("/s/<slug>/questions/sent")
def question_sent(slug: str):
    """Shown once (like the request confirmation): the email address is on it."""
    school = school_or_404(slug)
    question = session().get(ParentQuestion, cookie.pop(_cookie_key(school), None) or 0)
    if question is None or question.school_id != school.id:
        return redirect(url_for("intake.start", slug=slug))
    contacts = [c for c in (school.email, school.phone, school.dpo_email) if c]
    return render_template(
        "intake/question_sent.html",
        school=school,
        question=question,
        contacts=list(dict.fromkeys(contacts)),
        back_url=_back_url(school),
    )


def _back_url(school: School) -> str:
    draft = draft_or_start(school)
    if draft is not None and draft.step:
        return journey.step_url(school, flow.BY_SLUG.get(draft.step))
    return url_for("intake.start", slug=school.slug)
