"""The issue's "done when": one case's life on a real SMTP server, real Redis and real RQ
workers, with the sweep run twice at every moment — exactly the expected emails, none twice."""

from __future__ import annotations

from datetime import date

import pytest

from sar_service.processes import run_worker
from tests.notify.helpers import act, on, run_sweep

ACKNOWLEDGEMENT = "We have received your request"


def deliver(app, db, d: date, hour: int = 9) -> None:
    """What cron and the workers do at a moment: two sweeps, work, and once more."""
    for _ in range(2):
        run_sweep(db, d, hour)
        with on(d, hour):
            run_worker(app, burst=True)


@pytest.mark.slow
def test_a_case_life_sends_each_notification_exactly_once(app, db, factory, inbox):
    school = factory.school("oakfield", name="Oakfield Primary School")
    factory.staff(school, "dpo", email="dpo@oakfield.example")
    caseworker = factory.staff(school, "caseworker", email="cw@oakfield.example")
    with on(date(2026, 3, 2)):
        case = factory.case(school, date(2026, 3, 2))  # Monday; due Thursday 2 April 2026
        chased = factory.case(
            school,
            date(2026, 3, 2),
            requester={
                "name": "Priya Shah",
                "email": "priya@example.com",
                "relationship": "mother",
            },
        )
    act(db, case, "assign", date(2026, 3, 2), data={"assignee": caseworker.user.email})
    act(db, chased, "request_identity", date(2026, 3, 3))
    ref, other = case.reference, chased.reference

    seen = 0

    def new_mail() -> list[tuple[str, str]]:
        nonlocal seen
        fresh = inbox.messages[seen:]
        seen = len(inbox.messages)
        return sorted(
            (m["To"], str(m["Subject"]).strip())
            for m in fresh
            if not str(m["Subject"]).startswith(ACKNOWLEDGEMENT)
        )

    moments = [
        (date(2026, 3, 2), 9, []),  # received: nothing due yet, and no digest worth sending
        (date(2026, 3, 9), 9, []),  # six days after the ID request: too early to chase
        (
            date(2026, 3, 10),
            9,
            [
                ("priya@example.com", f"We still need proof of your identity – reference {other}"),
            ],
        ),
        (date(2026, 3, 23), 6, []),  # Monday before 07:00: digests wait
        (
            date(2026, 3, 23),
            8,
            [
                ("cw@oakfield.example", "Your data-protection cases for the week of 23 March 2026"),
                (
                    "dpo@oakfield.example",
                    "Your data-protection cases for the week of 23 March 2026",
                ),
            ],
        ),
        (
            date(2026, 3, 24),
            9,
            [
                ("cw@oakfield.example", f"Reminder: {ref} is due in 7 working days (2 April 2026)"),
            ],
        ),
        (
            date(2026, 3, 26),
            9,
            [
                ("cw@oakfield.example", f"Decide on extension by 2 April 2026: {ref}"),
            ],
        ),
        (date(2026, 3, 27), 9, []),
        (
            date(2026, 3, 31),
            9,
            [  # Tuesday: no sweep ran on Monday, so the digest catches up
                ("cw@oakfield.example", f"Reminder: {ref} is due in 2 working days (2 April 2026)"),
                ("cw@oakfield.example", "Your data-protection cases for the week of 30 March 2026"),
                (
                    "dpo@oakfield.example",
                    "Your data-protection cases for the week of 30 March 2026",
                ),
            ],
        ),
        (date(2026, 4, 2), 9, [("cw@oakfield.example", f"Due today: {ref}")]),
        (
            date(2026, 4, 3),
            9,
            [  # Good Friday: overdue
                ("dpo@oakfield.example", f"Overdue: {ref} was due on 2 April 2026"),
            ],
        ),
        (date(2026, 4, 4), 9, []),  # escalated once per due date
    ]
    for day, hour, expected in moments:
        deliver(app, db, day, hour)
        assert new_mail() == sorted(expected), f"on {day} at {hour}:00"
        if day == date(2026, 3, 10):
            act(db, chased, "withdraw", date(2026, 3, 10))  # the parent gave up: no more
    assert len({m["Message-ID"] for m in inbox.messages}) == len(inbox.messages)
