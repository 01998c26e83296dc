"""The register: one line per case ever received — the "central log" a school keeps.

A live case's line is computed from the case; a purged case's line was
written to ``register_entries`` when retention deleted the file, so the
register survives purges. A line names no child and no requester.
"""

from __future__ import annotations

import csv
import heapq
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from sar_service.cases import clocks
from sar_service.clock import london_date
from sar_service.models import Case, CaseType, ClockEvent, RegisterEntry, School
from sar_service.oversight import labels
from workflows import deadlines
from workflows.request_types import uses_one_month_clock

HEADER = (
    "reference", "school", "types", "channel", "language", "received_on", "clock_started_on",
    "due_date", "responded_on", "extended", "paused_days", "outcome", "late_by_days",
    "overdue_since", "file_purged",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class RegisterLine:
    reference: str
    school: str
    types: str
    channel: str
    language: str
    received_on: date
    clock_started_on: date | None
    due_date: date | None
    responded_on: date | None
    extended: bool
    paused_days: int
    outcome: str
    late_days: int
    overdue_since: date | None
    purged: bool

    def values(self) -> tuple:
        return (
            self.reference, self.school, self.types, self.channel, self.language,
            self.received_on, self.clock_started_on, self.due_date, self.responded_on,
            "yes" if self.extended else "no", self.paused_days, self.outcome, self.late_days,
            self.overdue_since, "yes" if self.purged else "no",
        )  # fmt: skip


def late_days(due: date | None, responded: date | None, as_of: date, still_open: bool) -> int:
    """Days past the due date: at the response, or so far for an open case."""
    if due is None:
        return 0
    if responded is not None:
        return max(0, (responded - due).days)
    return max(0, (as_of - due).days) if still_open else 0


def paused_days(case: Case, as_of: date) -> int:
    """Days the one-month clock stood still for clarification (Art 12A)."""
    asked = any(e.kind == "clarification_requested" for e in case.clock_events)
    if not asked or not uses_one_month_clock(case.types):
        return 0
    deadline = deadlines.statutory_deadline(
        clocks.clock_inputs(case), as_of=as_of, calendar=clocks.working_calendar(), explain=False
    )
    return deadline.paused_days


def line_for_case(case: Case, as_of: date) -> RegisterLine:
    return _line(case, case.school.name, case.types, paused_days(case, as_of), as_of)


def _line(row, school_name: str, types: list[str], paused: int, as_of: date) -> RegisterLine:
    """A live case's line from anything with the case's columns (an ORM case or a row)."""
    still_open = row.closed_at is None and row.responded_on is None
    late = late_days(row.due_date, row.responded_on, as_of, still_open)
    return RegisterLine(
        reference=row.reference,
        school=school_name,
        types="; ".join(labels.request_type(t) for t in types),
        channel=row.channel,
        language=row.language,
        received_on=row.received_on,
        clock_started_on=row.clock_started_on,
        due_date=row.due_date,
        responded_on=row.responded_on,
        extended=row.extended,
        paused_days=paused,
        outcome=labels.status(row.outcome or row.status),
        late_days=late,
        overdue_since=_day_after(row.due_date) if late else None,
        purged=False,
    )


def entry_for_case(case: Case, as_of: date) -> RegisterEntry:
    """The row a purged case leaves behind (the same facts as its line)."""
    line = line_for_case(case, as_of)
    return RegisterEntry(
        school_id=case.school_id,
        reference=case.reference,
        types=line.types[:200],
        channel=case.channel,
        language=case.language,
        received_on=case.received_on,
        clock_started_on=case.clock_started_on,
        due_date=case.due_date,
        responded_on=case.responded_on,
        closed_on=london_date(case.closed_at) if case.closed_at else None,
        extended=case.extended,
        paused_days=line.paused_days,
        outcome=line.outcome,
        late_days=line.late_days,
    )


def line_for_entry(entry: RegisterEntry, school_name: str) -> RegisterLine:
    return RegisterLine(
        reference=entry.reference,
        school=school_name,
        types=entry.types,
        channel=entry.channel,
        language=entry.language,
        received_on=entry.received_on,
        clock_started_on=entry.clock_started_on,
        due_date=entry.due_date,
        responded_on=entry.responded_on,
        extended=entry.extended,
        paused_days=entry.paused_days,
        outcome=entry.outcome,
        late_days=entry.late_days,
        overdue_since=_day_after(entry.due_date) if entry.late_days else None,
        purged=True,
    )


def _day_after(day: date | None) -> date | None:
    from datetime import timedelta

    return day + timedelta(days=1) if day else None


def _live_cases(school_ids: list[int]):
    return (
        select(Case)
        .where(Case.school_id.in_(school_ids or [-1]))
        .options(selectinload(Case.type_rows), selectinload(Case.clock_events))
    )


LIVE_COLUMNS = (
    Case.id, Case.reference, School.name.label("school_name"), Case.channel, Case.language,
    Case.received_on, Case.clock_started_on, Case.due_date, Case.responded_on, Case.extended,
    Case.status, Case.outcome, Case.closed_at,
)  # fmt: skip


def _types_by_case(session: Session, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for case_id, kind in session.execute(
        select(CaseType.case_id, CaseType.type)
        .join(Case, Case.id == CaseType.case_id)
        .where(Case.school_id.in_(ids))
        .order_by(CaseType.id)
    ):
        out[case_id].append(kind)
    return out


def _paused_by_case(
    session: Session, ids: list[int], types: dict[int, list[str]], as_of: date
) -> dict[int, int]:
    """Paused days of the cases that ever asked for clarification (the rest paused none)."""
    asked = (
        select(ClockEvent.case_id)
        .join(Case, Case.id == ClockEvent.case_id)
        .where(Case.school_id.in_(ids), ClockEvent.kind == "clarification_requested")
    )
    events: dict[int, list[deadlines.ClockEvent]] = defaultdict(list)
    for case_id, received_on, kind, on in session.execute(
        select(Case.id, Case.received_on, ClockEvent.kind, ClockEvent.on)
        .join(ClockEvent, ClockEvent.case_id == Case.id)
        .where(Case.id.in_(asked))
        .order_by(ClockEvent.id)
    ):
        if not events[case_id]:
            events[case_id].append(deadlines.ClockEvent("received", received_on))
        events[case_id].append(deadlines.ClockEvent(kind, on))
    cal = clocks.working_calendar()
    return {
        case_id: deadlines.statutory_deadline(
            evs, as_of=as_of, calendar=cal, explain=False
        ).paused_days
        for case_id, evs in events.items()
        if uses_one_month_clock(types.get(case_id, []))
    }


def iter_lines(session: Session, school_ids: list[int], as_of: date) -> Iterator[RegisterLine]:
    """Every line, live cases then purged ones, each by school and date (streamed; a
    fixed number of statements, columns rather than ORM objects, so 50,000 cases stay quick)."""
    ids = school_ids or [-1]
    types = _types_by_case(session, ids)
    paused = _paused_by_case(session, ids, types, as_of)
    live = (
        select(*LIVE_COLUMNS)
        .join(School, School.id == Case.school_id)
        .where(Case.school_id.in_(ids))
        .order_by(Case.school_id, Case.received_on, Case.reference)
        .execution_options(yield_per=2000)
    )
    for row in session.execute(live):
        yield _line(row, row.school_name, types.get(row.id, []), paused.get(row.id, 0), as_of)
    names = dict(session.execute(select(School.id, School.name)).all())
    purged = (
        select(RegisterEntry)
        .where(RegisterEntry.school_id.in_(ids))
        .order_by(RegisterEntry.school_id, RegisterEntry.received_on, RegisterEntry.reference)
    )
    for entry in session.scalars(purged.execution_options(yield_per=1000)):
        yield line_for_entry(entry, names.get(entry.school_id, ""))


@dataclass
class RegisterPage:
    lines: list[RegisterLine]
    total: int
    page: int
    pages: int


def page(
    session: Session, school_ids: list[int], number: int, per_page: int, as_of: date
) -> RegisterPage:
    """One page, newest received first, live and purged together: a fixed number of
    statements whatever the register's size."""
    ids = school_ids or [-1]
    total = session.scalar(
        select(
            select(func.count()).where(Case.school_id.in_(ids)).scalar_subquery()
            + select(func.count())
            .select_from(RegisterEntry)
            .where(RegisterEntry.school_id.in_(ids))
            .scalar_subquery()
        )
    )
    total = int(total or 0)
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    # The newest (offset + per_page) keys of each table, by index, merged here: no sort of
    # the whole register, and page 1 reads 50 index entries from each side.
    upto = number * per_page
    keys = []
    for src, model in (("case", Case), ("purged", RegisterEntry)):
        keys.append(
            [
                (received, reference, src, i)
                for i, received, reference in session.execute(
                    select(model.id, model.received_on, model.reference)
                    .where(model.school_id.in_(ids))
                    .order_by(model.received_on.desc(), model.reference.desc())
                    .limit(upto)
                )
            ]
        )
    merged = heapq.merge(*keys, key=lambda k: (k[0], k[1]), reverse=True)
    picked = [(src, i) for _, _, src, i in islice(merged, upto - per_page, upto)]
    case_ids = [i for src, i in picked if src == "case"]
    entry_ids = [i for src, i in picked if src == "purged"]
    cases = {
        c.id: c for c in session.scalars(_live_cases(ids).where(Case.id.in_(case_ids or [-1])))
    }
    entries = {
        e.id: e
        for e in session.scalars(
            select(RegisterEntry).where(RegisterEntry.id.in_(entry_ids or [-1]))
        )
    }
    names = {}
    if entries:
        names = dict(session.execute(select(School.id, School.name)).all())
    lines = [
        line_for_case(cases[i], as_of)
        if src == "case"
        else line_for_entry(entries[i], names.get(entries[i].school_id, ""))
        for src, i in picked
    ]
    return RegisterPage(lines, total, number, pages)


def _cell(value) -> str:
    text = "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_chunks(lines: Iterable[RegisterLine]) -> Iterator[str]:
    """The register as CSV text, a line at a time (safe from spreadsheet formulas)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    yield buf.getvalue()
    for line in lines:
        buf.seek(0)
        buf.truncate()
        writer.writerow([_cell(v) for v in line.values()])
        yield buf.getvalue()


def xlsx_bytes(lines: Iterable[RegisterLine]) -> bytes:
    """The register as an Excel workbook (dates as dates, formulas never)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Register")
    sheet.append(list(HEADER))
    for line in lines:
        sheet.append(
            [v if isinstance(v, int | date) or v is None else _cell(v) for v in line.values()]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
