"""The audit log across cases: search by person, case, date and kind; export as CSV.
DPO only (it names members of staff), at the schools where they are DPO."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, g, render_template, request, stream_with_context
from sqlalchemy import func, select

from sar_service.db import session
from sar_service.models.oversight import AUDIT_KINDS
from sar_service.oversight import audit
from sar_service.oversight.scope import parse_date
from sar_service.staff import bp
from sar_service.staff.access import me, my_schools
from workflows.states import DPO

PER_PAGE = 50


def _filters():
    user = me()
    schools = my_schools(user, DPO)
    if not schools:
        abort(403)
    problems: list[str] = []
    f = audit.AuditFilter(
        user=request.args.get("user", "").strip()[:100],
        case=request.args.get("case", "").strip()[:30],
        kind=request.args.get("kind", "") if request.args.get("kind") in AUDIT_KINDS else "",
        date_from=parse_date(request.args.get("from"), "from", problems),
        date_to=parse_date(request.args.get("to"), "to", problems),
    )
    slug = request.args.get("school")
    if slug:
        school = next((s for s in schools if s.slug == slug), None)
        if school is None:
            abort(404)
        f.school = school.id
    return user, schools, f, problems


@bp.get("/audit")
def audit_log():
    user, schools, f, problems = _filters()
    ids = [s.id for s in schools]
    q = audit.query(ids, f)
    db = session()
    total = db.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0
    pages = max(1, -(-total // PER_PAGE))
    try:
        page = min(max(1, int(request.args.get("page", 1))), pages)
    except ValueError:
        page = 1
    entries = db.scalars(q.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    names = {s.id: s.name for s in schools}
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "staff/audit.html",
        entries=entries,
        total=total,
        page=page,
        pages=pages,
        f=f,
        args=args,
        problems=problems,
        kinds=list(AUDIT_KINDS.items()),
        kind_labels=AUDIT_KINDS,
        names=names,
        schools=schools,
        school_options=[(s.slug, s.name) for s in schools],
        chosen_school=request.args.get("school", ""),
    )


@bp.get("/audit.csv")
def audit_csv():
    user, schools, f, _problems = _filters()
    db = session()
    for school in schools if f.school is None else [s for s in schools if s.id == f.school]:
        audit.record(
            db, "export", "audit_csv", user=user, school_id=school.id,
            summary="Downloaded the audit log (CSV)",
        )  # fmt: skip
    db.commit()
    g.sar_audited = True
    names = {s.id: s.name for s in schools}
    query = audit.query([s.id for s in schools], f).execution_options(yield_per=1000)

    def lines():
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["at", "school", "who", "kind", "action", "case", "what"])
        for e in db.scalars(query):
            writer.writerow(
                [e.at.isoformat(), names.get(e.school_id, ""), _safe(e.actor_label), e.kind,
                 e.action, e.case_reference, _safe(e.summary)]
            )  # fmt: skip
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
        yield buf.getvalue()

    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="sar-audit-log.csv"'},
    )


def _safe(text: str) -> str:
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
