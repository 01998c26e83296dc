"""Figures and the register for API clients, scoped to the token's schools."""

from __future__ import annotations

from flask import Response, g, jsonify, request, stream_with_context
from sqlalchemy import select

from sar_service.api import bp
from sar_service.clock import today
from sar_service.db import session
from sar_service.models import School
from sar_service.oversight import audit, audit_hooks, register, scope, stats
from sar_service.web.bearer import token_required
from sar_service.web.problems import ApiProblem

audit_hooks.install(bp)  # letters and other files downloaded through the API


def _token_scope() -> scope.Scope:
    ids = g.api_user.school_ids
    schools = list(
        session().scalars(select(School).where(School.id.in_(ids or [-1])).order_by(School.name))
    )
    try:
        chosen = scope.from_query(schools, request.args, today())
    except scope.NotYours:
        raise ApiProblem(
            404, "Not found", f"No school {request.args.get('school')!r} that you can see."
        ) from None
    if chosen.problems:
        raise ApiProblem(400, "Bad request", " ".join(chosen.problems))
    return chosen


@bp.get("/stats")
@token_required
def stats_json():
    """Counts by status, type, channel and language; on-time rate; days to respond."""
    chosen = _token_scope()
    figures = stats.compute(session(), chosen.schools, chosen.period, today())
    return jsonify(figures.as_json())


@bp.get("/register.csv")
@token_required
def register_csv_api():
    """The register, one line per case ever (purged cases included)."""
    chosen = _token_scope()
    s = session()
    for school in chosen.schools:
        audit.record(
            s, "export", "register_csv", user=g.api_user, school_id=school.id,
            summary="Downloaded the register (CSV, API)",
        )  # fmt: skip
    s.commit()
    g.sar_audited = True
    lines = register.iter_lines(s, [x.id for x in chosen.schools], today())
    return Response(
        stream_with_context(register.csv_chunks(lines)),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="sar-register.csv"'},
    )
