"""Staff case endpoints: log, list, read, act. Tenancy-scoped; bearer auth."""

from __future__ import annotations

from flask import g, jsonify, request
from sqlalchemy import select

from sar_service.api import bp
from sar_service.cases import machine, queries, serialize
from sar_service.cases.service import create_case
from sar_service.cases.validation import parse_date, validate_request
from sar_service.clock import today
from sar_service.db import session
from sar_service.models import School
from sar_service.web.bearer import WRITE_ROLES, case_or_404, token_required
from sar_service.web.json_body import json_body
from sar_service.web.problems import ApiProblem, invalid
from sar_service.web.query_args import int_arg
from workflows.request_types import CHANNELS, REQUEST_TYPES
from workflows.states import Status


@bp.post("/cases")
@token_required
def log_case():
    """Staff log a request that arrived by email, letter, phone or in person."""
    body = json_body()
    slug = body.get("school")
    if not isinstance(slug, str):
        return invalid({"school": "Choose one of your schools (its slug)."})
    school = session().scalar(
        select(School).where(School.slug == slug, School.id.in_(g.api_user.school_ids))
    )
    if school is None:
        return invalid({"school": "Choose one of your schools (its slug)."})
    if g.api_user.role_in(school.id) not in WRITE_ROLES:
        raise ApiProblem(403, "Forbidden", "Your role at this school cannot log requests.")
    result = validate_request(body, school_kind=school.kind, today=today(), staff=True)
    if not result.ok:
        return invalid(result.errors)
    s = session()
    case = create_case(
        s, school, result.data, machine.Actor(g.api_user.name, "staff", g.api_user.id)
    )
    s.commit()
    role = g.api_user.role_in(school.id)
    return jsonify(serialize.detail(case, role, today())), 201


def _bool_arg(name: str) -> bool | None:
    value = request.args.get(name)
    if value is None or value == "":
        return None
    if value.lower() in {"1", "true", "yes"}:
        return True
    if value.lower() in {"0", "false", "no"}:
        return False
    raise ApiProblem(400, "Bad request", f"'{name}' must be true or false.")


def _filter_from_args() -> queries.CaseFilter:
    status, type_, channel = (request.args.get(k) for k in ("status", "type", "channel"))
    if status and status not in {s.value for s in Status}:
        raise ApiProblem(400, "Bad request", f"Unknown status '{status}'.")
    if type_ and type_ not in REQUEST_TYPES:
        raise ApiProblem(400, "Bad request", f"Unknown type '{type_}'.")
    if channel and channel not in CHANNELS:
        raise ApiProblem(400, "Bad request", f"Unknown channel '{channel}'.")
    return queries.CaseFilter(
        status=status,
        type=type_,
        overdue=_bool_arg("overdue"),
        q=(request.args.get("q") or "")[:200] or None,
        school=request.args.get("school") or None,
        assignee=request.args.get("assignee") or None,
        channel=channel,
    )


@bp.get("/cases")
@token_required
def list_cases():
    """Cases at the caller's schools, filtered, sorted and paginated."""
    sort = request.args.get("sort", "due")
    if sort not in queries.SORTS:
        raise ApiProblem(400, "Bad request", f"'sort' must be one of {', '.join(queries.SORTS)}.")
    page = int_arg("page", 1, 1, 100_000)
    per_page = int_arg("per_page", 25, 1, 100)
    s, now_date = session(), today()
    query = queries.filtered(g.api_user, _filter_from_args(), now_date)
    total = queries.count(s, query)
    rows = s.scalars(
        query.order_by(*queries.SORTS[sort]).limit(per_page).offset((page - 1) * per_page)
    )
    user = g.api_user
    items = [serialize.summary(c, user.role_in(c.school_id), now_date) for c in rows]
    return jsonify(items=items, page=page, per_page=per_page, total=total)


@bp.get("/cases/<reference>")
@token_required
def get_case(reference: str):
    case = case_or_404(reference)
    return jsonify(serialize.detail(case, g.api_user.role_in(case.school_id), today()))


@bp.post("/cases/<reference>/actions")
@token_required
def act(reference: str):
    """Apply one state-machine action. 409 with the reason if it is not allowed now."""
    case = case_or_404(reference)
    body = json_body()
    if not isinstance(body.get("action"), str):
        return invalid({"action": "Say which action to take."})
    on = None
    if body.get("on") is not None:
        on = parse_date(body["on"])
        if on is None:
            return invalid({"on": "Give the date as YYYY-MM-DD."})
    version = body.get("version")
    if version is not None and not isinstance(version, int):
        return invalid({"version": "version must be a whole number."})
    reason = body.get("reason") or ""
    if not isinstance(reason, str) or len(reason) > 5000:
        return invalid({"reason": "The reason must be text of 5000 characters or fewer."})
    req = machine.Request(
        action=body["action"],
        on=on,
        reason=reason,
        data={k: body[k] for k in machine.EXTRA_INPUTS if k in body},
        expected_version=version,
    )
    s = session()
    try:
        machine.apply(s, case, req, machine.Actor.staff(g.api_user, case))
        s.commit()
    except machine.TransitionError as exc:
        s.rollback()
        extra = {"errors": {exc.field: exc.detail}} if exc.field else {}
        raise ApiProblem(exc.status, exc.title, exc.detail, **extra) from None
    return jsonify(serialize.detail(case, g.api_user.role_in(case.school_id), today()))
