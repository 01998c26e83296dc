"""The queue: open cases by days left, with filters, search, counts and CSV export."""

from __future__ import annotations

from flask import Response, render_template, request, stream_with_context

from sar_service.clock import today
from sar_service.db import session
from sar_service.notify import problems
from sar_service.staff import bp, csv_export, queue_query, views_look
from sar_service.staff.access import me, my_schools, sees_requester
from workflows.request_types import CHANNELS, REQUEST_TYPES
from workflows.states import STATUS_LABELS, Status


@bp.get("/queue")
def queue():
    """One page of the filtered queue."""
    user, db, now_date = me(), session(), today()
    p = queue_query.parse(request.args)
    counts = queue_query.status_counts(db, user, p, now_date)
    total = queue_query.total_from(counts, p)
    pages = max(1, -(-total // p.per_page))
    p.page = min(p.page, pages)
    query = queue_query.ordered(user, p, now_date).limit(p.per_page)
    cases = db.scalars(query.offset((p.page - 1) * p.per_page)).unique().all()
    rows = [queue_query.make_row(c, user.role_in(c.school_id), now_date) for c in cases]
    schools = my_schools(user)
    return render_template(
        "staff/queue.html",
        p=p,
        rows=rows,
        total=total,
        pages=pages,
        counts=[(s, STATUS_LABELS[s], counts.get(s.value, 0)) for s in Status],
        schools=schools,
        several_schools=len(schools) > 1,
        assignees=queue_query.assignee_choices(db, user),
        statuses=[(s.value, STATUS_LABELS[s]) for s in Status],
        types=[(k, t.label) for k, t in REQUEST_TYPES.items()],
        channels=[(c, c.replace("_", " ").capitalize()) for c in CHANNELS],
        sorts=list(queue_query.SORT_LABELS.items()),
        per_page_options=[(n, str(n)) for n in queue_query.PER_PAGE_CHOICES],
        school_options=[(s.slug, s.name) for s in schools],
        needs_look=views_look.count(db, user),
        can_search_requester=any(sees_requester(m.role) for m in user.memberships),
        sees_any_requester=any(r.sees_requester for r in rows),
        today=now_date,
        email_problem_words=problems.FLAG_WORDS,
    )


@bp.get("/queue.csv")
def queue_csv():
    """The whole filtered view (every page) as CSV."""
    user, now_date = me(), today()
    p = queue_query.parse(request.args)
    body = stream_with_context(csv_export.rows(session(), user, p, now_date))
    filename = f"sar-cases-{now_date.isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
