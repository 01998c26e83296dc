"""The governors' termly report: the figures for a period in words and tables, as
.docx and PDF. No personal data: no names, no references, only counts, dates and
the reasons staff recorded when a late response was sent."""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sar_service.models import Case, CaseEvent, School
from sar_service.oversight import labels, stats

NO_PERSONAL_DATA = (
    "This report contains no personal data. 'On time' means sent on or before the due date."
)
NUMBER_WORDS = (
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
)  # fmt: skip


@dataclass
class LateResponse:
    days_late: int
    reason: str


@dataclass
class Report:
    title: str
    schools: list[str]
    figures: stats.Figures
    late: Lateness
    narrative: list[str]
    tables: list[tuple[str, list[tuple[str, str]]]]


def words(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return one if n == 1 else (many or one + "s")


#: How many late responses the narrative explains one by one (the longest delays).
EXPLAINED = 3


@dataclass
class Lateness:
    count: int
    shortest: int
    longest: list[LateResponse]  # the longest delays, longest first, with their notes


def late_responses(session: Session, schools: list[School], period: stats.Period) -> Lateness:
    """Responses sent after their due date in the period: how many, the shortest delay, and
    the longest few with the note the DPO recorded when signing the response off."""
    late_by = stats.day_diff(session, Case.responded_on, Case.due_date)
    where = (
        Case.school_id.in_([s.id for s in schools] or [-1]),
        Case.responded_on.between(period.start, period.end),
        Case.responded_on > Case.due_date,
    )
    count, shortest = session.execute(select(func.count(), func.min(late_by)).where(*where)).one()
    if not count:
        return Lateness(0, 0, [])
    top = session.execute(
        select(Case.id, late_by.label("days")).where(*where)
        .order_by(late_by.desc(), Case.id).limit(EXPLAINED)
    ).all()  # fmt: skip
    reasons: dict[int, str] = {}
    for case_id, reason in session.execute(
        select(CaseEvent.case_id, CaseEvent.reason)
        .where(CaseEvent.case_id.in_([r.id for r in top]), CaseEvent.action == "respond")
        .order_by(CaseEvent.id)
    ):
        reasons[case_id] = reason.strip()  # the latest response's note
    longest = [LateResponse(int(r.days), reasons.get(r.id, "")) for r in top]
    return Lateness(count, int(shortest), longest)


def _clause(reason: str) -> str:
    """A recorded reason as the end of a sentence: 'Records were off-site.' → 'records were
    off-site' (a leading acronym such as 'ICT' keeps its capitals)."""
    text = " ".join(reason.split()).rstrip(".")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


def _late_clause(late: Lateness) -> str:
    """'one was 2 days late because …', or for many, the range and the longest delays."""
    parts = []
    for item in late.longest:
        why = f" because {_clause(item.reason)}" if item.reason else " (no reason recorded)"
        parts.append(f"{item.days_late} {_plural(item.days_late, 'day')} late{why}")
    if late.count == 1:
        return f"one was {parts[0]}"
    if late.count <= EXPLAINED:
        return f"{words(late.count)} were late: " + "; ".join(parts)
    return (
        f"{words(late.count)} were late, by {late.shortest} to {late.longest[0].days_late} days; "
        f"the {words(EXPLAINED)} longest: " + "; ".join(parts)
    )


def narrative(f: stats.Figures, late: Lateness) -> list[str]:
    """Plain sentences a governor reads first; every number comes from the figures."""
    out = []
    verb = "was" if f.received == 1 else "were"
    received = f"{f.received} {_plural(f.received, 'request')} {verb} received"
    types = "; ".join(f"{labels.request_type(t)}: {n}" for t, n in f.by_type.items())
    out.append(f"{received} in the period" + (f" ({types})." if types else "."))
    if f.responded:
        sentence = (
            f"{f.on_time} of {f.responded} {_plural(f.responded, 'request')} "
            f"{'was' if f.responded == 1 else 'were'} answered on time "
            f"({labels.percent(f.on_time_rate)})"
        )
        if late.count:
            sentence += "; " + _late_clause(late)
        sentence += "."
        out.append(sentence[0].upper() + sentence[1:])
        out.append(
            f"The median time to respond was {labels.days(f.median_days)}; nine in ten "
            f"responses went within {labels.days(f.p90_days)} of receipt."
        )
    else:
        out.append("No responses were due to be sent in the period.")
    if f.extended or f.paused:
        out.append(
            f"The time limit was extended for {f.extended} "
            f"{_plural(f.extended, 'request')} (complex or numerous requests) and paused "
            f"for clarification on {f.paused}."
        )
    out.append(
        f"On {f.as_of:%-d %B %Y}, {f.open_total} {_plural(f.open_total, 'request')} "
        f"{'was' if f.open_total == 1 else 'were'} open"
        + (
            f", of which {f.overdue_now} {'was' if f.overdue_now == 1 else 'were'} overdue."
            if f.overdue_now
            else ", none overdue."
        )
    )
    return out


def build(session: Session, schools: list[School], period: stats.Period, as_of) -> Report:
    f = stats.compute(session, schools, period, as_of)
    late = late_responses(session, schools, period)
    tables = [
        (
            "Summary",
            [
                ("Requests received", str(f.received)),
                ("Responses sent", str(f.responded)),
                ("Answered on time", f"{f.on_time} ({labels.percent(f.on_time_rate)})"),
                ("Median days to respond", labels.days(f.median_days)),
                ("90% answered within", labels.days(f.p90_days)),
                ("Extensions used", str(f.extended)),
                ("Clarification pauses used", str(f.paused)),
                ("Open today", str(f.open_total)),
                ("Overdue today", str(f.overdue_now)),
            ],
        ),
        ("Requests by type", [(labels.request_type(k), str(v)) for k, v in f.by_type.items()]),
        ("Requests by channel", [(labels.channel(k), str(v)) for k, v in f.by_channel.items()]),
        ("Requests by language", [(labels.language(k), str(v)) for k, v in f.by_language.items()]),
        (
            "On time by month",
            [
                (m.month, f"{m.on_time} of {m.responded} ({labels.percent(m.on_time_rate)})")
                for m in f.by_month
            ],
        ),
    ]
    names = [s.name for s in schools]
    title = "Data protection requests: report to governors"
    return Report(title, names, f, late, narrative(f, late), tables)


def subtitle(report: Report) -> str:
    who = (
        ", ".join(report.schools) if len(report.schools) <= 3 else f"{len(report.schools)} schools"
    )
    return f"{who} — {report.figures.period.label()}"


def to_docx(report: Report) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = report.title
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(subtitle(report))
    doc.add_heading("In brief", level=1)
    for sentence in report.narrative:
        doc.add_paragraph(sentence)
    for heading, rows in report.tables:
        doc.add_heading(heading, level=1)
        if not rows:
            doc.add_paragraph("None in the period.")
            continue
        table = doc.add_table(rows=0, cols=2)
        table.style = "Light Grid Accent 1"
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    doc.add_paragraph(
        "This report contains no personal data. Figures count requests received and "
        "responses sent in the period; 'on time' means sent on or before the due date."
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_pdf(report: Report) -> bytes:
    from fpdf import FPDF

    from sar_service.pdf_text import latin1

    pdf = FPDF(format="A4")
    pdf.set_title(latin1(report.title))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, latin1(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, latin1(subtitle(report)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, "In brief", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for sentence in report.narrative:
        pdf.multi_cell(0, 6, latin1(sentence), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    for heading, rows in report.tables:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(0, 8, latin1(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        if not rows:
            pdf.cell(0, 6, "None in the period.", new_x="LMARGIN", new_y="NEXT")
        for label, value in rows:
            pdf.cell(100, 7, latin1(label), border="B")
            pdf.cell(0, 7, latin1(value), border="B", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(
        0, 5, NO_PERSONAL_DATA,
        new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    return bytes(pdf.output())
