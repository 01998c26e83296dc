"""The identity chase reaches a Polish-speaking parent in Polish (real SMTP, real worker)."""

from __future__ import annotations

from datetime import date

import pytest

from sar_service.processes import run_worker
from tests.notify.helpers import act, on, run_sweep

RECEIVED, DUE = date(2026, 3, 2), date(2026, 4, 2)


@pytest.fixture
def school(factory):
    return factory.school(
        "oakfield", name="Oakfield Primary School", dpo_email="dpo@oakfield.example"
    )


@pytest.fixture
def dpo(factory, school):
    return factory.staff(school, "dpo", email="dpo@oakfield.example")


@pytest.fixture
def caseworker(factory, school):
    return factory.staff(school, "caseworker", email="cw@oakfield.example")


@pytest.fixture
def case(db, factory, school, dpo, caseworker):
    with on(RECEIVED):
        case = factory.case(school, RECEIVED)
    act(db, case, "assign", RECEIVED, data={"assignee": caseworker.user.email})
    return case


def work(app, d: date, hour: int = 9) -> None:
    with on(d, hour):
        run_worker(app, burst=True)


def to(inbox, address: str, about: str = "") -> list:
    """Messages to ``address`` whose subject starts with ``about``."""
    return [
        m
        for m in inbox.messages
        if m["To"] == address and str(m["Subject"]).strip().startswith(about)
    ]


def subjects(messages) -> list[str]:
    return [str(m["Subject"]).strip() for m in messages]


BASE = "http://127.0.0.1:5000"


def case_link(app, case) -> str:
    """The absolute link to ``case``'s staff page, checked against the app's own routes."""
    url = f"{BASE}/staff/cases/{case.school.slug}/{case.reference}"
    endpoint, values = app.url_map.bind("").match(url.removeprefix(BASE))
    assert (endpoint, values) == (
        "staff.case_page",
        {"school": case.school.slug, "reference": case.reference},
    )
    return url


def test_id_chase_is_in_the_parents_language(app, db, inbox, case):
    case.language = "pl"
    db.commit()
    act(db, case, "request_identity", date(2026, 3, 3))
    run_sweep(db, date(2026, 3, 10))
    work(app, date(2026, 3, 10))
    [message] = [m for m in to(inbox, "sarah.hart@example.com") if "tożsamości" in m["Subject"]]
    assert message["Subject"] == (
        f"Nadal potrzebujemy dokumentu tożsamości – numer sprawy {case.reference}"
    )
    text = message.get_body(("plain",)).get_content()
    assert "Dzień dobry Sarah Hart," in text
    assert "wtorek, 3 marca 2026 poprosiliśmy Cię o dokument tożsamości" in text
    assert "http://127.0.0.1:5000/portal/" in text
    assert '<html lang="pl"' in message.get_body(("html",)).get_content()
