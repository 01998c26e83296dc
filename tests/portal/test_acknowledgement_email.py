"""The acknowledgement goes through a real RQ worker and a real SMTP server, and its link works."""

from __future__ import annotations

from sqlalchemy import select

from sar_service.models import Case, CaseEvent
from sar_service.processes import run_worker
from tests.intake.web import Journey, answer_common, text


def test_acknowledgement_is_delivered_with_a_working_portal_link(app, client, factory, db, inbox):
    factory.school("oakfield", dpo_email="dpo@oakfield.example")
    j = Journey(client)
    answer_common(j, "delete everything", ["erasure"])
    j.answer("erasure", {"details.erasure.what": "All photos", "details.erasure.why": "We moved"})
    j.answer("identity", {"identity.method": "in_person"})
    assert j.submit().location.endswith("/done")

    run_worker(app, burst=True)

    case = db.scalar(select(Case))
    acks = [m for m in inbox.messages if "We have received your request" in m["Subject"]]
    assert len(acks) == 1
    message = acks[0]
    assert message["To"] == "sarah@example.com"
    body = message.get_body(("plain",)).get_content()
    assert case.reference in body
    assert f"We will reply by {case.due_date.day} {case.due_date:%B %Y}" in body
    link = next(w for w in body.split() if "/portal/" in w and "new-link" not in w)
    assert link.startswith(app.config["SAR_SETTINGS"].base_url + "/portal/")

    page = client.get(link.removeprefix(app.config["SAR_SETTINGS"].base_url))
    assert page.status_code == 200
    assert case.reference in text(page.text) and "We have received your request." in page.text
    recorded = db.scalar(select(CaseEvent).where(CaseEvent.action == "acknowledged"))
    assert "emailed" in recorded.reason

    run_worker(app, burst=True)  # running again sends nothing more
    assert len([m for m in inbox.messages if "received your request" in m["Subject"]]) == 1
