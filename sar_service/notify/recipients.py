"""The schools and their DPOs, for deciding who gets a case's reminders (see ``kinds``).

Loaded once per sweep (schools and DPOs are few), so planning for thousands
of cases asks the database nothing per case.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.models import Membership, School, User
from sar_service.notify import rules


@dataclass(frozen=True)
class SchoolInfo:
    id: int
    name: str
    offsets: tuple[int, ...]
    dpos: tuple[tuple[int, str], ...]  # (user id, email), active DPOs only

    @property
    def dpo_emails(self) -> tuple[str, ...]:
        return tuple(email for _, email in self.dpos)


def load_schools(session: Session) -> dict[int, SchoolInfo]:
    dpos: dict[int, list[tuple[int, str]]] = {}
    rows = session.execute(
        select(Membership.school_id, User.id, User.email)
        .join(User, User.id == Membership.user_id)
        .where(Membership.role == "dpo", User.is_active.is_(True))
        .order_by(User.email)
    )
    for school_id, user_id, email in rows:
        dpos.setdefault(school_id, []).append((user_id, email))
    return {
        sid: SchoolInfo(sid, name, rules.offsets_for(settings), tuple(dpos.get(sid, ())))
        for sid, name, settings in session.execute(
            select(School.id, School.name, School.settings).order_by(School.id)
        )  # a fixed order: every sweep plans (and numbers) its notifications the same way
    }


NO_ONE = (
    "No one to send it to: the case has no assignee and the school has no active DPO. "
    "Assign the case or add a DPO."
)
