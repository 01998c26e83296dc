"""The register in the workspace: a page of it, and every line as CSV or Excel."""

from __future__ import annotations

from flask import Response, g, render_template, request, stream_with_context

from sar_service.clock import today
from sar_service.db import session
from sar_service.oversight import audit, register
from sar_service.oversight.views_dashboard import overseen_scope
from sar_service.staff import bp

PER_PAGE = 50


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def _record_export(user, schools, what: str) -> None:
    s = session()
    for school in schools:
        audit.record(
            s, "export", f"register_{what}", user=user, school_id=school.id,
            summary=f"Downloaded the register ({what.upper()})",
        )  # fmt: skip
    s.commit()
    g.sar_audited = True


@bp.get("/register")
def register_page():
    """The register, newest first; purged cases keep their line."""
    _user, schools, chosen = overseen_scope()
    ids = [s.id for s in chosen.schools]
    result = register.page(session(), ids, _page_number(), PER_PAGE, today())
    return render_template(
        "staff/register.html",
        result=result,
        scope=chosen,
        schools=schools,
        school_options=[(s.slug, s.name) for s in schools],
    )


@bp.get("/register.csv")
def register_csv():
    user, _schools, chosen = overseen_scope()
    _record_export(user, chosen.schools, "csv")
    lines = register.iter_lines(session(), [s.id for s in chosen.schools], today())
    body = stream_with_context(register.csv_chunks(lines))
    name = f"sar-register-{today().isoformat()}.csv"
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/register.xlsx")
def register_xlsx():
    user, _schools, chosen = overseen_scope()
    _record_export(user, chosen.schools, "xlsx")
    data = register.xlsx_bytes(
        register.iter_lines(session(), [s.id for s in chosen.schools], today())
    )
    name = f"sar-register-{today().isoformat()}.xlsx"
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
