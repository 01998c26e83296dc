"""Public intake: the same rules as the web conversation."""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from sar_service import ratelimit
from sar_service.api import bp, limits
from sar_service.cases import look
from sar_service.cases.machine import Actor
from sar_service.cases.service import create_case
from sar_service.cases.validation import validate_request
from sar_service.clock import today
from sar_service.db import session
from sar_service.i18n.languages import clean_tag
from sar_service.i18n.selection import browser_language
from sar_service.intake import signals
from sar_service.models import School
from sar_service.web.json_body import json_body
from sar_service.web.problems import ApiProblem, invalid


def school_or_404(slug: str) -> School:
    school = session().scalar(select(School).where(School.slug == slug))
    if school is None:
        raise ApiProblem(404, "Not found", f"No school '{slug}'.")
    return school


@bp.post("/schools/<slug>/requests")
def public_request(slug: str):
    """A parent (or pupil) makes a request; 201 with the reference and reply date."""
    school = school_or_404(slug)
    decision = limits.enforce(ratelimit.API_REQUESTS)
    body = json_body(ratelimit.MAX_PUBLIC_BODY)
    result = validate_request(body, school_kind=school.kind, today=today())
    language = _language(body)
    if language is None:
        result.errors["language"] = "Give the parent's language as a BCP 47 tag, like pl or ar."
    if not result.ok or language is None:
        return invalid(result.errors)
    result.data["language"] = language
    s = session()
    case = create_case(s, school, result.data, Actor.system(look.PUBLIC_ACTOR))
    signals.check(s, case, ratelimit.API_REQUESTS, decision)
    s.commit()
    return jsonify(
        reference=case.reference,
        due_date=case.due_date.isoformat() if case.due_date else None,
        school_days_due_date=_iso(case.school_days_due_date),
        status=case.status,
        language=case.language,
    ), 201


def _language(body: object) -> str | None:
    """The body's ``language``, else the browser's best supported language, else English."""
    given = body.get("language") if isinstance(body, dict) else None
    if given is None or given == "":
        return browser_language()
    return clean_tag(given)


def _iso(d):
    return d.isoformat() if d else None
