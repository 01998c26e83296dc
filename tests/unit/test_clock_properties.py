"""Property tests (Hypothesis) over random event sequences: the invariants LEGAL.md's
"What the record may not do" asks of the clocks, checked on the pure engine.

Events are generated in the order staff would record them (dates never go back
by more than a few days, and same-day events come in any order).
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from workflows import case_clocks
from workflows.deadlines import (
    AUTHORITY_CONFIRMED,
    CLARIFICATION_LAPSED,
    CLARIFICATION_RECEIVED,
    CLARIFICATION_REQUESTED,
    EXTENDED,
    FEE_RECEIVED,
    IDENTITY_REQUESTED,
    IDENTITY_VERIFIED,
    RECEIVED,
    ClockEvent,
    statutory_deadline,
)

KINDS = [
    CLARIFICATION_REQUESTED,
    CLARIFICATION_RECEIVED,
    CLARIFICATION_REQUESTED,
    CLARIFICATION_RECEIVED,
    IDENTITY_REQUESTED,
    IDENTITY_VERIFIED,
    AUTHORITY_CONFIRMED,
    FEE_RECEIVED,
    EXTENDED,
    CLARIFICATION_LAPSED,
]
QUESTIONS = {CLARIFICATION_REQUESTED, CLARIFICATION_RECEIVED, CLARIFICATION_LAPSED}


@st.composite
def sequences(draw, kinds=KINDS, max_events: int = 8):
    """A received event, then up to `max_events` events on days that mostly move forward."""
    received = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 5 * 365)))
    events, day = [ClockEvent(RECEIVED, received)], received
    for _ in range(draw(st.integers(0, max_events))):
        day += timedelta(days=draw(st.sampled_from([0, 0, 0, 1, 2, 5, 12, 30])))
        events.append(ClockEvent(draw(st.sampled_from(kinds)), day))
    return events


def close_all(events: list[ClockEvent]) -> list[ClockEvent]:
    """The same record with an answer after everything (the last question answered)."""
    return [*events, ClockEvent(CLARIFICATION_RECEIVED, events[-1].on)]


def same_day_shuffles(events: list[ClockEvent], draw) -> list[ClockEvent]:
    """Reorder events within each day, keeping the day order and the very last event last."""
    *head, last = events
    by_day: dict[date, list[ClockEvent]] = {}
    for e in head:
        by_day.setdefault(e.on, []).append(e)
    out = []
    for day in sorted(by_day):
        out += draw(st.permutations(by_day[day]))
    return [*out, last]


@settings(max_examples=200, deadline=None)
@given(sequences(), st.data())
def test_every_pause_closes_whatever_the_order_of_same_day_events(events, data):
    closed = close_all(events)
    as_of = closed[-1].on + timedelta(days=400)
    expected = statutory_deadline(closed, as_of=as_of, explain=False)
    assert not expected.paused
    shuffled = same_day_shuffles(closed, data.draw)
    again = statutory_deadline(shuffled, as_of=as_of, explain=False)
    assert not again.paused
    assert (again.due, again.paused_days) == (expected.due, expected.paused_days)


@settings(max_examples=200, deadline=None)
@given(sequences())
def test_no_day_is_paused_twice(events):
    """Paused days never exceed the days from the first question to the last event."""
    asked = [e.on for e in events if e.kind == CLARIFICATION_REQUESTED]
    deadline = statutory_deadline(close_all(events), explain=False)
    if not asked:
        assert deadline.paused_days == 0
        return
    span = (events[-1].on - min(asked)).days + 1
    assert 0 <= deadline.paused_days <= span


def _lawful_if_later(before, prefix: list[ClockEvent], event: ClockEvent) -> bool:
    """Whether `event` may move the due date later than `before` (LEGAL.md)."""
    if event.kind in QUESTIONS:
        return True  # a pause (dropped by the engine if asked after the end)
    if event.kind == IDENTITY_VERIFIED:
        asked = [e.on for e in prefix if e.kind == IDENTITY_REQUESTED and e.on <= event.on]
        return event.on <= before.due or bool(asked)
    if event.kind in (AUTHORITY_CONFIRMED, FEE_RECEIVED):
        return event.on <= before.due
    if event.kind == EXTENDED:
        return event.on <= before.original_due
    return False  # asking for ID never moves the date by itself


@settings(max_examples=200, deadline=None)
@given(sequences())
def test_the_due_date_never_moves_later_without_a_lawful_recorded_event(events):
    for i in range(1, len(events)):
        prefix, event = events[:i], events[i]
        before = statutory_deadline(prefix, as_of=event.on, explain=False)
        after = statutory_deadline([*prefix, event], as_of=event.on, explain=False)
        if after.due > before.due:
            assert _lawful_if_later(before, prefix, event), (event, before.due, after.due)
        too_late = event.on > before.due  # too late to pause, extend or ask for ID
        if too_late and event.kind in (EXTENDED, CLARIFICATION_REQUESTED, IDENTITY_REQUESTED):
            assert after.due <= before.due, (event, before.due, after.due)


@settings(max_examples=200, deadline=None)
@given(sequences(), st.integers(1, 120))
def test_an_overdue_clock_stays_overdue_whatever_is_recorded_later(events, late_by):
    received_only = events[:1]
    due = statutory_deadline(received_only, explain=False).due
    today = due + timedelta(days=late_by)
    later = [ClockEvent(e.kind, today) for e in events[1:]]  # everything recorded once late
    for kind in (IDENTITY_VERIFIED, AUTHORITY_CONFIRMED, FEE_RECEIVED):
        later = [e for e in later if e.kind != kind]  # restarts need an in-time request: below
    after = statutory_deadline([*received_only, *later], as_of=today, explain=False)
    assert after.due < today, "recorded overdue, and still overdue"
    asked_late = [*received_only, ClockEvent(IDENTITY_REQUESTED, today)]
    arrived = statutory_deadline(
        [*asked_late, ClockEvent(IDENTITY_VERIFIED, today)], as_of=today, explain=False
    )
    assert arrived.due == due


@settings(max_examples=150, deadline=None)
@given(sequences())
def test_a_right_without_a_pause_never_moves_for_a_clarification(events):
    without = [e for e in events if e.kind not in QUESTIONS]
    as_of = events[-1].on
    for names in (["erasure"], ["rectification", "objection"], ["educational_record"]):
        with_questions = case_clocks.compute(names, events, as_of=as_of, explain=False)
        plain = case_clocks.compute(names, without, as_of=as_of, explain=False)
        assert [c.due for c in with_questions] == [c.due for c in plain]
        assert all(c.paused_days == 0 and not c.paused for c in with_questions)
