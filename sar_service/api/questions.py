"""Questions from the public: the conversation's answering engine, for a school website to embed.

``POST /api/v1/schools/<slug>/questions`` with ``{"question": "…", "language"?: "pl"}``
answers from the school's privacy notice, or says which request the message
starts. Nothing is stored: an unanswered question is not queued for staff
(the endpoint has no contact details to reply to).
"""

from __future__ import annotations

import re

from flask import jsonify

from sar_service import ratelimit
from sar_service.api import bp, limits
from sar_service.api.intake import school_or_404
from sar_service.db import session
from sar_service.intake.knowledge import MAX_QUESTION, respond_to
from sar_service.notices.store import current_notice
from sar_service.web.json_body import json_body
from sar_service.web.problems import ApiProblem

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$")  # a BCP 47 tag, loosely


def before_public_question(slug: str) -> None:
    """Rate-limit hook: called before every public question; raises ApiProblem(429) to refuse."""
    limits.enforce(ratelimit.QUESTIONS)


def _read() -> tuple[str, str]:
    body = json_body(ratelimit.MAX_PUBLIC_BODY)
    question = body.get("question")
    if not isinstance(question, str) or not question.strip():
        raise ApiProblem(400, "Bad request", 'Give the question as text in "question".')
    if len(question) > MAX_QUESTION:
        raise ApiProblem(
            400, "Bad request", f"The question is longer than {MAX_QUESTION} characters."
        )
    language = body.get("language", "en")
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        raise ApiProblem(
            400, "Bad request", '"language" must be a language tag such as "en" or "pl".'
        )
    return question.strip(), language


@bp.post("/schools/<slug>/questions")
def public_question(slug: str):
    """200 {"intent", "answered", "answer", "quote", "section"}; 400 for bad input."""
    school = school_or_404(slug)
    before_public_question(school.slug)
    question, _language = _read()  # answers are in English for now, whatever the language
    notice = current_notice(session(), school)
    got = respond_to(notice, question, school.offers_educational_record)
    return jsonify(got)
