"""Link emails (portal link, draft resume, password link) carry a Message-ID derived from
their outbox row: a retry after a worker died mid-send is the same message (issue 12 item 3)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sar_service.background import outbox
from sar_service.models import OutboxJob
from sar_service.notify import link_emails


def _retry_as_after_a_kill(db, row: OutboxJob) -> None:
    """What a worker killed between SMTP's "250 OK" and the commit leaves: a stale claim."""
    row.status, row.claimed_at = "running", row.claimed_at - outbox.STALE_CLAIM - timedelta(1)
    db.commit()


def test_a_retried_password_link_is_the_same_message_and_each_click_its_own(
    app, db, factory, inbox
):
    school = factory.school("oakfield")
    user = factory.staff(school, "caseworker", email="cw@oakfield.example").user
    link_emails.queue_password_link(db, user)
    link_emails.queue_password_link(db, user)  # a second click: its own email
    db.commit()
    first, second = db.scalars(select(OutboxJob).where(OutboxJob.task == "password_link"))
    assert outbox.run(db, first.id) == "done"
    _retry_as_after_a_kill(db, first)
    assert outbox.run(db, first.id) == "done"
    assert outbox.run(db, second.id) == "done"

    to_cw = [m for m in inbox.messages if m["To"] == "cw@oakfield.example"]
    assert len(to_cw) == 3
    assert to_cw[0]["Message-ID"] == to_cw[1]["Message-ID"]  # the retry: one message
    assert to_cw[2]["Message-ID"] != to_cw[0]["Message-ID"]  # the other click: another
