"""Guards named in the transition table: each returns None or why not, in plain words.

A guard sees the case's rights (``types``), its clock events in recorded order,
the effective date of the action and the bank-holiday calendar. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflows import case_clocks, deadlines
from workflows.calendars import long_date
from workflows.request_types import REQUEST_TYPES


def can_extend(types, events: list[deadlines.ClockEvent], on: date, calendar) -> str | None:
    """Extension is possible once, within the first month, on a clock that can be extended."""
    groups = case_clocks.grouped(types, case_clocks.is_exam_marks(events))
    rules = [rule for rule, _ in groups if rule.extendable]
    if not rules:
        return (
            "None of this case's time limits can be extended: only the one-month clock of "
            "access, rectification, erasure, restriction and objection requests can be."
        )
    reasons = []
    for rule in rules:
        ok, reason = deadlines.can_extend(events, on, calendar=calendar, pausable=rule.pausable)
        if ok:
            return None
        reasons.append(reason)
    return reasons[0]


def _identity_clock(types, events, on: date, calendar) -> deadlines.Deadline | None:
    """The clock an identity request is judged against: the latest-ending one-month clock
    (identity restarts those), else the case's latest-ending clock."""
    found = case_clocks.compute(types, events, as_of=on, calendar=calendar, explain=False)
    months = [d for d in found if d.clock == deadlines.ONE_MONTH] or found
    return max(months, key=lambda d: d.due, default=None)


def identity_in_time(types, events, on: date, calendar) -> str | None:
    """Identity is asked for at the start; after the time limit has ended it cannot reopen it."""
    clock = _identity_clock(types, events, on, calendar)
    if clock is not None and on > clock.due:
        return (
            f"The time limit ended on {long_date(clock.due)}. Asking for proof of identity now "
            "cannot restart it: the school is late and must respond."
        )
    return None


def identity_request_needs_reason(types, events, on: date, calendar) -> str | None:
    """Late in the period (past its half-way point) an identity request needs a reason."""
    clock = _identity_clock(types, events, on, calendar)
    if clock is None:
        return None
    halfway = clock.clock_start + (clock.due - clock.clock_start) / 2
    if on > halfway:
        return (
            f"Identity should be asked for at the start. More than half the time limit (due "
            f"{long_date(clock.due)}) has passed, so say why it is being asked for now."
        )
    return None


def _labels(types) -> str:
    names = [REQUEST_TYPES[t].label.lower() for t in types if t in REQUEST_TYPES]
    return ", ".join(names) or "this case"


#: Clock events that only make sense on a clock of a certain rule, and why not otherwise.
CLOCK_ACTION_NEEDS = {
    deadlines.CLARIFICATION_REQUESTED: (
        lambda rule, names: rule.pausable,
        "The clarification pause (Article 12A) is for access requests only; the time limit "
        "for {labels} does not stop. Ask the requester if you need to, but the clock runs on.",
    ),
    deadlines.EXTENDED: (
        lambda rule, names: rule.extendable,
        "The time limit for {labels} cannot be extended: only the one-month clock of access, "
        "rectification, erasure, restriction and objection requests can be.",
    ),
    deadlines.RESULTS_ANNOUNCED: (
        lambda rule, names: case_clocks.EXAM_MARKS_RIGHT in names,
        "Exam marks are asked for under the right of access; this case ({labels}) has no "
        "access request.",
    ),
}


def not_applicable(clock_event: str | None, types, events=()) -> str | None:
    """Why an action that moves a clock applies to none of the case's clocks, or None."""
    if clock_event not in CLOCK_ACTION_NEEDS:
        return None
    test, why = CLOCK_ACTION_NEEDS[clock_event]
    groups = case_clocks.grouped(types, case_clocks.is_exam_marks(events))
    if any(test(rule, names) for rule, names in groups):
        return None
    return why.format(labels=_labels(types))


@dataclass(frozen=True)
class ResponseFacts:
    """What has reached the requester, as the records say (``sar_service.cases.response``)."""

    #: Outcome letter kinds sent (by email not finally failed, by post or by hand).
    letters_sent: frozenset[str] = frozenset()
    #: Outcome letter kinds whose only sending was an email that finally failed.
    letters_failed: frozenset[str] = frozenset()
    #: Documents released in the portal, or their delivery recorded another way with a date.
    documents_delivered: bool = False


def _letter_name(kind: str) -> str:
    return f"the {kind.replace('_', ' ')} letter"


def response_delivered(
    types, events, on: date, calendar, facts: ResponseFacts | None = None
) -> str | None:
    """ "Response sent" means it reached the requester: each right's outcome letter was sent
    and, where records were searched, the documents were released or delivered another way."""
    facts = facts or ResponseFacts()
    wanted = [REQUEST_TYPES[t] for t in types if t in REQUEST_TYPES]
    missing = []
    for kind in dict.fromkeys(t.outcome_letter for t in wanted if t.outcome_letter):
        if kind in facts.letters_sent:
            continue
        if kind in facts.letters_failed:
            missing.append(
                f"the email carrying {_letter_name(kind)} failed: send it again, or by post"
            )
        else:
            missing.append(f"send {_letter_name(kind)} (by email, or record it sent by post)")
    if any(t.gathers_records for t in wanted) and not facts.documents_delivered:
        missing.append(
            "release the documents in the portal, or record how they were delivered "
            "(post, in person or secure email) and on which day"
        )
    if not missing:
        return None
    return "The response has not reached the requester yet: " + "; ".join(missing) + "."


GUARDS = {
    "can_extend": can_extend,
    "identity_in_time": identity_in_time,
    "response_delivered": response_delivered,
}
#: Guards that also need facts from the records (passed as ``facts=``; see ``cases.machine``).
NEEDS_FACTS = frozenset({"response_delivered"})
