"""Demo data for `make run` and `sar demo`: a school, its staff, its privacy notice and cases.

A school trying the service should find a queue worth looking at: cases in
several states, one overdue, one paused for clarification, one waiting for
ID, with letters and gathering tasks made by the real jobs. The cases are
dated relative to today, so the demo is always current, and created through
the same validation, case service and state machine as real ones.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.cases import machine
from sar_service.cases.clocks import working_calendar
from sar_service.cases.service import create_case
from sar_service.cases.validation import validate_request
from sar_service.clock import today
from sar_service.models import CalendarEntry, Case, School, User
from sar_service.setup import create_school, create_user

DEMO_SLUG = "oakfield-primary"
DEMO_LOGIN = "dpo@oakfield.example"
CASEWORKER = "office@oakfield.example"
NOTICE = Path(__file__).with_name("privacy_notice.md")


def seed_demo(s: Session) -> tuple[str, str] | None:
    """The demo school, logins, notice, inventory and cases. Returns (email, password) if new."""
    if s.scalar(select(School).where(School.slug == DEMO_SLUG)):
        return None
    school = create_school(s, DEMO_SLUG, "Oakfield Primary School", "maintained")
    school.address = "12 Oakfield Lane\nOakfield\nNorthshire\nNS4 7QT"
    school.phone, school.email = "01632 960123", CASEWORKER
    school.dpo_name, school.dpo_email = "Dana Price", DEMO_LOGIN
    password = secrets.token_urlsafe(10)
    create_user(s, DEMO_LOGIN, "Dana Price", "dpo", DEMO_SLUG, password)
    create_user(s, CASEWORKER, "Olu Adeyemi", "caseworker", DEMO_SLUG, secrets.token_urlsafe(10))
    _demo_terms(school)
    _demo_notice_and_inventory(s, school)
    seed_cases(s, school, today())
    seed_questions(s, school)
    return DEMO_LOGIN, password


#: Two questions the conversation could not answer, one with an address to reply to.
DEMO_QUESTIONS = (
    ("Do you keep the minutes of governors' meetings where my son was discussed?",
     "s.khan@example.com"),
    ("Can I see the CCTV of the playground from last Tuesday?", ""),
)  # fmt: skip


def seed_questions(s: Session, school: School) -> None:
    """The questions inbox is not empty in the demo (through the same rules as the form)."""
    from sar_service.questions import service

    for text, email in DEMO_QUESTIONS:
        service.ask(s, school, text, email, "en")


def _demo_terms(school: School) -> None:
    """Typical English term dates for the current and next academic year."""
    year = date.today().year
    for y in (year - 1, year):
        for start, end, label in (
            (date(y, 9, 3), date(y, 12, 19), "Autumn"),
            (date(y + 1, 1, 5), date(y + 1, 3, 27), "Spring"),
            (date(y + 1, 4, 13), date(y + 1, 7, 22), "Summer"),
        ):
            school.calendar.append(CalendarEntry(kind="term", start=start, end=end, label=label))
        school.calendar.append(
            CalendarEntry(
                kind="closure", start=date(y, 9, 3), end=date(y, 9, 3), label="closed: INSET"
            )
        )


def _demo_notice_and_inventory(s: Session, school: School) -> None:
    """Import the bundled notice (so parents' questions have answers) and seed the inventory."""
    from sar_service.notices.store import import_notice
    from sar_service.records.inventory import seed_inventory

    import_notice(s, school, NOTICE.read_bytes(), NOTICE.name, imported_by="demo")
    caseworker = s.scalars(select(User).where(User.email == CASEWORKER)).one()
    dpo = s.scalars(select(User).where(User.email == DEMO_LOGIN)).one()
    for source in seed_inventory(s, school):
        source.owner_id = (dpo if source.system_kind in ("sen", "medical") else caseworker).id


#: (days ago received, payload, the actions taken since, as (action, days after receipt, extra)).
DEMO_CASES: list[tuple[int, dict, list[tuple[str, int, dict]]]] = [
    (
        3,
        {
            "types": ["access"],
            "channel": "web",
            "requester": {"name": "Sarah Hart", "email": "sarah.hart@example.com",
                          "relationship": "mother"},
            "subject": {"name": "Amelia Hart", "date_of_birth": "2016-03-14", "year_group": "5"},
            "details": {"access": {"which": "Everything you hold about Amelia since September."}},
        },
        [("verify_identity", 1, {}), ("assign", 1, {"assignee": CASEWORKER})],
    ),
    (
        8,
        {
            "types": ["educational_record"],
            "channel": "email",
            "requester": {"name": "David Okoro", "email": "d.okoro@example.com",
                          "relationship": "father"},
            "subject": {"name": "Tobi Okoro", "date_of_birth": "2015-11-02", "year_group": "6"},
            "details": {"educational_record": {}},
        },
        [("verify_identity", 0, {})],
    ),
    (
        40,
        {
            "types": ["access"],
            "channel": "letter",
            "requester": {"name": "Karen Walsh", "email": "karen.walsh@example.com",
                          "relationship": "mother"},
            "subject": {"name": "Liam Walsh", "date_of_birth": "2014-06-21", "year_group": "6"},
            "details": {"access": {"which": "Emails about Liam's behaviour this year."}},
        },
        [("verify_identity", 2, {}), ("assign", 2, {"assignee": DEMO_LOGIN})],
    ),
    (
        12,
        {
            "types": ["access"],
            "channel": "web",
            "requester": {"name": "Priya Nair", "email": "priya.nair@example.com",
                          "relationship": "mother"},
            "subject": {"name": "Maya Nair", "date_of_birth": "2018-01-09", "year_group": "3"},
            "details": {"access": {"scope": "What Google Classroom holds about Maya."}},
        },
        # The Art 12A pause is for access requests only (LEGAL.md rule 6).
        [("request_clarification", 2,
          {"reason": "Which uses of Google Classroom: homework only, or class photos too?"})],
    ),
    (
        5,
        {
            "types": ["erasure", "withdraw_consent"],
            "channel": "phone",
            "requester": {"name": "Tom Bradley", "phone": "07700 900123",
                          "email": "tom.bradley@example.com", "relationship": "father"},
            "subject": {"name": "Ella Bradley", "date_of_birth": "2019-05-30", "year_group": "2"},
            "details": {"erasure": {"what": "Ella's photo on the school website."},
                        "withdraw_consent": {"consent": "Photos on the website and social media."}},
        },
        [("request_identity", 0, {})],
    ),
    (
        2,
        {
            "types": ["rectification"],
            "channel": "in_person",
            "requester": {"name": "Grace Mensah", "email": "grace.mensah@example.com",
                          "relationship": "mother"},
            "subject": {"name": "Kofi Mensah", "date_of_birth": "2017-09-12", "year_group": "4"},
            "details": {"rectification": {"current": "Date of birth shown as 21/09/2017.",
                                          "correction": "It should be 12/09/2017."}},
        },
        [],
    ),
]  # fmt: skip


def seed_cases(s: Session, school: School, on: date) -> list[Case]:
    """Create the demo cases as if each arrived ``days ago`` and was worked since."""
    dpo = s.scalars(select(User).where(User.email == DEMO_LOGIN)).one()
    calendar = working_calendar()
    made = []
    for days_ago, payload, actions in DEMO_CASES:
        received = calendar.working_days_before(on, days_ago) if days_ago else on
        validated = validate_request(
            {**payload, "received_on": received.isoformat()},
            school_kind=school.kind,
            today=on,
            staff=True,
        )
        if validated.errors:
            raise ValueError(f"demo case is invalid: {validated.errors}")
        case = create_case(s, school, validated.data, machine.Actor("Demo data", "dpo", dpo.id))
        for action, after, extra in actions:
            extra = dict(extra)
            reason = extra.pop("reason", "")
            when = min(received + timedelta(days=after), on)
            actor = machine.Actor.staff(dpo, case)
            machine.apply(s, case, machine.Request(action, when, reason, extra), actor)
        made.append(case)
    return made
