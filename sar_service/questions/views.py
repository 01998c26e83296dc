"""The staff "Questions" page: parents' questions to their schools, answered or closed here.

Only the roles that may read questions (``cases.visibility.READS_QUESTIONS``) see the
page; another school's question is "not found". An answer is emailed to the parent
(``service.answer``); closing without a reply needs a reason. Who did either, and
when, stays on the question.
"""

from __future__ import annotations

import flask
from flask import abort, g, redirect, render_template, request, url_for
from sqlalchemy import select

from sar_service.db import session
from sar_service.i18n.languages import english_name
from sar_service.models import ParentQuestion, School
from sar_service.models.question import STATUSES
from sar_service.questions import service
from sar_service.staff import bp
from sar_service.staff.access import me

PER_PAGE = 25
STATUS_LABELS = {"open": "Waiting for a reply", "answered": "Answered", "closed": "Closed"}


def open_questions() -> int:
    """The count in the navigation and on the queue page: one query per page, at most."""
    if "questions_open" not in g:
        user = me()
        g.questions_open = service.open_count(session(), service.school_ids_for(user))
    return int(g.questions_open)


def _my_question_schools() -> list[School]:
    ids = service.school_ids_for(me())
    if not ids:
        abort(403)  # questions hold parents' words and addresses: not for this role
    return list(session().scalars(select(School).where(School.id.in_(ids)).order_by(School.name)))


def _page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", 1)), 100_000))
    except ValueError:
        return 1


@bp.get("/questions")
def questions_page():
    return _render()


def _render(errors: dict[int, dict[str, str]] | None = None, status_code: int = 200, **given):
    schools = _my_question_schools()
    status = request.args.get("status", "open")
    status = status if status in STATUSES or status == "all" else "open"
    chosen = request.args.get("school", "")
    ids = [s.id for s in schools if not chosen or s.slug == chosen] or [0]
    query = service.listing(ids, None if status == "all" else status)
    db = session()
    total = service.count(db, query)
    pages = max(1, -(-total // PER_PAGE))
    page = min(_page_number(), pages)
    rows = db.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    by_id = {s.id: s for s in schools}
    return render_template(
        "staff/questions.html",
        rows=[(q, by_id[q.school_id]) for q in rows],
        emails=service.answer_emails(db, rows),
        total=total,
        page=page,
        pages=pages,
        status=status,
        statuses=[*STATUS_LABELS.items(), ("all", "All")],
        status_labels=STATUS_LABELS,
        school=chosen,
        schools=schools,
        errors=errors or {},
        given=given,
        max_answer=service.MAX_ANSWER,
        language_name=english_name,
    ), status_code


def _question_or_404(school_slug: str, question_id: int) -> ParentQuestion:
    """A question at one of the user's schools (404 elsewhere), readable by their role (403)."""
    user = me()
    school = session().scalar(
        select(School).where(School.slug == school_slug, School.id.in_(user.school_ids))
    )
    if school is None:
        abort(404)
    if school.id not in service.school_ids_for(user):
        abort(403)
    question = session().get(ParentQuestion, question_id)
    if question is None or question.school_id != school.id:
        abort(404)
    return question


def _back(question: ParentQuestion):
    return redirect(url_for("staff.questions_page", status=request.args.get("status", "open")))


@bp.post("/questions/<school>/<int:question_id>/answer")
def answer_question(school: str, question_id: int):
    question = _question_or_404(school, question_id)
    text = service.clean(request.form.get("answer"), service.MAX_ANSWER)
    error = ""
    if text is None:
        error = f"The answer must be {service.MAX_ANSWER:,} characters or fewer."
    elif not text:
        error = "Write the answer to send."
    if error:
        given = request.form.get("answer", "")[: service.MAX_ANSWER * 2]
        return _render({question.id: {"answer": error}}, 422, answer=given, id=question.id)
    try:
        service.answer(session(), question, text or "", me())
    except service.NotOpen as exc:
        return _render({question.id: {"answer": str(exc)}}, 409)
    session().commit()
    flask.flash("Your answer is being emailed to the parent.", "success")
    return _back(question)


@bp.post("/questions/<school>/<int:question_id>/close")
def close_question(school: str, question_id: int):
    question = _question_or_404(school, question_id)
    reason = service.clean(request.form.get("reason"), service.MAX_REASON)
    error = ""
    if reason is None:
        error = f"The reason must be {service.MAX_REASON} characters or fewer."
    elif not reason:
        error = "Say why the question is closed without a reply."
    if error:
        given = request.form.get("reason", "")[: service.MAX_REASON * 2]
        return _render({question.id: {"reason": error}}, 422, reason=given, id=question.id)
    try:
        service.close(session(), question, reason or "", me())
    except service.NotOpen as exc:
        return _render({question.id: {"reason": str(exc)}}, 409)
    session().commit()
    flask.flash("The question is closed.", "success")
    return _back(question)
