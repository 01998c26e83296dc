"""POST /api/v1/schools/<slug>/questions: the conversation's answers, for a school's website."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from sar_service.models import Case, Draft
from sar_service.notices.store import import_notice

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "notices" / "corpus"
URL = "/api/v1/schools/oakfield/questions"


@pytest.fixture
def school(factory, db):
    school = factory.school("oakfield")
    path = CORPUS / "larchwood_model_pdf.pdf"
    import_notice(db, school, path.read_bytes(), path.name)
    db.commit()
    return school


def test_a_question_is_answered_with_the_quote_and_its_section(client, school):
    response = client.post(URL, json={"question": "do you use CCTV?", "language": "en"})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"intent", "answered", "answer", "quote", "section"}
    assert body["intent"] == "question" and body["answered"] is True
    assert body["section"] == "CCTV"
    assert "CCTV footage is kept for 30 days" in body["quote"]
    assert body["quote"] in body["answer"]


def test_asking_to_complain_names_the_request_it_starts(client, school):
    body = client.post(URL, json={"question": "I want to complain"}).get_json()
    assert body["intent"] == "complaint" and body["answered"] is False
    assert body["quote"] is None and body["section"] is None
    asked = client.post(URL, json={"question": "how do I complain?"}).get_json()
    assert asked["intent"] == "question" and asked["answered"] is True


def test_an_unanswered_question_is_not_queued(client, school, db):
    body = client.post(URL, json={"question": "what time does school start?"}).get_json()
    assert body == {
        "intent": "question",
        "answered": False,
        "answer": body["answer"],
        "quote": None,
        "section": None,
    }
    assert "contact the school" in body["answer"]
    assert db.scalar(select(func.count()).select_from(Draft)) == 0
    assert db.scalar(select(func.count()).select_from(Case)) == 0


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        (None, "JSON body"),
        ([], "JSON object"),
        ({}, '"question"'),
        ({"question": "   "}, '"question"'),
        ({"question": 42}, '"question"'),
        ({"question": "x" * 2001}, "longer than 2000"),
        ({"question": "hi?", "language": "not a language!"}, "language tag"),
    ],
)
def test_bad_input_is_a_problem_400(client, school, payload, detail):
    if payload is None:
        response = client.post(URL, data="question=hi", content_type="text/plain")
    else:
        response = client.post(URL, json=payload)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert detail in response.get_json()["detail"]


def test_unknown_school_is_404_and_no_notice_is_not_answered(client, factory):
    assert (
        client.post("/api/v1/schools/nope/questions", json={"question": "hi?"}).status_code == 404
    )
    factory.school("elm")
    body = client.post("/api/v1/schools/elm/questions", json={"question": "do you use CCTV?"})
    assert body.status_code == 200 and body.get_json()["answered"] is False


def test_the_endpoint_is_in_the_openapi_description(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/schools/{slug}/questions"]["post"]
    assert set(operation["responses"]) >= {"200", "400"}
    assert spec["components"]["schemas"]["Answer"]["required"] == [
        "intent", "answered", "answer", "quote", "section",
    ]  # fmt: skip
