"""Whatever a parent's browser (or a bot) sends to the public pages, the answer is never a 500.

Each step of the journey gets every kind of junk in every field: far too long,
NUL bytes, odd Unicode, markup, repeated values where one is expected, and
values for fields the step does not have. The portal gets forged, truncated
and malformed tokens and ids. A 4xx with a message, or the page again with an
error beside the field, is right; a 500 is a defect.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from sar_service.intake.flow import STEPS
from sar_service.portal.links import portal_path
from tests.intake.web import CSRF_RE, Journey, answer_common
from workflows.request_types import REQUEST_TYPES

JUNK = (
    "x" * 100_000,
    "\x00\x00nul",
    "\u202eevil\u200b\ud7ff\ufeff",
    "<script>alert(1)</script>",
    "",
    "   ",
    "9" * 40,
    "-1",
    "2015-02-31",
)


def _junk_for(step) -> list[MultiDict]:
    payloads = []
    for value in JUNK:
        data = MultiDict()
        for f in step.fields:
            for suffix in ("", "-day", "-month", "-year"):
                data.add(f.name + suffix, value)
                data.add(f.name + suffix, value)  # a second value where one is expected
        data.add("unexpected.field", value)
        payloads.append(data)
    return payloads


def _csrf(page) -> str:
    match = CSRF_RE.search(page.text)
    return match.group(1) if match else ""


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.slug)
def test_junk_in_every_field_of_every_step_is_never_a_500(client, factory, step):
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "I want to see what you hold on my daughter", list(REQUEST_TYPES))
    for data in _junk_for(step):
        for action in ("continue", "save", "back", "nonsense"):
            token = _csrf(j.get(f"q/{step.slug}"))
            assert token, f"step {step.slug} did not show its form"
            data.setlist("csrf_token", [token])
            data.setlist("action", [action])
            response = client.post(j.url(f"q/{step.slug}"), data=data)
            assert response.status_code < 500, (step.slug, action, response.status_code)
    assert j.get("check").status_code < 500


def test_the_chat_and_odd_urls_are_never_a_500(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    j.start()
    token = _csrf(j.get("q/what"))
    for step in ("what", "types", "no-such-step", "%00", "x" * 5000):
        for data in ({"story": "x" * 100_000}, {"story": "\x00"}, {}, {"types": ["nope"] * 50}):
            response = client.post(j.url(f"chat/{step}"), data={**data, "csrf_token": token})
            assert response.status_code < 500, (step, response.status_code)
    for path in ("q/no-such-step", "resume/forged", "resume/" + "a" * 5000, "check", "done"):
        assert j.get(path).status_code < 500, path
    assert client.get("/s/no-such-school/").status_code == 404
    assert client.post("/s/oakfield/start", data={}).status_code == 400  # no CSRF token


def test_forged_tokens_and_junk_at_the_portal_are_never_a_500(app, client, factory):
    school = factory.school("oakfield")
    case = factory.case(school, date.today())
    with app.app_context():
        real = portal_path(case)
    token = real.rsplit("/", 1)[1]
    for bad in ("forged", token[:-3] + "abc", token + "x", "x" * 5000, "%00"):
        assert client.get(f"/portal/{bad}").status_code < 500, bad
        posted = client.post(f"/portal/{bad}/clarification", data={"answer": "x"})
        assert posted.status_code < 500, bad
    page = client.get(real)
    assert page.status_code == 200
    csrf = _csrf(page)
    for doc in ("1", "999999", "abc", "-1", "1.5"):
        assert client.get(f"{real}/documents/{doc}").status_code < 500, doc
    for upload in (
        {"file": (io.BytesIO(b""), "empty.pdf")},
        {"file": (io.BytesIO(b"MZ\x90\x00" * 100), "id.jpg")},  # a program dressed as a photo
        {"file": (io.BytesIO(b"%PDF-1.7"), "x" * 5000 + ".pdf")},
        {"file": "not a file"},
        {},
    ):
        response = client.post(f"{real}/upload", data={**upload, "csrf_token": csrf})
        assert response.status_code < 500, upload.keys()
    junk_answer = {"answer": "x" * 100_000, "csrf_token": csrf}
    assert client.post(f"{real}/clarification", data=junk_answer).status_code < 500
    for email in ("x" * 5000, "\x00", "a@b"):
        data = {
            "reference": "x" * 5000,
            "email": email,
            "csrf_token": _csrf(client.get("/portal/new-link")),
        }
        assert client.post("/portal/new-link", data=data).status_code < 500
