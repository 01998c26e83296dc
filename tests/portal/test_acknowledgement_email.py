"""The acknowledgement goes through a real RQ worker and a real SMTP server, and its link works."""

from __future__ import annotations

import dataclasses
import socket
from email import message_from_bytes
from email.policy import default

import pytest
from sqlalchemy import select

from sar_service.models import Case, CaseEvent
from sar_service.processes import run_worker
from tests.intake.web import Journey, answer_common, text


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_inbox(app):
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    original = app.config["SAR_SETTINGS"]
    app.config["SAR_SETTINGS"] = dataclasses.replace(
        original, smtp_host="127.0.0.1", smtp_port=controller.port
    )
    try:
        yield inbox
    finally:
        app.config["SAR_SETTINGS"] = original
        controller.stop()


def test_acknowledgement_is_delivered_with_a_working_portal_link(
    app, client, factory, db, smtp_inbox
):
    factory.school("oakfield", dpo_email="dpo@oakfield.example")
    j = Journey(client)
    answer_common(j, "delete everything", ["erasure"])
    j.answer("erasure", {"details.erasure.what": "All photos", "details.erasure.why": "We moved"})
    j.answer("identity", {"identity.method": "in_person"})
    assert j.submit().location.endswith("/done")

    run_worker(app, burst=True)

    case = db.scalar(select(Case))
    acks = [m for m in smtp_inbox.messages if "We have received your request" in m["Subject"]]
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
    assert len([m for m in smtp_inbox.messages if "received your request" in m["Subject"]]) == 1
