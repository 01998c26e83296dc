"""Letters through the JSON API: list, generate, download; tenancy and bad input."""

from __future__ import annotations

import io

import docx

from sar_service.clock import today
from sar_service.letters.service import DOCX

PROBLEM = "application/problem+json"


def url(case, suffix: str = "") -> str:
    return f"/api/v1/cases/{case.reference}/letters{suffix}"


def test_generate_list_and_download(client, factory, letterhead_school):
    staff = factory.staff(letterhead_school, "caseworker")
    case = factory.case(letterhead_school, today())
    created = client.post(url(case), json={"kind": "identity_request"}, headers=staff.headers)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["kind"] == "identity_request" and body["version"] == 1
    assert body["filename"] == f"{case.reference}-identity_request-v1.docx"
    assert body["created_by"] == staff.user.name and body["size"] > 5000
    again = client.post(url(case), json={"kind": "identity_request"}, headers=staff.headers)
    assert again.get_json()["version"] == 2

    listed = client.get(url(case), headers=staff.headers).get_json()["items"]
    assert [(i["kind"], i["version"]) for i in listed] == [
        ("identity_request", 2),
        ("identity_request", 1),
    ]
    assert set(listed[0]) == {
        "id",
        "kind",
        "version",
        "filename",
        "created_at",
        "created_by",
        "size",
        "failed_checks",
        "checks_overridden",
        "edited",
        "via",
        "sent_on",
        "sent_at",
        "message_id",
        "delivery",
    }
    assert listed[0]["failed_checks"] == [] and listed[0]["checks_overridden"] is False

    download = client.get(url(case, f"/{body['id']}"), headers=staff.headers)
    assert download.status_code == 200 and download.mimetype == DOCX
    assert download.headers["Content-Disposition"] == f'attachment; filename="{body["filename"]}"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "no-store"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download.data)).paragraphs)
    assert f"Our reference: {case.reference}" in text and "Amelia Hart" in text


def test_outcome_letter_with_its_fields(client, factory, letterhead_school):
    staff = factory.staff(letterhead_school, "dpo")
    case = factory.case(letterhead_school, today(), types=("rectification",))
    body = {
        "kind": "rectification_outcome",
        "outcome": "done",
        "recipients_notified": ["Northshire County Council"],
    }
    created = client.post(url(case), json=body, headers=staff.headers)
    assert created.status_code == 201
    data = client.get(url(case, f"/{created.get_json()['id']}"), headers=staff.headers).data
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Northshire County Council" in text.splitlines()


def test_bad_kinds_and_fields_are_422(client, factory, letterhead_school):
    staff = factory.staff(letterhead_school, "dpo")
    case = factory.case(letterhead_school, today())
    erasure = factory.case(letterhead_school, today(), types=("erasure",))
    cases = [
        (case, {"kind": "subject_access"}, "kind", "Choose a letter kind"),
        (case, {}, "kind", "Choose a letter kind"),
        (case, {"kind": "extension_notice"}, "kind", "has not been extended"),
        (case, {"kind": "erasure_outcome"}, "kind", "only for a case that includes"),
        (erasure, {"kind": "erasure_outcome"}, "outcome", "Say what the outcome was"),
        (erasure, {"kind": "erasure_outcome", "outcome": "maybe"}, "outcome", "one of"),
        (erasure, {"kind": "erasure_outcome", "outcome": "refused"}, "outcome_reasons", "reasons"),
        (case, {"kind": "access_response", "withheld": ["x"]}, "withheld", "pairs"),
        (
            case,
            {"kind": "access_response", "recipients_notified": 5},
            "recipients_notified",
            "list",
        ),
    ]
    for target, body, field, words in cases:
        response = client.post(url(target), json=body, headers=staff.headers)
        assert response.status_code == 422, body
        assert response.mimetype == PROBLEM
        assert words in response.get_json()["errors"][field], body
    assert client.get(url(case), headers=staff.headers).get_json()["items"] == []
    not_json = client.post(url(case), data="kind=refusal", headers=staff.headers)
    assert not_json.status_code == 400 and not_json.mimetype == PROBLEM


def test_other_schools_cases_and_documents_are_404(client, factory, letterhead_school):
    other = factory.school("beech", kind="academy", reference_prefix="BEE")
    mine, theirs = factory.staff(letterhead_school, "dpo"), factory.staff(other, "dpo")
    my_case = factory.case(letterhead_school, today())
    my_other_case = factory.case(letterhead_school, today())
    their_case = factory.case(other, today())
    doc = client.post(url(my_case), json={"kind": "acknowledgement"}, headers=mine.headers)
    doc_id = doc.get_json()["id"]

    for response in (
        client.get(url(my_case), headers=theirs.headers),
        client.post(url(my_case), json={"kind": "acknowledgement"}, headers=theirs.headers),
        client.get(url(my_case, f"/{doc_id}"), headers=theirs.headers),
        client.get(url(their_case, f"/{doc_id}"), headers=theirs.headers),
        client.get(url(my_other_case, f"/{doc_id}"), headers=mine.headers),
        client.get(url(my_case, "/999999"), headers=mine.headers),
    ):
        assert response.status_code == 404 and response.mimetype == PROBLEM
    assert client.get(url(my_case)).status_code == 401


def test_every_role_lists_only_dpo_and_caseworker_write_and_download(
    client, factory, letterhead_school
):
    case = factory.case(letterhead_school, today())
    writer = factory.staff(letterhead_school, "caseworker")
    doc_id = client.post(
        url(case), json={"kind": "acknowledgement"}, headers=writer.headers
    ).get_json()["id"]
    for role in ("owner", "viewer"):
        reader = factory.staff(letterhead_school, role)
        assert client.get(url(case), headers=reader.headers).status_code == 200
        hidden = client.get(url(case, f"/{doc_id}"), headers=reader.headers)
        assert hidden.status_code == 403 and hidden.mimetype == PROBLEM  # letters name the parent
        refused = client.post(url(case), json={"kind": "acknowledgement"}, headers=reader.headers)
        assert refused.status_code == 403 and refused.mimetype == PROBLEM


def test_openapi_lists_the_letters_endpoints(client):
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    assert {"get", "post"} <= set(spec["paths"]["/cases/{reference}/letters"])
    assert "get" in spec["paths"]["/cases/{reference}/letters/{id}"]
