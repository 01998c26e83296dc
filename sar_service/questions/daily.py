"""The sweep step telling each school's DPOs, once a day, that parents' questions are waiting.

One notification per school per London day (its key says so), planned from 07:00
and only while a question is open; if the questions are all dealt with before it
is sent, the send is cancelled (``notify.kinds``). The weekly digest has a line too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sar_service.clock import LONDON
from sar_service.models.notification import QUESTIONS_WAITING
from sar_service.models.question import OPEN, ParentQuestion
from sar_service.notify import kinds, recipients, rules
from sar_service.notify.planning import Plan, Planner


def sweep_step(session: Session, at: datetime, report, dry_run: bool) -> None:
    """A sweep step (``tasks.SWEEP_STEPS``): plan today's "questions waiting" emails."""
    local = at.astimezone(LONDON)
    if local.time() < rules.DIGEST_FROM:
        return
    waiting = session.execute(
        select(ParentQuestion.school_id, func.count())
        .where(ParentQuestion.status == OPEN)
        .group_by(ParentQuestion.school_id)
        .order_by(ParentQuestion.school_id)
    ).all()
    if not waiting:
        return
    schools = recipients.load_schools(session)
    kind = kinds.get(QUESTIONS_WAITING)
    day = local.date()
    plans = []
    for school_id, count in waiting:
        to, user_id = kind.recipients(kinds.Who(school=schools.get(school_id)))
        if not to:
            continue  # no DPO and no one else to tell: the count on the queue page remains
        plans.append(
            Plan(
                kind.key(school_id=school_id, day=day.isoformat()),
                kind.name,
                to,
                school_id=school_id,
                user_id=user_id,
                due_on=day,
                data={"open": count},
            )
        )
    Planner(session, report, dry_run).add(plans)
