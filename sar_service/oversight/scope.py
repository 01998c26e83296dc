"""Which schools and which period an oversight page or API call covers.

Pure of Flask: views pass in the query-string values and the user's schools,
and get back the choice plus plain-English problems to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sar_service.models import School
from sar_service.oversight.stats import Period

#: Roles that see the figures (aggregates only; the DPO also sees which cases are late).
OVERSEERS = frozenset({"dpo", "owner", "viewer"})


@dataclass
class Scope:
    schools: list[School]
    period: Period
    school: School | None = None  # one chosen school, or None for all of them
    problems: list[str] = field(default_factory=list)

    def query_args(self) -> dict[str, str]:
        args = {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()}
        if self.school is not None:
            args["school"] = self.school.slug
        return args


class NotYours(Exception):
    """The school asked for is not one the user can see (answer 404, never 403)."""


def parse_date(raw: str | None, name: str, problems: list[str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(f"'{name}' must be a date written as YYYY-MM-DD; {raw!r} is not.")
        return None


def parse(
    schools: list[School], slug: str | None, start: str | None, end: str | None, as_of: date
) -> Scope:
    """The schools (all given, or the one named) and the period (default: 12 months)."""
    problems: list[str] = []
    default = Period.default(as_of)
    period = Period(
        parse_date(start, "from", problems) or default.start,
        parse_date(end, "to", problems) or as_of,
    )
    if period.end < period.start:
        problems.append("The end of the period is before its start; showing the last 12 months.")
        period = default
    chosen = None
    if slug:
        chosen = next((s for s in schools if s.slug == slug), None)
        if chosen is None:
            raise NotYours(slug)
    return Scope([chosen] if chosen else schools, period, chosen, problems)


def from_query(schools: list[School], args, as_of: date) -> Scope:
    """``parse`` with ``school``, ``from`` and ``to`` read from a query string (pages and API)."""
    return parse(schools, args.get("school"), args.get("from"), args.get("to"), as_of)
