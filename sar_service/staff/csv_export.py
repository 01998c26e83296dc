"""CSV export of the queue's filtered view, streamed so a big selection stays cheap."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from sqlalchemy.orm import Session

from sar_service.cases.clocks import type_labels
from sar_service.models import User
from sar_service.staff import queue_query
from workflows.states import STATUS_LABELS, Status

HEADER = (
    "reference", "school", "types", "status", "channel", "language", "received_on", "due_date",
    "days_left", "school_days_due_date", "rag", "extended", "paused", "assignee",
    "child", "requester", "requester_email",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Text that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _line(values) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerow([_cell(v) for v in values])
    return buf.getvalue()


def rows(session: Session, user: User, p: queue_query.QueueParams, today: date) -> Iterator[str]:
    yield _line(HEADER)
    query = queue_query.ordered(user, p, today).execution_options(yield_per=500)
    for case in session.scalars(query):
        row = queue_query.make_row(case, user.role_in(case.school_id), today)
        sees = row.sees_requester
        yield _line(
            (
                case.reference,
                case.school.name,
                "; ".join(type_labels(case.types)),
                STATUS_LABELS[Status(case.status)],
                case.channel,
                case.language,
                case.received_on,
                case.due_date,
                row.days_left,
                case.school_days_due_date,
                row.rag or "",
                "yes" if case.extended else "no",
                "yes" if case.paused else "no",
                case.assignee.email if case.assignee else "",
                case.subject_name,
                case.requester_name if sees else "",
                case.requester_email if sees else "",
            )
        )
