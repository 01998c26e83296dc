"""Once overdue, always recorded: random action sequences through the state machine, on
a real database, never clear the day a clock was first overdue (Hypothesis)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sar_service.cases import clocks, machine
from sar_service.clock import LONDON
from workflows.states import ACTIVE

ACTIONS = [
    ("request_clarification", {"reason": "Which years?"}),
    ("clarification_received", {}),
    ("extend", {"reason": "Complex"}),
    ("request_identity", {"reason": "Name differs"}),
    ("verify_identity", {}),
    ("start_review", {}),
    ("submit_for_signoff", {}),
    ("respond", {}),
    ("reopen", {"reason": "Complaint"}),
    ("withdraw", {}),
    ("refuse", {"reason": "Manifestly excessive"}),
]
steps = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from(range(len(ACTIONS)))), min_size=1, max_size=8
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps, types=st.sampled_from([("access",), ("access", "erasure"), ("erasure",)]))
def test_the_first_overdue_day_is_kept_whatever_happens_next(db, factory, steps, types):
    school = factory.school(f"s{abs(hash((tuple(steps), types))) % 10**8}")
    dpo = factory.staff(school, "dpo")
    received = date(2026, 9, 1)
    with time_machine.travel(datetime(2026, 9, 1, 12, tzinfo=LONDON), tick=False):
        case = factory.case(school, received, types=types)
    day, kept = received, {}
    for gap, index in steps:
        day += timedelta(days=gap)
        action, extra = ACTIONS[index]
        with time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)):
            active = case.status in {s.value for s in ACTIVE}
            due = clocks.compute(case, as_of=day).earliest_due
            try:
                machine.apply(
                    db, case, machine.Request(action, on=day, **extra),
                    machine.Actor.staff(dpo.user, case),
                )  # fmt: skip
                db.commit()
            except machine.TransitionError:
                db.rollback()
                continue
        for row in case.clock_rows:
            key = (row.kind, row.types)
            if key in kept:
                assert row.was_overdue_on == kept[key], "the overdue day never changes"
            elif row.was_overdue_on:
                kept[key] = row.was_overdue_on
        if active and due and day > due:
            assert case.was_overdue_on is not None and case.was_overdue_on <= day
