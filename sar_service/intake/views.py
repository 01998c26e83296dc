"""The parent's pages: start, one question per page, check answers, confirmation."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask import session as cookie
from sqlalchemy import select

from sar_service import ratelimit
from sar_service.clock import today
from sar_service.db import session
from sar_service.i18n.text import gettext as _
from sar_service.intake import bp, drafts, flow, journey, signals, steps, summary
from sar_service.intake.submit import submit
from sar_service.models import Case, School
from sar_service.portal.dates import reply_dates


def school_or_404(slug: str) -> School:
    school = session().scalar(select(School).where(School.slug == slug))
    if school is None:
        abort(404)
    g.school = school  # the page's languages and the school's own wording
    return school


def draft_or_start(school: School):
    """The current draft, or None (the caller sends the parent to the start page)."""
    return drafts.current(session(), school)


@bp.get("/")
def index():
    """A short list of schools, or straight to the only one."""
    schools = list(session().scalars(select(School).order_by(School.name)))
    if len(schools) == 1:
        return redirect(url_for("intake.start", slug=schools[0].slug))
    return render_template("intake/schools.html", schools=schools, school=None)


@bp.get("/s/<slug>/")
def start(slug: str):
    school = school_or_404(slug)
    draft = draft_or_start(school)
    resume = None
    if draft and draft.step:
        resume = journey.step_url(school, flow.BY_SLUG.get(draft.step))
    return render_template("intake/start.html", school=school, resume_url=resume)


@bp.post("/s/<slug>/start")
def begin(slug: str):
    school = school_or_404(slug)
    if not ratelimit.hit(ratelimit.DRAFTS, ratelimit.client_ip(request)).allowed:
        abort(429)  # the friendly "too many tries" page; an existing draft is kept
    s = session()
    drafts.start(s, school)
    s.commit()
    return redirect(journey.step_url(school, flow.STEPS[0]))


@bp.route("/s/<slug>/q/<step>", methods=["GET", "POST"])
def step(slug: str, step: str):
    school = school_or_404(slug)
    draft = draft_or_start(school)
    if draft is None:
        return redirect(url_for("intake.start", slug=slug))
    current = flow.BY_SLUG.get(step)
    if current is None or not flow.applies(current, draft.answers or {}):
        return redirect(journey.step_url(school, flow.STEPS[0]))
    change = request.args.get("change") == "1"
    outcome = None
    if request.method == "POST":
        outcome = journey.post(session(), school, draft, current, change)
        session().commit()
        if outcome.redirect:
            return redirect(outcome.redirect)
    context = journey.page_context(school, draft, current, outcome, change)
    status = 400 if outcome and outcome.errors else 200
    return render_template("intake/step.html", **context), status


@bp.route("/s/<slug>/check", methods=["GET", "POST"])
def check(slug: str):
    school = school_or_404(slug)
    draft = draft_or_start(school)
    if draft is None:
        sent = drafts.submitted_case_id(session(), school)
        if request.method == "POST" and sent is not None:  # "send" pressed twice
            cookie[f"done-{school.id}"] = sent
            return redirect(url_for("intake.done", slug=slug))
        return redirect(url_for("intake.start", slug=slug))
    answers = draft.answers or {}
    missing = steps.first_incomplete(answers, school, today())
    if missing is not None:
        return redirect(journey.step_url(school, missing))
    errors: dict[str, str] = {}
    if request.method == "POST":
        decision = ratelimit.hit(ratelimit.SUBMISSIONS, ratelimit.client_ip(request))
        if decision.allowed:
            s = session()
            done = submit(s, school, draft, today())
            if done.case is not None:
                signals.check(s, done.case, ratelimit.SUBMISSIONS, decision)
                s.commit()
                cookie[f"done-{school.id}"] = done.case.id
                return redirect(url_for("intake.done", slug=slug))
            errors = done.errors
        else:
            errors = {
                "submit": _(
                    "You have sent a lot of requests from this device. "
                    "Your answers are saved. Try again in an hour."
                )
            }
    context = {
        "school": school,
        "rows": summary.rows(answers),
        "errors": errors,
        "age": journey.age_of(answers),
        "age_note": journey.child_should_be_asked(answers),
        "step_of": lambda key: flow.FIELD_STEP.get(key, "types"),
    }
    status = 429 if "submit" in errors else (400 if errors else 200)
    return render_template("intake/check.html", **context), status


@bp.get("/s/<slug>/done")
def done(slug: str):
    school = school_or_404(slug)
    # Shown once: on a shared computer the next person must not find the portal link here.
    case = session().get(Case, cookie.pop(f"done-{school.id}", None) or 0)
    if case is None or case.school_id != school.id:
        return redirect(url_for("intake.start", slug=slug))
    from sar_service.portal.links import portal_url

    context = {
        "school": school,
        "case": case,
        **reply_dates(case),
        "portal_url": portal_url(case),
        "identity": (case.details or {}).get("identity", {}),
    }
    return render_template("intake/confirmation.html", **context)


@bp.get("/s/<slug>/saved")
def saved(slug: str):
    school = school_or_404(slug)
    draft = draft_or_start(school)
    if draft is None:
        return redirect(url_for("intake.start", slug=slug))
    link = url_for("intake.resume", slug=slug, signed=drafts.resume_token(draft), _external=True)
    emailed = request.args.get("emailed") == "1"
    return render_template(
        "intake/saved.html",
        school=school,
        link=link,
        emailed=emailed,
        email=(draft.answers or {}).get("requester.email", ""),
    )


@bp.get("/s/<slug>/resume/<signed>")
def resume(slug: str, signed: str):
    school = school_or_404(slug)
    draft = drafts.from_resume_token(session(), signed)
    if draft is None or draft.school_id != school.id or draft.case_id is not None:
        return render_template("intake/resume_invalid.html", school=school), 404
    drafts.remember(school, draft)
    missing = steps.first_incomplete(draft.answers or {}, school, today())
    if missing is None and draft.step == "":
        missing = flow.STEPS[0]
    return redirect(journey.step_url(school, missing))
