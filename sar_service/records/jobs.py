"""Outbox handlers for gathering and bundles: take ids, idempotent, run inside the app context."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy.orm import Session

from sar_service import mail
from sar_service.clock import now
from sar_service.models import Case
from sar_service.models.inventory import GatheringTask
from sar_service.records import bundle, gathering, mailimport
from workflows.calendars import long_date

log = logging.getLogger(__name__)
ACTOR = "SAR Service"


def start_gathering(session: Session, case_id: int, kind: str = "start", event_id=None) -> None:
    """After identity is verified: create the case's tasks, unless it has some already."""
    case = session.get(Case, case_id)
    if case is None or not gathering.relevant(case):
        return
    try:
        made = gathering.start(session, case, ACTOR)
    except gathering.GatheringError as exc:
        log.info("case %s: gathering not started: %s", case_id, exc)
        return
    log.info("case %s: %s gathering tasks created", case_id, len(made))


def send_task_email(session: Session, task_id: int) -> None:
    """Tell the owner there is a search to do; sent once (``emailed_at``)."""
    task = session.get(GatheringTask, task_id)
    if task is None or task.emailed_at or task.assignee is None or task.status != "open":
        return
    case = session.get_one(Case, task.case_id)
    settings = current_app.config["SAR_SETTINGS"]
    context = {
        "task": task,
        "case": case,
        "url": mail.absolute_url(settings, "records.task_page", task_id=task.id),
        "due": long_date(task.due_on) if task.due_on else None,
        "sender": case.school.name,
    }
    mail.send(
        settings,
        mail.templated(
            "gathering_task",
            context,
            to=task.assignee.email,
            subject=f"Records search needed for {case.reference} ({case.school.name})",
            sender_name=case.school.name,
        ),
    )
    task.emailed_at = now()


def build_bundle(session: Session, bundle_id: int) -> None:
    bundle.build(session, bundle_id)


def import_mailbox(session: Session, import_id: int) -> None:
    """A mailbox upload: messages become documents, triaged, with suggestions ready."""
    mailimport.run(session, import_id)
