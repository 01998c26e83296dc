"""Outbox handlers for gathering and bundles: take ids, idempotent, run inside the app context."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session, object_session

from sar_service import mail
from sar_service.clock import now
from sar_service.models import Case
from sar_service.models.inventory import GatheringTask
from sar_service.models.notification import Notification
from sar_service.records import bundle, gathering, mailimport
from workflows.calendars import long_date

log = logging.getLogger(__name__)
ACTOR = "SAR Service"
TASK_EMAIL = "gathering_task"


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


def queue_task_email(session: Session, task: GatheringTask) -> None:
    """Tell the owner there is a search to do: a notification row (kind ``gathering_task``),
    sent once by ``notify.sending`` after the caller commits; ``emailed_at`` is set when the
    server accepts it."""
    from sar_service.notify.immediate import queue_email

    if task.assignee is None:
        return
    row = queue_email(
        session,
        TASK_EMAIL,
        f"{TASK_EMAIL}:{task.id}",
        task.assignee.email,
        case_id=task.case_id,
        data={"task_id": task.id},
    )
    row.recipient_user_id = task.assignee_id


def send_task_email(session: Session, task_id: int) -> None:
    """The old ``gather_mail`` task (rows recorded before the email was a notification row)."""
    task = session.get(GatheringTask, task_id)
    if task is not None and not task.emailed_at and task.status == "open":
        queue_task_email(session, task)


def _task(n: Notification) -> GatheringTask | None:
    session = object_session(n)
    return session.get(GatheringTask, int(n.data["task_id"])) if session is not None else None


def task_email_applies(n: Notification, case: Case | None) -> str | None:
    task = _task(n)
    if task is None or task.assignee is None or task.status != "open" or task.emailed_at:
        return "The search was done, dropped, reassigned or already emailed."
    return None


def task_email_subject(n: Notification, reference: str | None) -> str:
    session = object_session(n)
    case = session.get(Case, n.case_id) if session is not None and n.case_id else None
    return f"Records search needed for {reference} ({case.school.name if case else ''})"


def task_email_context(session, settings, n: Notification, case: Case | None) -> dict[str, Any]:
    task = _task(n)
    assert task is not None, "checked by task_email_applies"
    return {
        "task": task,
        "url": mail.absolute_url(settings, "records.task_page", task_id=task.id),
        "due": long_date(task.due_on) if task.due_on else None,
    }


def task_emailed(session: Session, n: Notification) -> None:
    task = _task(n)
    if task is not None:
        task.emailed_at = now()


def build_bundle(session: Session, bundle_id: int) -> None:
    bundle.build(session, bundle_id)


def import_mailbox(session: Session, import_id: int) -> None:
    """A mailbox upload: messages become documents, triaged, with suggestions ready."""
    mailimport.run(session, import_id)
