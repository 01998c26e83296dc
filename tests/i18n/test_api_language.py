"""The public API takes and reports ``language``; a Polish request is acknowledged in Polish."""

from __future__ import annotations

from sqlalchemy import select

from sar_service.models import Case
from sar_service.processes import run_worker
from tests.factories import request_payload

MONTHS_PL = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
             "września", "października", "listopada", "grudnia"]  # fmt: skip


def test_language_is_stored_and_reported(client, factory, db):
    school = factory.school("oakfield")
    staff = factory.staff(school)
    made = client.post("/api/v1/schools/oakfield/requests", json=request_payload(language="pl"))
    assert made.status_code == 201, made.json
    assert made.json["language"] == "pl"
    case = client.get(f"/api/v1/cases/{made.json['reference']}", headers=staff.headers)
    assert case.json["language"] == "pl"
    assert db.scalar(select(Case.language)) == "pl"


def test_language_defaults_to_the_browser_then_english(client, factory):
    factory.school("oakfield")
    url = "/api/v1/schools/oakfield/requests"
    by_header = client.post(url, json=request_payload(), headers={"Accept-Language": "ar-EG"})
    assert by_header.json["language"] == "ar"
    unknown = client.post(url, json=request_payload(), headers={"Accept-Language": "xx"})
    assert unknown.json["language"] == "en"
    plain = client.post(url, json=request_payload())
    assert plain.json["language"] == "en"


def test_a_regional_tag_is_reduced_and_an_unsupported_one_kept(client, factory):
    factory.school("oakfield")
    url = "/api/v1/schools/oakfield/requests"
    assert client.post(url, json=request_payload(language="pt-BR")).json["language"] == "pt"
    assert client.post(url, json=request_payload(language="so")).json["language"] == "so"


def test_a_malformed_language_is_a_clear_422(client, factory):
    factory.school("oakfield")
    for bad in ("polish!", "12", 7, "x" * 40):
        r = client.post("/api/v1/schools/oakfield/requests", json=request_payload(language=bad))
        assert r.status_code == 422, bad
        assert "language" in r.json.get("errors", r.json).__str__()


def test_openapi_documents_language(client):
    spec = client.get("/api/v1/openapi.json").json
    props = spec["components"]["schemas"]["RequestIn"]["properties"]
    assert "language" in props and "BCP 47" in props["language"]["description"]
    assert "language" in spec["components"]["schemas"]["Case"]["properties"]


def test_a_request_made_in_polish_through_the_api_is_acknowledged_in_polish(
    app, client, factory, db, inbox
):
    factory.school("oakfield")
    made = client.post("/api/v1/schools/oakfield/requests", json=request_payload(language="pl"))
    assert made.status_code == 201
    run_worker(app, burst=True)
    case = db.scalar(select(Case))
    [message] = [m for m in inbox.messages if case.reference in m["Subject"]]
    assert message["Subject"] == f"Otrzymaliśmy Twój wniosek – numer sprawy {case.reference}"
    body = message.get_body(("plain",)).get_content()
    due = case.due_date
    assert f"Odpowiemy do {due.day} {MONTHS_PL[due.month - 1]} {due.year}." in body
    assert "Ważna jest angielska wersja listu" in body
    html = message.get_body(("html",)).get_content()
    assert '<html lang="pl"' in html and "Dziękujemy." in html
    assert "We have received" not in body


def test_the_portal_link_email_and_page_follow_the_case_language(app, client, factory, db, inbox):
    factory.school("oakfield")
    made = client.post("/api/v1/schools/oakfield/requests", json=request_payload(language="ar"))
    ref = made.json["reference"]
    run_worker(app, burst=True)
    page = client.get("/portal/new-link")
    from tests.intake.web import csrf

    client.post(
        "/portal/new-link",
        data={"csrf_token": csrf(page.text), "reference": ref, "email": "sarah.hart@example.com"},
    )
    run_worker(app, burst=True)
    [message] = [m for m in inbox.messages if "رابطك" in m["Subject"]]
    body = message.get_body(("plain",)).get_content()
    link = next(w for w in body.split() if "/portal/" in w)
    portal = client.get(link.split("://", 1)[1][link.split("://", 1)[1].index("/portal/") :])
    assert '<html lang="ar" dir="rtl">' in portal.text and "طلبك" in portal.text
