"""The statutory clocks, checked against the worked examples in docs/legal.md and edge cases.

Pure date maths, so no fixtures: run with `pytest --noconftest`.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import random
from datetime import date, timedelta

import pytest

from workflows.deadlines import (
    AUTHORITY_CONFIRMED,
    CLARIFICATION_RECEIVED,
    CLARIFICATION_REQUESTED,
    EXTENDED,
    FEE_RECEIVED,
    IDENTITY_VERIFIED,
    RECEIVED,
    ClockEvent,
    Deadline,
    SchoolCalendar,
    WorkingCalendar,
    add_months,
    can_extend,
    complaint_acknowledgement_deadline,
    days_remaining,
    educational_record_deadline,
    rag,
    statutory_deadline,
)

D = date
SPRING_2026 = (D(2026, 2, 23), D(2026, 3, 27))
SUMMER_2026 = (D(2026, 4, 13), D(2026, 5, 22))


def received(on: date) -> ClockEvent:
    return ClockEvent(RECEIVED, on)


def asked(on: date) -> ClockEvent:
    return ClockEvent(CLARIFICATION_REQUESTED, on)


def answered(on: date) -> ClockEvent:
    return ClockEvent(CLARIFICATION_RECEIVED, on)


def text(deadline: Deadline) -> str:
    return " ".join(deadline.explanation)


# --- docs/legal.md worked examples ---------------------------------------------------------------

WORKED_EXAMPLES = [
    pytest.param([received(D(2025, 9, 3))], D(2025, 10, 3), id="3 Sep 2025"),
    pytest.param([received(D(2027, 1, 1))], D(2027, 2, 1), id="1 Jan 2027 bank holiday"),
    pytest.param([received(D(2024, 11, 25))], D(2024, 12, 27), id="25 Nov 2024 over Christmas"),
    pytest.param([received(D(2026, 1, 31))], D(2026, 3, 2), id="31 Jan 2026 Saturday"),
    pytest.param([received(D(2028, 1, 31))], D(2028, 2, 29), id="31 Jan 2028 leap year"),
    pytest.param(
        [received(D(2026, 3, 10)), ClockEvent(IDENTITY_VERIFIED, D(2026, 3, 19))],
        D(2026, 4, 20),
        id="ID received later",
    ),
    pytest.param(
        [received(D(2026, 9, 14)), ClockEvent(EXTENDED, D(2026, 9, 30))],
        D(2026, 12, 14),
        id="extended",
    ),
    pytest.param(
        [received(D(2026, 3, 2)), asked(D(2026, 3, 5)), answered(D(2026, 3, 12))],
        D(2026, 4, 10),
        id="clarification pause",
    ),
]


@pytest.mark.parametrize(("events", "due"), WORKED_EXAMPLES)
def test_worked_examples(events: list[ClockEvent], due: date) -> None:
    deadline = statutory_deadline(events)
    assert deadline.due == due
    assert f"due by the end of {due:%A} {due.day} {due:%B %Y}" in text(deadline)


@pytest.mark.parametrize(("events", "due"), WORKED_EXAMPLES)
def test_worked_examples_do_not_depend_on_event_order(events, due) -> None:
    assert statutory_deadline(list(reversed(events))).due == due


def test_worked_example_educational_record() -> None:
    school = SchoolCalendar(terms=[SPRING_2026, SUMMER_2026])
    deadline = educational_record_deadline(D(2026, 3, 2), school)
    assert deadline.due == D(2026, 3, 23)
    assert deadline.clock == "school_days"
    assert "School day 1 was Tuesday 3 March 2026" in text(deadline)
    assert "school day 15, the deadline, is Monday 23 March 2026" in text(deadline)
    assert "term dates (23 February 2026 to 27 March 2026)" in text(deadline)


# --- explanations a school office worker reads ----------------------------------------------


def test_month_end_and_weekend_are_explained() -> None:
    deadline = statutory_deadline([received(D(2026, 1, 31))])
    assert deadline.explanation[:3] == [
        "Received Saturday 31 January 2026, so the clock started that day.",
        "One calendar month later is 31 February, which does not exist, so the time limit is "
        "the last day of February: Saturday 28 February 2026.",
        "28 February 2026 is a Saturday, so the deadline moves to the next working day: "
        "Monday 2 March 2026.",
    ]
    assert (deadline.clock_start, deadline.nominal) == (D(2026, 1, 31), D(2026, 2, 28))


def test_bank_holidays_are_named_when_skipped() -> None:
    explanation = text(statutory_deadline([received(D(2024, 11, 25))]))
    assert "25 December 2024 is Christmas Day, a bank holiday" in explanation
    assert "26 December 2024 is Boxing Day, a bank holiday" in explanation
    assert "next working day: Friday 27 December 2024" in explanation


def test_identity_restart_is_explained() -> None:
    events = [received(D(2026, 3, 10)), ClockEvent(IDENTITY_VERIFIED, D(2026, 3, 19))]
    deadline = statutory_deadline(events)
    assert deadline.explanation[:2] == [
        "Received Tuesday 10 March 2026.",
        "Identity was confirmed on Thursday 19 March 2026, so the clock restarted that day.",
    ]
    assert "19 April 2026 is a Sunday" in text(deadline)


def test_pause_is_explained() -> None:
    events = [received(D(2026, 3, 2)), asked(D(2026, 3, 5)), answered(D(2026, 3, 12))]
    deadline = statutory_deadline(events)
    assert (
        "Paused from Thursday 5 March 2026 to Thursday 12 March 2026 while we waited for "
        "clarification: 8 days added." in deadline.explanation
    )
    assert "Adding 8 paused days gives Friday 10 April 2026." in deadline.explanation
    assert (deadline.nominal, deadline.paused_days, deadline.paused) == (D(2026, 4, 2), 8, False)


def test_extension_is_explained_with_the_original_date() -> None:
    events = [received(D(2026, 9, 14)), ClockEvent(EXTENDED, D(2026, 9, 30))]
    deadline = statutory_deadline(events)
    assert deadline.extended and deadline.original_due == D(2026, 10, 14)
    assert "extended by two further months" in text(deadline)
    assert "Three calendar months later is Monday 14 December 2026." in deadline.explanation
    assert "Without the extension it would have been Wednesday 14 October 2026." in text(deadline)


def test_explanations_can_be_skipped_for_bulk_work() -> None:
    events = [received(D(2026, 1, 31)), asked(D(2026, 2, 2)), answered(D(2026, 2, 4))]
    quiet = statutory_deadline(events, explain=False)
    assert quiet.explanation == []
    assert quiet.due == statutory_deadline(events).due == D(2026, 3, 3)


# --- add_months and the month-end rule ------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 2, 29), 1, D(2028, 3, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),  # 30-day month
        (D(2026, 4, 30), 1, D(2026, 5, 30)),  # from a 30-day month into a 31-day one
        (D(2026, 12, 31), 1, D(2027, 1, 31)),  # year end
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2027, 11, 30), 3, D(2028, 2, 29)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(1900, 1, 31), 1, D(1900, 2, 28)),  # century, not a leap year
        (D(2000, 1, 31), 1, D(2000, 2, 29)),  # 400-year leap year
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_add_months_matches_the_standard_library_every_day_2024_to_2028() -> None:
    day = D(2024, 1, 1)
    while day <= D(2028, 12, 31):
        for months in (1, 3):
            index = day.month - 1 + months
            year, month = day.year + index // 12, index % 12 + 1
            last = stdlib_calendar.monthrange(year, month)[1]
            assert add_months(day, months) == D(year, month, min(day.day, last))
        day += timedelta(days=1)


# --- the one-month clock: edge cases --------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "due", "said"),
    [
        (D(2028, 2, 29), D(2028, 3, 29), "One calendar month later is Wednesday 29 March 2028."),
        (D(2024, 2, 29), D(2024, 4, 2), "29 March 2024 is Good Friday, a bank holiday"),
        (D(2026, 3, 31), D(2026, 4, 30), "31 April, which does not exist"),
        (D(2026, 4, 30), D(2026, 6, 1), "30 May 2026 is a Saturday"),
        (D(2026, 3, 3), D(2026, 4, 7), "6 April 2026 is Easter Monday, a bank holiday"),
        (D(2026, 11, 25), D(2026, 12, 29), "28 December 2026 is the substitute bank holiday"),
        (D(2027, 11, 25), D(2027, 12, 29), "27 December 2027 is the substitute bank holiday"),
        (D(2027, 12, 1), D(2028, 1, 4), "3 January 2028 is the substitute bank holiday"),
    ],
    ids=[
        "29 Feb 2028",
        "29 Feb 2024 to Easter",
        "31 Mar",
        "30 Apr",
        "Easter 2026",
        "Christmas 2026",
        "Christmas 2027",
        "New Year 2028",
    ],  # fmt: skip
)
def test_leap_years_month_lengths_and_bank_holiday_runs(on: date, due: date, said: str) -> None:
    deadline = statutory_deadline([received(on)])
    assert deadline.due == due
    assert said in text(deadline)


def test_easter_run_names_both_holidays() -> None:
    explanation = text(statutory_deadline([received(D(2026, 3, 3))]))
    assert "3 April 2026 is Good Friday, a bank holiday" in explanation
    assert "6 April 2026 is Easter Monday, a bank holiday" in explanation
    assert "next working day: Tuesday 7 April 2026" in explanation


def test_christmas_2027_names_both_substitute_days() -> None:
    explanation = text(statutory_deadline([received(D(2027, 11, 25))]))
    assert "25 December 2027 is a Saturday" in explanation
    assert "27 December 2027 is the substitute bank holiday for Christmas Day" in explanation
    assert "28 December 2027 is the substitute bank holiday for Boxing Day" in explanation


def test_clock_starts_on_the_latest_of_receipt_identity_authority_and_fee() -> None:
    events = [
        ClockEvent(FEE_RECEIVED, D(2026, 3, 19)),
        ClockEvent(IDENTITY_VERIFIED, D(2026, 3, 12)),
        received(D(2026, 3, 10)),
        ClockEvent(AUTHORITY_CONFIRMED, D(2026, 3, 11)),
    ]
    deadline = statutory_deadline(events)
    assert (deadline.clock_start, deadline.due) == (D(2026, 3, 19), D(2026, 4, 20))
    assert "Identity was confirmed on Thursday 12 March 2026." in deadline.explanation
    assert (
        "The fee was received on Thursday 19 March 2026, so the clock restarted that day."
        in deadline.explanation
    )
    assert "Authority to act for the person the data is about was confirmed" in text(deadline)


def test_identity_seen_before_the_request_does_not_move_the_clock() -> None:
    events = [ClockEvent(IDENTITY_VERIFIED, D(2025, 9, 1)), received(D(2025, 9, 3))]
    deadline = statutory_deadline(events)
    assert deadline.due == D(2025, 10, 3)
    assert (
        deadline.explanation[0]
        == "Received Wednesday 3 September 2025, so the clock started that day."
    )


def test_several_pauses_add_up() -> None:
    events = [
        received(D(2026, 3, 2)),
        asked(D(2026, 3, 16)),
        answered(D(2026, 3, 12)),
        answered(D(2026, 3, 17)),
        asked(D(2026, 3, 5)),
    ]
    deadline = statutory_deadline(events)
    assert deadline.paused_days == 10  # 5–12 March (8) and 16–17 March (2)
    assert deadline.due == D(2026, 4, 13)  # 12 April is a Sunday
    assert "Paused from Monday 16 March 2026 to Tuesday 17 March 2026" in text(deadline)
    assert "2 days added" in text(deadline)
    assert "Adding 10 paused days gives Sunday 12 April 2026." in deadline.explanation


def test_pause_spanning_a_month_end() -> None:
    events = [received(D(2026, 1, 20)), asked(D(2026, 1, 28)), answered(D(2026, 2, 3))]
    deadline = statutory_deadline(events)
    assert deadline.paused_days == 7  # 28, 29, 30, 31 Jan and 1, 2, 3 Feb
    assert deadline.due == D(2026, 2, 27)


def test_pause_asked_and_answered_the_same_day_counts_one_day() -> None:
    events = [received(D(2026, 3, 2)), asked(D(2026, 3, 5)), answered(D(2026, 3, 5))]
    deadline = statutory_deadline(events)
    assert (deadline.paused_days, deadline.paused) == (1, False)
    assert "1 day added" in text(deadline)


def test_an_answer_without_a_question_is_ignored() -> None:
    deadline = statutory_deadline([received(D(2025, 9, 3)), answered(D(2025, 9, 10))])
    assert (deadline.paused_days, deadline.due) == (0, D(2025, 10, 3))


def test_answer_and_new_question_on_the_same_day_do_not_count_that_day_twice() -> None:
    events = [
        received(D(2026, 3, 2)),
        asked(D(2026, 3, 5)),
        answered(D(2026, 3, 6)),
        asked(D(2026, 3, 6)),
        answered(D(2026, 3, 7)),
    ]
    assert statutory_deadline(events).paused_days == 3  # 5, 6 and 7 March


def test_pause_partly_before_identity_only_counts_from_the_clock_start() -> None:
    events = [
        received(D(2026, 3, 10)),
        asked(D(2026, 3, 12)),
        answered(D(2026, 3, 16)),
        ClockEvent(IDENTITY_VERIFIED, D(2026, 3, 14)),
    ]
    deadline = statutory_deadline(events)
    assert deadline.paused_days == 3  # 14, 15 and 16 March
    assert deadline.due == D(2026, 4, 17)
    assert "only days from the clock start on Saturday 14 March 2026 count" in text(deadline)


def test_pause_wholly_before_identity_adds_nothing() -> None:
    events = [
        received(D(2026, 3, 10)),
        asked(D(2026, 3, 11)),
        answered(D(2026, 3, 12)),
        ClockEvent(IDENTITY_VERIFIED, D(2026, 3, 19)),
    ]
    deadline = statutory_deadline(events)
    assert (deadline.paused_days, deadline.due) == (0, D(2026, 4, 20))
    assert "before the clock started, so no days are added" in text(deadline)


def test_open_pause_counts_through_as_of_and_is_provisional() -> None:
    events = [received(D(2026, 3, 2)), asked(D(2026, 3, 5))]
    on_monday = statutory_deadline(events, as_of=D(2026, 3, 9))
    assert (on_monday.paused_days, on_monday.paused, on_monday.provisional) == (5, True, True)
    assert on_monday.due == D(2026, 4, 7)  # 2 Apr + 5 = 7 Apr (Easter is 3–6 Apr)
    assert "Paused since Thursday 5 March 2026 while we wait for clarification" in text(on_monday)
    assert "5 days added so far, up to Monday 9 March 2026" in text(on_monday)
    assert "provisional" in text(on_monday)
    next_day = statutory_deadline(events, as_of=D(2026, 3, 10))
    assert (next_day.paused_days, next_day.due) == (6, D(2026, 4, 8))


def test_open_pause_without_as_of_counts_only_the_day_asked() -> None:
    deadline = statutory_deadline([received(D(2026, 3, 2)), asked(D(2026, 3, 5))])
    assert (deadline.paused_days, deadline.paused) == (1, True)


def test_answered_pause_is_no_longer_provisional() -> None:
    events = [received(D(2026, 3, 2)), asked(D(2026, 3, 5)), answered(D(2026, 3, 12))]
    deadline = statutory_deadline(events, as_of=D(2026, 6, 1))
    assert (deadline.paused, deadline.paused_days) == (False, 8)


def test_extension_combined_with_a_pause() -> None:
    events = [
        received(D(2026, 9, 14)),
        asked(D(2026, 10, 1)),
        answered(D(2026, 10, 7)),
        ClockEvent(EXTENDED, D(2026, 10, 2)),
    ]
    deadline = statutory_deadline(events)
    assert deadline.nominal == D(2026, 12, 14)
    assert deadline.paused_days == 7
    assert deadline.due == D(2026, 12, 21)
    assert deadline.original_due == D(2026, 10, 21)


def test_a_request_needs_a_received_event() -> None:
    with pytest.raises(ValueError, match="received"):
        statutory_deadline([ClockEvent(IDENTITY_VERIFIED, D(2026, 3, 19))])


def test_unknown_event_kinds_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown clock event kind"):
        ClockEvent("recieved", D(2026, 3, 19))


def test_due_dates_are_working_days_and_explanations_do_not_change_them() -> None:
    rng = random.Random(12)
    for _ in range(2000):
        start = D(2024, 1, 1) + timedelta(days=rng.randrange(1800))
        events = [received(start)]
        if rng.random() < 0.5:
            events += [asked(start + timedelta(days=3)), answered(start + timedelta(days=9))]
        if rng.random() < 0.3:
            events.append(ClockEvent(EXTENDED, start + timedelta(days=10)))
        quiet, explained = statutory_deadline(events, explain=False), statutory_deadline(events)
        assert quiet.due == explained.due and quiet.original_due == explained.original_due
        assert WorkingCalendar().is_working_day(quiet.due)
        assert quiet.due >= quiet.nominal + timedelta(days=quiet.paused_days)


# --- the extension guard ------------------------------------------------------------------


def test_extension_allowed_on_the_last_day_of_the_first_month() -> None:
    allowed, reason = can_extend([received(D(2025, 9, 3))], D(2025, 10, 3))
    assert allowed
    assert "until the end of Friday 3 October 2025" in reason
    assert "Wednesday 3 December 2025" in reason


def test_extension_refused_the_day_after() -> None:
    allowed, reason = can_extend([received(D(2025, 9, 3))], D(2025, 10, 4))
    assert not allowed
    assert "The original deadline was Friday 3 October 2025" in reason
    assert "within the first month" in reason


def test_extension_guard_uses_the_rolled_original_deadline() -> None:
    events = [received(D(2026, 1, 31))]  # due Monday 2 March, not Saturday 28 February
    assert can_extend(events, D(2026, 3, 2))[0]
    assert not can_extend(events, D(2026, 3, 3))[0]


def test_extension_guard_counts_pauses_including_an_open_one() -> None:
    answered_pause = [received(D(2026, 3, 2)), asked(D(2026, 3, 5)), answered(D(2026, 3, 12))]
    assert can_extend(answered_pause, D(2026, 4, 10))[0]
    assert not can_extend(answered_pause, D(2026, 4, 11))[0]
    still_waiting = [received(D(2026, 3, 2)), asked(D(2026, 3, 30))]
    assert can_extend(still_waiting, D(2026, 4, 5))[0]  # 7 paused days so far: due 9 April


def test_a_second_extension_is_refused() -> None:
    events = [received(D(2025, 9, 3)), ClockEvent(EXTENDED, D(2025, 9, 20))]
    allowed, reason = can_extend(events, D(2025, 9, 25))
    assert not allowed
    assert "already been extended" in reason


# --- calendars ------------------------------------------------------------------------------

LEGAL_BANK_HOLIDAYS = {
    2026: ["1 Jan", "3 Apr", "6 Apr", "4 May", "25 May", "31 Aug", "25 Dec", "28 Dec"],
    2027: ["1 Jan", "26 Mar", "29 Mar", "3 May", "31 May", "30 Aug", "27 Dec", "28 Dec"],
    2028: ["3 Jan", "14 Apr", "17 Apr", "1 May", "29 May", "28 Aug", "25 Dec", "26 Dec"],
}


@pytest.mark.parametrize("year", sorted(LEGAL_BANK_HOLIDAYS))
def test_weekday_bank_holidays_match_legal_md(year: int) -> None:
    working = WorkingCalendar()
    day, found = D(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5 and not working.is_working_day(day):
            found.append(f"{day.day} {day:%b}")
        day += timedelta(days=1)
    assert found == LEGAL_BANK_HOLIDAYS[year]


def test_working_calendar_basics() -> None:
    working = WorkingCalendar()
    assert working.next_working_day(D(2026, 4, 2)) == D(2026, 4, 2)  # already a working day
    assert working.next_working_day(D(2026, 4, 3)) == D(2026, 4, 7)
    assert working.holiday_name(D(2026, 12, 28)) == "Boxing Day (observed)"
    assert working.holiday_name(D(2026, 12, 29)) is None
    assert not working.is_working_day(D(2027, 12, 27))


def test_working_days_before_for_reminders() -> None:
    working = WorkingCalendar()
    assert working.working_days_before(D(2026, 4, 10), 2) == D(2026, 4, 8)
    assert working.working_days_before(D(2026, 4, 7), 2) == D(2026, 4, 1)  # over Easter
    assert working.working_days_before(D(2026, 3, 2), 1) == D(2026, 2, 27)  # over a weekend
    assert working.working_days_before(D(2026, 3, 2), 0) == D(2026, 3, 2)


def test_extra_one_off_bank_holiday() -> None:
    one_off = WorkingCalendar(extra_holidays={D(2026, 10, 2): "State occasion"})
    deadline = statutory_deadline([received(D(2026, 9, 2))], calendar=one_off)
    assert deadline.due == D(2026, 10, 5)
    assert "2 October 2026 is State occasion, a bank holiday" in text(deadline)
    assert statutory_deadline([received(D(2026, 9, 2))]).due == D(2026, 10, 2)


def test_school_calendar_days() -> None:
    school = SchoolCalendar([SUMMER_2026, SPRING_2026], closures={D(2026, 3, 13)})
    assert not school.uses_fallback
    assert school.is_school_day(D(2026, 3, 12))
    assert not school.is_school_day(D(2026, 3, 13))  # INSET day
    assert not school.is_school_day(D(2026, 3, 14))  # Saturday
    assert not school.is_school_day(D(2026, 4, 1))  # Easter holiday
    assert not school.is_school_day(D(2026, 5, 4))  # May Day, in term
    assert school.is_school_day(D(2026, 5, 5))


def test_school_calendar_rejects_a_term_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        SchoolCalendar([(D(2026, 3, 27), D(2026, 2, 23))])


def test_fallback_school_calendar_is_weekdays_without_bank_holidays() -> None:
    school = SchoolCalendar()
    assert school.uses_fallback
    assert school.is_school_day(D(2026, 8, 3))  # summer holiday, but nobody told us
    assert not school.is_school_day(D(2026, 4, 3))  # Good Friday
    assert not school.is_school_day(D(2026, 4, 4))  # Saturday


# --- educational record -------------------------------------------------------------------


def test_educational_record_skips_holiday_between_terms_and_inset_day() -> None:
    school = SchoolCalendar([SPRING_2026, SUMMER_2026], closures={D(2026, 4, 13)})
    deadline = educational_record_deadline(D(2026, 3, 20), school)
    assert deadline.due == D(2026, 4, 27)
    assert "the school holiday from Saturday 28 March 2026 to Sunday 12 April 2026" in text(
        deadline
    )
    assert "Monday 13 April 2026 (closure day)" in text(deadline)
    assert not deadline.uses_fallback


def test_educational_record_skips_a_bank_holiday_in_term() -> None:
    school = SchoolCalendar([SPRING_2026, SUMMER_2026])
    deadline = educational_record_deadline(D(2026, 4, 20), school)
    assert deadline.due == D(2026, 5, 12)
    assert "Monday 4 May 2026 (May Day, a bank holiday)" in text(deadline)


def test_educational_record_received_on_the_last_day_of_term() -> None:
    school = SchoolCalendar([SPRING_2026, SUMMER_2026])
    deadline = educational_record_deadline(D(2026, 3, 27), school)
    assert deadline.due == D(2026, 5, 1)
    assert "School day 1 was Monday 13 April 2026" in text(deadline)


def test_educational_record_received_at_a_weekend() -> None:
    school = SchoolCalendar([SPRING_2026, SUMMER_2026])
    assert educational_record_deadline(D(2026, 3, 7), school).due == D(2026, 3, 27)


def test_educational_record_falls_back_to_weekdays_and_says_so() -> None:
    deadline = educational_record_deadline(D(2026, 3, 20), SchoolCalendar())
    assert deadline.due == D(2026, 4, 14)  # Good Friday and Easter Monday not counted
    assert deadline.uses_fallback
    assert "No term dates are set up for this school" in text(deadline)
    assert "weekdays that are not bank holidays" in text(deadline)
    assert "Friday 3 April 2026 (Good Friday, a bank holiday)" in text(deadline)


def test_educational_record_beyond_the_configured_terms_says_so() -> None:
    deadline = educational_record_deadline(D(2026, 5, 15), SchoolCalendar([SUMMER_2026]))
    assert deadline.due == D(2026, 6, 8)  # 5 days in term, then weekdays less 25 May
    assert deadline.uses_fallback
    assert "do not cover every day counted" in text(deadline)


# --- complaints, the queue ------------------------------------------------------------------


def test_complaint_acknowledgement_is_30_days_and_not_rolled() -> None:
    deadline = complaint_acknowledgement_deadline(D(2026, 6, 19))
    assert deadline.due == D(2026, 7, 19)  # a Sunday, left as it is
    assert deadline.clock == "complaint"
    assert "within 30 days, so by Sunday 19 July 2026" in text(deadline)
    assert "not moved off weekends or bank holidays" in text(deadline)
    assert "acknowledge by Friday 17 July 2026" in text(deadline)


def test_complaint_acknowledgement_on_a_working_day() -> None:
    deadline = complaint_acknowledgement_deadline(D(2026, 7, 1))
    assert deadline.due == D(2026, 7, 31)
    assert "not moved" not in text(deadline)


@pytest.mark.parametrize(
    ("today", "remaining"),
    [(D(2026, 4, 8), 2), (D(2026, 4, 10), 0), (D(2026, 4, 12), -2)],
)
def test_days_remaining(today: date, remaining: int) -> None:
    assert days_remaining(D(2026, 4, 10), today) == remaining


@pytest.mark.parametrize(
    ("today", "colour"),
    [
        (D(2026, 4, 11), "overdue"),
        (D(2026, 4, 10), "red"),  # due today
        (D(2026, 4, 8), "red"),  # 2 working days left
        (D(2026, 4, 7), "amber"),  # 3 left
        (D(2026, 3, 30), "amber"),  # 7 left: Good Friday and Easter Monday do not count
        (D(2026, 3, 27), "green"),  # 8 left
    ],
)
def test_rag(today: date, colour: str) -> None:
    assert rag(D(2026, 4, 10), today, WorkingCalendar()) == colour


# --- issue 11 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "order",
    [
        ("asked", "answered", "asked", "answered"),
        ("answered", "asked", "asked", "answered"),
        ("asked", "asked", "answered", "answered"),
        ("answered", "answered", "asked", "asked", "answered"),
    ],
)
def test_item1_same_day_questions_and_answers_close_the_pause(order) -> None:
    """Received Mon 2 Nov 2026; asked and answered twice on Thu 5 Nov: whatever the order
    the same-day events were recorded in, once the last of them is an answer the pause is
    closed, 5 November counts once, and the date no longer moves day by day."""
    make = {"asked": asked, "answered": answered}
    events = [received(D(2026, 11, 2)), *(make[k](D(2026, 11, 5)) for k in order)]
    for as_of in (D(2026, 11, 5), D(2026, 12, 20), D(2027, 1, 30)):
        deadline = statutory_deadline(events, as_of=as_of)
        assert deadline.due == D(2026, 12, 3)
        assert (deadline.paused_days, deadline.paused) == (1, False)


def test_item1_a_question_left_unanswered_on_a_busy_day_closes_with_the_next_answer() -> None:
    events = [received(D(2026, 11, 2)), answered(D(2026, 11, 5)), asked(D(2026, 11, 5))]
    waiting = statutory_deadline(events, as_of=D(2026, 11, 9))
    assert waiting.paused and waiting.paused_days == 5  # 5 to 9 November, each once
    done = statutory_deadline([*events, answered(D(2026, 11, 9))], as_of=D(2027, 1, 30))
    assert (done.paused, done.paused_days, done.due) == (False, 5, D(2026, 12, 7))


def test_item2_the_pause_is_for_access_only() -> None:
    from workflows import case_clocks

    events = [received(D(2026, 3, 2)), asked(D(2026, 3, 5)), answered(D(2026, 3, 12))]
    found = case_clocks.compute(["access", "erasure", "educational_record"], events)
    by_types = {c.types: c for c in found}
    access, erasure = by_types[("access",)], by_types[("erasure",)]
    assert (access.clock, access.due, access.paused_days) == ("one_month", D(2026, 4, 10), 8)
    assert (erasure.clock, erasure.due, erasure.paused_days) == ("one_month", D(2026, 4, 2), 0)
    assert "does not pause" in text(erasure) and "access requests only" in text(erasure)
    school = by_types[("educational_record",)]
    assert school.due == educational_record_deadline(D(2026, 3, 2), SchoolCalendar()).due
    assert case_clocks.earliest(found).due == school.due


def test_item2_rights_sharing_a_rule_share_a_clock() -> None:
    from workflows import case_clocks

    found = case_clocks.compute(["rectification", "erasure", "access"], [received(D(2026, 3, 2))])
    assert [c.types for c in found] == [("access",), ("rectification", "erasure")]


def test_item2_the_pause_lengthens_the_month_for_extension_notice_on_access_only() -> None:
    events = [received(D(2026, 3, 2)), asked(D(2026, 3, 5)), answered(D(2026, 3, 12))]
    assert can_extend(events, D(2026, 4, 10))[0]
    assert not can_extend(events, D(2026, 4, 10), pausable=False)[0]
    assert can_extend(events, D(2026, 4, 2), pausable=False)[0]


def test_item6_a_clarification_asked_after_the_deadline_adds_no_days() -> None:
    events = [received(D(2026, 9, 1)), asked(D(2026, 10, 2)), answered(D(2026, 10, 13))]
    deadline = statutory_deadline(events, as_of=D(2026, 10, 20))
    assert (deadline.due, deadline.paused_days) == (D(2026, 10, 1), 0)
    assert "after the time limit had ended" in text(deadline)
    waiting = statutory_deadline(events[:2], as_of=D(2026, 10, 20))
    assert (waiting.due, waiting.paused) == (D(2026, 10, 1), False)


def test_item3_identity_asked_after_the_deadline_does_not_reopen_it() -> None:
    from workflows.deadlines import IDENTITY_REQUESTED

    events = [
        received(D(2026, 9, 1)),
        ClockEvent(IDENTITY_REQUESTED, D(2026, 12, 2)),
        ClockEvent(IDENTITY_VERIFIED, D(2026, 12, 2)),
    ]
    deadline = statutory_deadline(events)
    assert (deadline.clock_start, deadline.due) == (D(2026, 9, 1), D(2026, 10, 1))
    assert "after the time limit had ended" in text(deadline)
    unasked = statutory_deadline([events[0], events[2]])
    assert unasked.due == D(2026, 10, 1)


def test_item3_identity_asked_in_time_restarts_the_clock_when_it_arrives() -> None:
    from workflows.deadlines import IDENTITY_REQUESTED

    events = [
        received(D(2026, 9, 1)),
        ClockEvent(IDENTITY_REQUESTED, D(2026, 9, 3)),
        ClockEvent(IDENTITY_VERIFIED, D(2026, 10, 20)),  # arrived after 1 Oct: still the start
    ]
    assert statutory_deadline(events).due == D(2026, 11, 20)


def test_item5_an_extension_applies_only_to_clocks_still_in_their_first_month() -> None:
    from workflows import case_clocks

    events = [
        received(D(2026, 3, 2)),
        asked(D(2026, 3, 5)),
        answered(D(2026, 3, 12)),
        ClockEvent(EXTENDED, D(2026, 4, 8)),  # access month runs to 10 April, erasure's to 2
    ]
    access, erasure = case_clocks.compute(["access", "erasure"], events)
    assert (access.extended, access.due) == (True, D(2026, 6, 10))
    assert (erasure.extended, erasure.due) == (False, D(2026, 4, 2))
    assert "does not apply to it" in text(erasure)
    (school,) = case_clocks.compute(["educational_record"], events)
    assert not school.extended


def test_item8_exam_marks_are_due_by_the_earlier_of_five_months_and_forty_days() -> None:
    from workflows import case_clocks
    from workflows.deadlines import RESULTS_ANNOUNCED

    asked_in_may = [received(D(2026, 5, 4)), ClockEvent(RESULTS_ANNOUNCED, D(2026, 8, 20))]
    (marks,) = case_clocks.compute(["access"], asked_in_may)
    assert (marks.clock, marks.types) == ("exam_marks", ("access",))
    assert marks.due == D(2026, 9, 29)  # 40 days after 20 August; 5 months is 4 October
    assert dict(marks.candidates) == {
        "5 months from the clock start": D(2026, 10, 4),
        "40 days from the announcement of results": D(2026, 9, 29),
    }
    assert "Thursday 20 August 2026" in text(marks) and "Sunday 4 October 2026" in text(marks)
    asked_in_march = [received(D(2026, 3, 2)), ClockEvent(RESULTS_ANNOUNCED, D(2026, 8, 20))]
    (early,) = case_clocks.compute(["access"], asked_in_march)
    assert early.due == D(2026, 8, 2)  # 5 months from 2 March comes first
    found = case_clocks.compute(["access", "erasure"], asked_in_may)
    assert [c.clock for c in found] == ["one_month", "exam_marks"]


def test_item10_warns_when_the_term_calendar_runs_out_before_school_day_15() -> None:
    summer = SchoolCalendar(terms=[(D(2026, 6, 1), D(2026, 7, 22))])
    deadline = educational_record_deadline(D(2026, 7, 15), summer)
    assert deadline.uses_fallback
    assert "22 July 2026" in deadline.warning and "too early" in deadline.warning
    covered = educational_record_deadline(D(2026, 3, 2), SchoolCalendar(terms=[SPRING_2026]))
    assert covered.warning == ""
