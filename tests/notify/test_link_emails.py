"""Link emails (portal link, draft resume, password link) are notification rows: each click
its own email, the link signed when sent and never stored, and a row an earlier attempt left
"sending" (a worker died during DATA) is never sent a second time (issue 12 item 3)."""

from __future__ import annotations

import json

from sqlalchemy import select

from sar_service.background import outbox
from sar_service.models import OutboxJob
from sar_service.notify import link_emails
from tests.notify.helpers import notifications


def _job(db, n) -> OutboxJob:
    return db.scalar(select(OutboxJob).where(OutboxJob.key == f"notify:{n.id}"))


def test_each_click_is_its_own_row_and_an_interrupted_one_is_not_sent_again(
    app, db, factory, inbox
):
    school = factory.school("oakfield")
    user = factory.staff(school, "caseworker", email="cw@oakfield.example").user
    link_emails.queue_password_link(db, user)
    link_emails.queue_password_link(db, user)  # a second click: its own email
    db.commit()
    first, second = notifications(db, "password_link")
    assert first.key != second.key
    assert "reset" not in json.dumps(first.data) and set(first.data) == {"user_id", "intro"}

    first.status = "sending"  # what a worker killed during DATA leaves behind
    db.commit()
    assert outbox.run(db, _job(db, first).id) == "done"
    assert outbox.run(db, _job(db, second).id) == "done"
    assert outbox.run(db, _job(db, second).id) == "skipped"  # enqueued twice: sent once

    to_cw = [m for m in inbox.messages if m["To"] == "cw@oakfield.example"]
    first, second = notifications(db, "password_link")
    assert (first.status, second.status) == ("unknown", "sent")
    assert [m["Message-ID"] for m in to_cw] == [second.message_id]
    body = to_cw[0].get_body(("plain",)).get_content()
    assert "/staff/password/reset/" in body
