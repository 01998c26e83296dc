"""Asking, listing, answering and closing parents' questions: the rules, without Flask.

A question is stored only when the parent chose to send it; the page then says
truthfully whether the school can reply (it can only if an email address was
given). Staff answer by email through ``notify.immediate.queue_email`` (kind
``question_answer``): the row is written with the answer, the email is sent after
the commit, exactly once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from sar_service.cases.validation import EMAIL_RE
from sar_service.cases.visibility import READS_QUESTIONS
from sar_service.clock import now
from sar_service.i18n.text import N_
from sar_service.models import Notification, School, User
from sar_service.models.notification import QUESTION_ANSWER
from sar_service.models.question import ANSWERED, CLOSED, OPEN, STATUSES, ParentQuestion
from sar_service.notify.immediate import queue_email
from sar_service.oversight import audit

#: The longest question (the conversation's own limit) and answer we keep.
MAX_QUESTION = 2000
MAX_ANSWER = 10_000
MAX_REASON = 500
MAX_EMAIL = 200

#: Parent-facing (translated where shown).
TOO_LONG = N_("Your question must be 2,000 characters or fewer.")
EMPTY = N_("Enter your question.")
BAD_EMAIL = "Enter an email address like name@example.com."  # the request form's words

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: object, limit: int) -> str | None:
    """Plain text without control characters, or None when it is over ``limit``."""
    if not isinstance(text, str):
        return ""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()
    return None if len(text) > limit else text


@dataclass
class Asked:
    question: ParentQuestion | None = None
    errors: dict[str, str] = field(default_factory=dict)


def ask(s: Session, school: School, text: object, email: object, language: str) -> Asked:
    """Store a parent's question for the school, or say what is wrong with it.

    The error messages are parent-facing (translated where shown).
    """
    errors: dict[str, str] = {}
    question = clean(text, MAX_QUESTION)
    if question is None:
        errors["question"] = TOO_LONG
    elif not question:
        errors["question"] = EMPTY
    address = clean(email, MAX_EMAIL)
    if address is None or (address and not EMAIL_RE.match(address)):
        errors["email"] = BAD_EMAIL
    if errors:
        return Asked(errors=errors)
    row = ParentQuestion(
        school_id=school.id,
        text=question or "",
        email=(address or "").lower(),
        language=(language or "en")[:20],
        status=OPEN,
        asked_at=now(),
    )
    s.add(row)
    s.flush()
    return Asked(question=row)


# --- who sees what -------------------------------------------------------------------------


def school_ids_for(user: User) -> list[int]:
    """The schools whose questions ``user`` may read and answer (``visibility``)."""
    return sorted(m.school_id for m in user.memberships if m.role in READS_QUESTIONS)


def open_count(s: Session, school_ids: list[int]) -> int:
    if not school_ids:
        return 0
    return int(
        s.scalar(
            select(func.count())
            .select_from(ParentQuestion)
            .where(ParentQuestion.school_id.in_(school_ids), ParentQuestion.status == OPEN)
        )
        or 0
    )


def listing(school_ids: list[int], status: str | None = None) -> Select:
    """Questions at these schools, open first then newest first, optionally by status."""
    query = select(ParentQuestion).where(ParentQuestion.school_id.in_(school_ids or [0]))
    if status:
        query = query.where(ParentQuestion.status == status)
    return query.order_by(
        (ParentQuestion.status != OPEN), ParentQuestion.asked_at.desc(), ParentQuestion.id.desc()
    )


def count(s: Session, query: Select) -> int:
    return int(s.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)


def answer_emails(s: Session, rows: Sequence[ParentQuestion]) -> dict[int, Notification]:
    """The answer email of each listed question (its delivery truth), in one query."""
    ids = [q.notification_id for q in rows if q.notification_id]
    if not ids:
        return {}
    return {n.id: n for n in s.scalars(select(Notification).where(Notification.id.in_(ids)))}


def valid_status(value: str | None) -> bool:
    return not value or value in STATUSES


# --- answering and closing -----------------------------------------------------------------


class NotOpen(Exception):
    """The question was answered or closed already (by someone else, perhaps)."""


def _check_open(question: ParentQuestion) -> None:
    if question.status != OPEN:
        raise NotOpen(f"This question was {question.status} already.")


def answer(s: Session, question: ParentQuestion, text: str, user: User) -> None:
    """Record the answer and queue the email carrying it to the parent."""
    _check_open(question)
    if not question.can_reply:
        raise NotOpen("The parent gave no email address: close the question instead.")
    question.status, question.answer = ANSWERED, text
    _done_by(question, user)
    email = queue_email(
        s,
        QUESTION_ANSWER,
        f"{QUESTION_ANSWER}:{question.id}",
        question.email,
        school_id=question.school_id,
        data={"question_id": question.id, "language": question.language},
    )
    question.notification_id = email.id
    audit.record(
        s, "question", "question_answered", user=user, school_id=question.school_id,
        summary="Parent's question answered by email", data={"question_id": question.id},
    )  # fmt: skip


def close(s: Session, question: ParentQuestion, reason: str, user: User) -> None:
    """Close without a reply (no address, spam, answered another way), with the reason."""
    _check_open(question)
    question.status, question.close_reason = CLOSED, reason
    _done_by(question, user)
    audit.record(
        s, "question", "question_closed", user=user, school_id=question.school_id,
        summary="Parent's question closed without a reply", data={"question_id": question.id},
    )  # fmt: skip


def _done_by(question: ParentQuestion, user: User) -> None:
    question.answered_by = f"{user.name} ({user.email})"[:200]
    question.answered_by_id = user.id
    question.answered_at = now()
