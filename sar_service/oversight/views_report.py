"""The governors' report: a preview page, and the .docx and PDF to send."""

from __future__ import annotations

from flask import Response, g, render_template

from sar_service.clock import today
from sar_service.db import session
from sar_service.oversight import audit, labels, report
from sar_service.oversight.views_dashboard import overseen_scope
from sar_service.staff import bp

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"docx": (DOCX, report.to_docx), "pdf": ("application/pdf", report.to_pdf)}


@bp.get("/reports")
def governors_report():
    """What the report will say, with the period chooser and the downloads."""
    _user, schools, chosen = overseen_scope()
    built = report.build(session(), chosen.schools, chosen.period, today())
    return render_template(
        "staff/report.html",
        report=built,
        subtitle=report.subtitle(built),
        scope=chosen,
        schools=schools,
        school_options=[(s.slug, s.name) for s in schools],
        labels=labels,
    )


@bp.get("/reports/governors.<fmt>")
def governors_report_file(fmt: str):
    if fmt not in FORMATS:
        return Response("Choose .docx or .pdf.", status=404, mimetype="text/plain")
    user, _schools, chosen = overseen_scope()
    built = report.build(session(), chosen.schools, chosen.period, today())
    mimetype, render = FORMATS[fmt]
    data = render(built)
    s = session()
    for school in chosen.schools:
        audit.record(
            s, "export", f"governors_report_{fmt}", user=user, school_id=school.id,
            summary=f"Downloaded the governors' report ({chosen.period.label()}, {fmt})",
        )  # fmt: skip
    s.commit()
    g.sar_audited = True
    name = f"governors-report-{chosen.period.start}-{chosen.period.end}.{fmt}"
    return Response(
        data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
