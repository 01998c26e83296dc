"""Issue 12 item 9 (rest): a request counts from when it is received, so none is dropped or
delayed; doubtful ones are confirmed by a link or shown to staff as "needs a look", kept out
of reminders until a person decides, and the decision is recorded.

Real parts only: the public API and the web form through Flask's client, the bundled Redis
for the per-address counts, a real RQ worker and the loopback SMTP server for the
acknowledgement, the real sweep for reminders.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from sar_service.cases import look, machine
from sar_service.db import Base
from sar_service.models import Case
from sar_service.portal.links import case_from_confirm_token
from sar_service.processes import run_worker
from tests.factories import request_payload
from tests.intake.web import Journey, answer_common, csrf
from tests.intake.web import text as page_text
from tests.notify.helpers import act, case_events, notifications, on, run_sweep

RECEIVED = date(2026, 3, 2)  # Monday; a one-month access request is due Thursday 2 April
SPAM_NAME = "Buy cheap pills at http://spam.example"
URL = "/api/v1/schools/oakfield/requests"


@pytest.fixture
def school(factory):
    school = factory.school("oakfield", name="Oakfield Primary School")
    factory.staff(school, "dpo", email="dpo@oakfield.example")
    return school


def public_request(client, name="Sarah Hart", email="sarah.hart@example.com", addr="10.0.0.1"):
    payload = request_payload(
        requester={"name": name, "email": email, "relationship": "mother"}
    ) | {"language": "en"}
    return client.post(URL, json=payload, environ_base={"REMOTE_ADDR": addr})


def case_of(db, response) -> Case:
    assert response.status_code == 201, response.get_json()
    db.expire_all()
    return db.scalar(select(Case).where(Case.reference == response.get_json()["reference"]))


def acknowledgements(inbox) -> list[str]:
    return [
        m.get_body(("plain",)).get_content()
        for m in inbox.messages
        if "We have received your request" in m["Subject"]
    ]


def confirm_link(body: str, base: str) -> str:
    link = next(w for w in body.split() if "/portal/confirm?" in w)
    return link.removeprefix(base)


def press_confirm(client, link: str):
    """Open the confirm page and press its one button, as the requester would."""
    page = client.get(link)
    assert page.status_code == 200
    form = {"csrf_token": csrf(page.text), "t": link.partition("?t=")[2]}
    return client.post("/portal/confirm", data=form)


# --- the quoted finding ------------------------------------------------------------------------


def test_the_spam_named_request_is_flagged_not_reminded_and_not_greeted_by_its_link(
    app, client, db, school, inbox
):
    """ "15 of 15 anonymous requests accepted, each creating … DPO reminders, and an email
    'Dear Buy cheap pills at http://spam.example'"."""
    with on(RECEIVED):
        spam = case_of(db, public_request(client, name=SPAM_NAME, addr="10.0.0.1"))
        real = case_of(db, public_request(client, email="other@example.com", addr="10.0.0.2"))
        run_worker(app, burst=True)

    # accepted and dated from receipt: nothing dropped or delayed
    assert spam.received_on == RECEIVED and spam.due_date == real.due_date

    # the acknowledgement still goes, but greets neutrally
    bodies = acknowledgements(inbox)
    assert len(bodies) == 2
    spam_body = next(b for b in bodies if spam.reference in b)
    assert "Dear Buy cheap pills" not in spam_body and "spam.example" not in spam_body
    assert spam_body.startswith("Hello,")
    assert next(b for b in bodies if real.reference in b).startswith("Dear Sarah Hart,")

    # the real requester confirms (a request never confirmed needs a look too)
    real_body = next(b for b in bodies if real.reference in b)
    with on(RECEIVED):
        press_confirm(client, confirm_link(real_body, app.config["SAR_SETTINGS"].base_url))

    # no DPO reminder, escalation or extension decision while it needs a look
    for day in (date(2026, 3, 24), date(2026, 3, 26), date(2026, 4, 2), date(2026, 4, 6)):
        run_sweep(db, day)
    assert {n.case_id for n in notifications(db)} == {real.id}

    # flagged, with its reason (never the words that triggered it)
    db.expire_all()
    spam, real = db.get(Case, spam.id), db.get(Case, real.id)
    assert spam.needs_look and spam.look_reasons[0] == look.LINK_IN_NAME
    assert not real.needs_look
    flagged = case_events(db, spam, "needs_look")
    assert flagged[0].data == {"reasons": [look.LINK_IN_NAME]}
    assert all("spam.example" not in e.reason for e in flagged)

    # a person decides it is genuine: it leaves the list and the plan catches up
    dpo = machine.Actor(label="Dana DPO", role="dpo", user_id=None)
    with on(date(2026, 4, 7)):
        machine.apply(
            db, db.get(Case, spam.id), machine.Request("look_genuine", reason="Rang her"), dpo
        )
        db.commit()
    run_sweep(db, date(2026, 4, 7))
    assert [n.kind for n in notifications(db) if n.case_id == spam.id] == ["overdue"]


def test_links_and_email_addresses_in_names_are_signals():
    assert look.name_signals("Sarah Hart") == []
    assert look.name_signals("Anne-Marie O'Neil-Smith Jr.") == []
    assert look.name_signals(SPAM_NAME) == [look.LINK_IN_NAME]
    assert look.name_signals("visit www.pills.example now") == [look.LINK_IN_NAME]
    assert look.name_signals("Sarah", "spam@pills.example") == [look.EMAIL_IN_NAME]


# --- many requests ----------------------------------------------------------------------------


def test_many_requests_from_one_address_are_flagged_and_none_is_refused_silently(
    client, db, school
):
    with on(RECEIVED):
        cases = [
            case_of(db, public_request(client, email=f"p{n}@example.com", addr="10.9.9.9"))
            for n in range(10)
        ]
        refused = public_request(client, email="p10@example.com", addr="10.9.9.9")
    # the first three from one address are ordinary, the rest need a look
    assert [c.needs_look for c in cases] == [False] * 3 + [True] * 7
    assert look.MANY_FROM_ADDRESS in cases[3].look_reasons
    # the tenth used up the address's request limit; the eleventh is told, not dropped
    assert look.REACHED_LIMIT in cases[9].look_reasons
    assert look.REACHED_LIMIT not in cases[8].look_reasons
    assert refused.status_code == 429 and refused.headers["Retry-After"]


def test_many_requests_with_one_email_address_are_flagged(client, db, school):
    with on(RECEIVED):
        cases = [case_of(db, public_request(client, addr=f"10.0.1.{n}")) for n in range(5)]
    assert [c.needs_look for c in cases] == [False, False, False, True, True]
    assert cases[3].look_reasons == [look.MANY_TO_EMAIL]


def test_the_web_form_flags_a_link_in_the_name(client, db, school):
    j = Journey(client, environ={"REMOTE_ADDR": "10.0.2.1"})
    answer_common(j, "send me everything", ["access"])
    j.answer("your-name", {"requester.name": SPAM_NAME})
    j.answer("access", {"details.access.what": "Everything"})
    j.answer("identity", {"identity.method": "in_person"})
    assert j.submit().location.endswith("/done")
    case = db.scalar(select(Case))
    assert case.needs_look and case.look_reasons == [look.LINK_IN_NAME]


# --- confirm it was you ------------------------------------------------------------------------


def test_the_confirm_link_works_once_and_a_get_changes_nothing(app, client, db, school, inbox):
    base = app.config["SAR_SETTINGS"].base_url
    with on(RECEIVED):
        case = case_of(db, public_request(client))
        run_worker(app, burst=True)
        (body,) = acknowledgements(inbox)
        link = confirm_link(body, base)
        token = link.partition("?t=")[2]

        page = client.get(link)  # what a mail scanner does: nothing is recorded
        assert page.status_code == 200 and case.reference in page.text
        db.expire_all()
        assert db.get(Case, case.id).confirmed_at is None

        form = {"csrf_token": csrf(page.text), "t": token}
        done = client.post("/portal/confirm", data=form)
        assert done.status_code == 200 and "You have confirmed" in page_text(done.text)
        again = client.post("/portal/confirm", data=form)
        assert again.status_code == 200
    db.expire_all()
    assert db.get(Case, case.id).confirmed_at is not None
    assert len(case_events(db, case, "confirmed_by_requester")) == 1
    assert token not in _every_row(app), "the confirm token is stored somewhere"


def test_a_forged_or_expired_confirm_link_is_refused_plainly(app, client, db, school, inbox):
    base = app.config["SAR_SETTINGS"].base_url
    with on(RECEIVED):
        case = case_of(db, public_request(client))
        run_worker(app, burst=True)
        link = confirm_link(acknowledgements(inbox)[0], base)
        token = link.partition("?t=")[2]
        for bad in (link[:-3] + "abc", "/portal/confirm?t=nonsense", "/portal/confirm"):
            page = client.get(bad)
            assert page.status_code == 404 and "This link does not work" in page.text
        page = client.get(link)
        forged = {"csrf_token": csrf(page.text), "t": token[:-3] + "abc"}
        posted = client.post("/portal/confirm", data=forged)
        assert posted.status_code == 404 and "This link does not work" in posted.text
    with on(RECEIVED + timedelta(days=29)), app.app_context():
        assert case_from_confirm_token(db, token).id == case.id
    with on(RECEIVED + timedelta(days=31)):
        expired = client.get(link)
        with app.app_context():
            assert case_from_confirm_token(db, token) is None  # what the POST checks too
    assert expired.status_code == 404 and "This link does not work" in expired.text
    db.expire_all()
    assert db.get(Case, case.id).confirmed_at is None


def test_staff_entered_requests_get_no_confirm_link(app, db, factory, school, inbox):
    with on(RECEIVED):
        factory.case(school, RECEIVED)
        run_worker(app, burst=True)
    (body,) = acknowledgements(inbox)
    assert "/portal/confirm" not in body and body.startswith("Dear Sarah Hart,")


# --- never confirmed ---------------------------------------------------------------------------


def test_a_request_never_confirmed_is_flagged_by_the_sweep_after_the_window(
    app, client, db, factory, school
):
    with on(RECEIVED):
        public = case_of(db, public_request(client))
        staff_entered = factory.case(school, RECEIVED)
    run_sweep(db, RECEIVED + timedelta(days=6))
    db.expire_all()
    assert not db.get(Case, public.id).needs_look
    report = run_sweep(db, RECEIVED + timedelta(days=8))
    db.expire_all()
    assert report.looked == 1
    assert db.get(Case, public.id).look_reasons == [look.UNCONFIRMED]
    assert not db.get(Case, staff_entered.id).needs_look
    run_sweep(db, RECEIVED + timedelta(days=9))  # flagged once
    assert len(case_events(db, public, "needs_look")) == 1

    # a late click takes it off the list (its only reason was the missing click)
    with on(RECEIVED + timedelta(days=10)):
        case = db.get(Case, public.id)
        assert look.confirm(case, case.created_at + timedelta(days=10))
        db.commit()
    assert not db.get(Case, public.id).needs_look


def test_the_window_is_configurable(app, client, db, school):
    settings = app.config["SAR_SETTINGS"]
    before = settings.unconfirmed_look_days
    settings.unconfirmed_look_days = 2
    try:
        with on(RECEIVED):
            case = case_of(db, public_request(client))
        with app.app_context():
            run_sweep(db, RECEIVED + timedelta(days=3))
    finally:
        settings.unconfirmed_look_days = before
    db.expire_all()
    assert db.get(Case, case.id).needs_look


# --- deciding ----------------------------------------------------------------------------------


def test_not_a_real_request_closes_with_the_reason_as_a_recorded_decision(
    client, db, school, factory
):
    worker = factory.staff(school, "caseworker", email="cw@oakfield.example")
    with on(RECEIVED):
        case = case_of(db, public_request(client, name=SPAM_NAME))
        actor = machine.Actor.staff(worker.user, case)
        with pytest.raises(machine.InvalidInput):  # a reason is required
            machine.apply(db, case, machine.Request("not_a_request"), actor)
        machine.apply(
            db, case, machine.Request("not_a_request", reason="Advert, not a request"), actor
        )
        db.commit()
    db.expire_all()
    case = db.get(Case, case.id)
    assert case.status == "closed" and not case.needs_look
    assert case.look_decision == "not_a_request"
    (event,) = case_events(db, case, "not_a_request")
    assert event.actor_id == worker.user.id and event.reason == "Advert, not a request"
    assert event.at is not None and event.data["reasons"] == [look.LINK_IN_NAME]
    assert event.data["decision"] == "not_a_request"


def test_the_decisions_are_offered_only_for_a_case_that_needs_a_look(db, factory, school):
    with on(RECEIVED):
        case = factory.case(school, RECEIVED)
    offered = {t.action for t in machine.allowed_actions(case, "dpo")}
    assert "look_genuine" not in offered and "not_a_request" not in offered
    with pytest.raises(machine.NotAllowed):
        act(db, case, "look_genuine", RECEIVED, reason="Looks fine")
    with on(RECEIVED):
        look.flag(case, [look.MANY_TO_EMAIL])
        db.commit()
    offered = {t.action for t in machine.allowed_actions(case, "caseworker")}
    assert {"look_genuine", "not_a_request"} <= offered
    assert not {t.action for t in machine.allowed_actions(case, "viewer")} & offered


def test_an_id_chase_waits_for_the_decision(db, factory, school):
    with on(RECEIVED):
        case = factory.case(school, RECEIVED)
    act(db, case, "request_identity", RECEIVED)
    with on(RECEIVED):
        look.flag(db.get(Case, case.id), [look.EMAIL_IN_NAME])
        db.commit()
    run_sweep(db, RECEIVED + timedelta(days=20))
    assert notifications(db, "id_chase") == []
    act(db, db.get(Case, case.id), "look_genuine", RECEIVED + timedelta(days=21), reason="Known")
    run_sweep(db, RECEIVED + timedelta(days=21))
    assert len(notifications(db, "id_chase")) == 1


def test_an_unsent_reminder_is_cancelled_when_the_case_is_flagged(db, factory, school):
    with on(RECEIVED):
        case = factory.case(school, RECEIVED)
    run_sweep(db, date(2026, 3, 26), hour=6)  # planned; not sent (no worker runs)
    planned = [n.status for n in notifications(db)]
    assert planned and set(planned) == {"pending"}
    with on(date(2026, 3, 26)):
        look.flag(db.get(Case, case.id), [look.MANY_FROM_ADDRESS])
        db.commit()
    run_sweep(db, date(2026, 3, 26), hour=7)
    assert [n.status for n in notifications(db)] == ["cancelled"] * len(planned)


def _every_row(app) -> str:
    """Every value of every table, as one text, to show a secret is stored nowhere."""
    with app.extensions["sar.db"].engine.connect() as conn:
        return "\n".join(
            repr(tuple(row))
            for table in Base.metadata.sorted_tables
            for row in conn.execute(table.select())
        )


def test_the_confirm_page_speaks_the_requesters_language(app, client, db, school, inbox):
    payload = request_payload() | {"language": "pl"}
    with on(RECEIVED):
        case = case_of(db, client.post(URL, json=payload))
        run_worker(app, burst=True)
        (body,) = [
            m.get_body(("plain",)).get_content()
            for m in inbox.messages
            if case.reference in m["Subject"]
        ]
        assert "Prosimy potwierdzić, że to Ty złożyłeś(-aś) ten wniosek:" in body
        page = client.get(confirm_link(body, app.config["SAR_SETTINGS"].base_url))
        assert "Tak, to ja złożyłem(-am) ten wniosek" in page.text
        done = press_confirm(client, confirm_link(body, app.config["SAR_SETTINGS"].base_url))
    assert f"Potwierdziłeś(-aś) wniosek {case.reference}." in page_text(done.text)


def test_the_case_json_says_it_needs_a_look_and_offers_the_decisions(client, db, factory, school):
    staff = factory.staff(school, "caseworker")
    with on(RECEIVED):
        case = case_of(db, public_request(client, name=SPAM_NAME))
        got = client.get(f"/api/v1/cases/{case.reference}", headers=staff.headers).get_json()
        assert got["needs_look"] is True and got["look_reasons"] == [look.LINK_IN_NAME]
        assert {"look_genuine", "not_a_request"} <= set(got["allowed_actions"])
        done = client.post(
            f"/api/v1/cases/{case.reference}/actions",
            json={"action": "not_a_request", "reason": "An advert"},
            headers=staff.headers,
        )
    assert done.status_code == 200 and done.get_json()["status"] == "closed"
    assert done.get_json()["needs_look"] is False
