"""Every background task, periodic job and sweep step, each declared once.

A task is a named unit of outbox work: its handler (``"module:function"``,
imported only when a worker runs it, so models and request code never import
handlers), the RQ queue it runs on and how long one run may take. Code that
records work (``outbox.add``), enqueues it (``queues``) and runs it
(``outbox.run``) looks the task up here; an unknown name is refused when the
work is recorded, not discovered by a worker.

Adding a task is one ``Task(...)`` line below plus its handler.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: The queue periodic work (sweep, retries) runs on. Workers listen to it FIRST (see
#: ``queues.WORKER_ORDER``), so a backlog of letters never delays a sweep.
PERIODIC = "sweep"
MAIL, DEFAULT, LETTERS, BUNDLES = "mail", "default", "letters", "bundles"


class UnknownTask(KeyError):
    """A task name nobody declared (a typo, or a declaration that was removed)."""


@dataclass(frozen=True)
class Task:
    """One kind of outbox work."""

    name: str
    handler: str  # "module:function(session, **args)"
    queue: str
    timeout: int  # seconds a single run may take before RQ kills it
    label: str  # plain words for staff, e.g. on the case timeline when it fails for good
    #: False when the handler itself shows a final failure on the case (``notify`` does).
    reports_failure: bool = True

    def resolve(self) -> Callable[..., Any]:
        module, _, func = self.handler.partition(":")
        return getattr(importlib.import_module(module), func)


@dataclass(frozen=True)
class Periodic:
    """A job ``sar cron`` schedules; ``func`` is a dotted path run by RQ."""

    name: str
    func: str
    interval: int  # seconds
    timeout: int
    queue: str = PERIODIC

    def resolve(self) -> Callable[..., Any]:
        module, _, func = self.func.rpartition(".")
        return getattr(importlib.import_module(module), func)


@dataclass(frozen=True)
class SweepStep:
    """A part of the sweep: ``handler(session, at, report, dry_run)``, idempotent."""

    name: str
    handler: str

    def resolve(self) -> Callable[..., Any]:
        module, _, func = self.handler.partition(":")
        return getattr(importlib.import_module(module), func)


TASKS: dict[str, Task] = {}
PERIODIC_JOBS: dict[str, Periodic] = {}
SWEEP_STEPS: dict[str, SweepStep] = {}


def register(task: Task) -> Task:
    if task.name in TASKS:
        raise ValueError(f"task {task.name!r} is declared twice")
    TASKS[task.name] = task
    return task


def get(name: str) -> Task:
    """The task called ``name``; ``UnknownTask`` if there is none."""
    try:
        return TASKS[name]
    except KeyError:
        known = ", ".join(sorted(TASKS))
        raise UnknownTask(f"unknown background task {name!r}; known: {known}") from None


def queues() -> tuple[str, ...]:
    """Every queue some task or periodic job uses."""
    names = {t.queue for t in TASKS.values()} | {p.queue for p in PERIODIC_JOBS.values()}
    return tuple(sorted(names))


for _task in (
    # acknowledge, portal_link, draft_resume, password_link: rows recorded before these emails
    # were notification rows; each now only queues its notification row.
    Task("acknowledge", "sar_service.notify.acknowledge:run", MAIL, 60, "Acknowledgement email"),
    Task(
        "notify",
        "sar_service.notify.sending:send",
        MAIL,
        60,
        "Notification email",
        reports_failure=False,
    ),
    Task("letter", "sar_service.letters.jobs:generate", LETTERS, 120, "Letter"),
    Task("gather", "sar_service.records.jobs:start_gathering", DEFAULT, 300, "Records gathering"),
    Task("gather_mail", "sar_service.records.jobs:send_task_email", MAIL, 60, "Search email"),
    Task("bundle", "sar_service.records.jobs:build_bundle", BUNDLES, 1800, "Disclosure bundle"),
    Task("mail_import", "sar_service.records.jobs:import_mailbox", BUNDLES, 1800, "Mailbox import"),
    Task("portal_link", "sar_service.notify.link_emails:send_portal_link", MAIL, 60, "Portal link"),
    Task(
        "draft_resume",
        "sar_service.notify.link_emails:send_draft_resume",
        MAIL,
        60,
        "Saved-request link",
    ),
    Task(
        "password_link",
        "sar_service.notify.link_emails:send_password_link",
        MAIL,
        60,
        "Password link",
    ),
):
    register(_task)

for _periodic in (
    # Deadlines, reminders, digests, and every stranded outbox row.
    Periodic("sweep", "sar_service.background.jobs.sweep", interval=300, timeout=600),
    # Failed attempts whose back-off has passed (1, 4, 16, 64 minutes): cheap, so every minute.
    Periodic("retry", "sar_service.background.jobs.retry_due", interval=60, timeout=120),
):
    PERIODIC_JOBS[_periodic.name] = _periodic

for _step in (
    # Before reminders: a request flagged now gets no reminder planned in the same sweep.
    SweepStep("unconfirmed", "sar_service.notify.unconfirmed:sweep_step"),
    SweepStep("reminders", "sar_service.notify.reminders:sweep_step"),
    SweepStep("retention", "sar_service.oversight.retention:sweep_step"),
    # Once a day, the DPOs hear that parents' questions are waiting.
    SweepStep("questions", "sar_service.questions.daily:sweep_step"),
):
    SWEEP_STEPS[_step.name] = _step
