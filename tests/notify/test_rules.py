"""When reminders fall due: working-day offsets, weekends, bank holidays, school settings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sar_service.cases.clocks import working_calendar
from sar_service.notify import rules

CAL = working_calendar()  # the calendar the sweep counts with
DUE = date(2026, 4, 2)  # Thursday; Good Friday 3 April and Easter Monday 6 April follow


def stage(today: date, due: date = DUE, offsets=rules.DEFAULT_OFFSETS):
    return rules.reminder_stage(due, today, offsets, CAL)


def test_default_offsets_fall_on_7_and_2_working_days_before_and_on_the_day():
    assert CAL.working_days_before(DUE, 7) == date(2026, 3, 24)
    assert CAL.working_days_before(DUE, 2) == date(2026, 3, 31)
    assert CAL.working_days_before(DUE, 0) == DUE


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 23), None),  # before the first reminder
        (date(2026, 3, 24), 7),
        (date(2026, 3, 28), 7),  # a Saturday in the 7-day stage
        (date(2026, 3, 31), 2),
        (date(2026, 4, 1), 2),
        (date(2026, 4, 2), 0),
        (date(2026, 4, 3), None),  # overdue: escalation's turn, not a reminder
    ],
)
def test_only_the_stage_that_has_arrived_is_due(today, expected):
    assert stage(today) == expected


def test_a_case_first_seen_late_gets_the_latest_stage_not_a_stale_one():
    # Logged on 31 March, two working days before the deadline: no "7 days" reminder.
    assert stage(date(2026, 3, 31)) == 2


def test_bank_holidays_and_weekends_are_skipped_when_counting_back():
    due = date(2026, 4, 7)  # Tuesday after Easter Monday
    assert CAL.working_days_before(due, 1) == date(2026, 4, 2)  # not Mon 6 or Fri 3 April
    assert CAL.working_days_before(due, 2) == date(2026, 4, 1)
    assert CAL.working_days_before(date(2026, 12, 29), 2) == date(2026, 12, 23)  # Christmas


def test_due_date_on_a_weekend_is_reminded_on_the_day_itself():
    saturday = date(2026, 3, 28)  # complaint acknowledgements are not rolled
    assert stage(saturday, due=saturday) == 0
    assert CAL.working_days_before(saturday, 2) == date(2026, 3, 26)


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, (7, 2, 0)),
        ({"reminders": {"before_working_days": [10, 3]}}, (10, 3)),
        ({"reminders": {"before_working_days": [0, 5, 5, 1]}}, (5, 1, 0)),
        ({"reminders": {"before_working_days": []}}, ()),  # reminders switched off
        ({"reminders": {"before_working_days": ["7", -1, 99, True]}}, (7, 2, 0)),
        ({"reminders": {"before_working_days": "7,2"}}, (7, 2, 0)),
        ({"reminders": None}, (7, 2, 0)),
    ],
)
def test_offsets_come_from_the_school_settings(settings, expected):
    assert rules.offsets_for(settings) == expected


def test_reconfigured_offsets_change_the_stages():
    offsets = rules.offsets_for({"reminders": {"before_working_days": [10, 3]}})
    assert stage(date(2026, 3, 19), offsets=offsets) == 10  # 10 working days before
    assert stage(date(2026, 3, 27), offsets=offsets) == 10
    assert stage(date(2026, 3, 30), offsets=offsets) == 3
    assert stage(DUE, offsets=offsets) == 3  # no "on the day" stage configured


def test_extension_decision_window_is_the_last_five_working_days_of_the_first_month():
    assert not rules.extension_decision_due(DUE, date(2026, 3, 25), CAL)
    assert rules.extension_decision_due(DUE, date(2026, 3, 26), CAL)
    assert rules.extension_decision_due(DUE, DUE, CAL)
    assert not rules.extension_decision_due(DUE, date(2026, 4, 3), CAL)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (datetime(2026, 3, 9, 6, 59, tzinfo=UTC), None),  # Monday 06:59 London (GMT)
        (datetime(2026, 3, 9, 7, 0, tzinfo=UTC), ("2026-W11", date(2026, 3, 9))),
        (datetime(2026, 3, 11, 15, 0, tzinfo=UTC), ("2026-W11", date(2026, 3, 9))),
        # British Summer Time: 06:30 UTC is 07:30 in London.
        (datetime(2026, 6, 1, 6, 30, tzinfo=UTC), ("2026-W23", date(2026, 6, 1))),
        (datetime(2026, 6, 1, 5, 30, tzinfo=UTC), None),
        # Sunday 23:30 UTC in summer is already Monday 00:30 in London: too early still.
        (datetime(2026, 5, 31, 23, 30, tzinfo=UTC), None),
    ],
)
def test_digest_is_due_from_monday_seven_in_london(at, expected):
    assert rules.digest_week(at) == expected


def test_horizon_covers_every_offset():
    today = date(2026, 3, 20)
    end = rules.horizon(today, 7, CAL)
    assert CAL.working_days_before(end, 7) > today
