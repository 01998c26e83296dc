"""Answering a parent's question from the school's privacy notice, honestly.

``sar_service.notices`` parses and stores each school's privacy notice and
finds the passage that answers a question (``notices.retrieval``). If the
school has no notice, or nothing in it is relevant, we say so rather than guess,
and offer to send the question to the school (``intake.views_questions``). A message
that asks *to* do something ("I want to complain") is a request, not a question:
``respond_to`` says which request it starts instead of answering (see
``intake.asking``).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from sar_service.i18n.text import N_
from sar_service.intake import rights
from sar_service.intake.understand import understand
from sar_service.models import School
from sar_service.notices.answers import answer_question
from sar_service.notices.store import current_notice

log = logging.getLogger(__name__)

#: The parent is then offered to send the question to the school (``intake.views_questions``):
#: nothing is passed on unless they send it.
NO_ANSWER = N_("I can't answer that from the privacy notice.")
NO_ANSWER_PUBLIC = (
    "I can't answer that from the school's privacy notice. Please contact the school directly."
)
MAX_QUESTION = 2000


def notice_for(s: Session, school: School) -> dict[str, Any] | None:
    return current_notice(s, school)


def answer(s: Session, school: School, question: str) -> dict[str, Any]:
    """{"question", "answer", "passage", "heading", "quote", "found"}; never raises."""
    return answer_from(notice_for(s, school), question)


def answer_from(notice: dict[str, Any] | None, question: str) -> dict[str, Any]:
    """``answer`` for a notice already loaded."""
    out = {
        "question": question,
        "answer": NO_ANSWER,
        "passage": "",
        "heading": "",
        "quote": "",
        "found": False,
    }
    if not notice:
        return out
    try:
        found = answer_question(notice, question[:MAX_QUESTION])
    except Exception:  # noqa: BLE001 - a parser problem must not break the conversation
        log.exception("privacy-notice answer failed")
        return out
    if found:
        out.update(
            answer=str(found.get("answer") or ""),
            passage=str(found.get("passage") or ""),
            heading=str(found.get("heading") or ""),
            quote=str(found.get("quote") or ""),
            found=True,
        )
    return out


def respond_to(
    notice: dict[str, Any] | None, question: str, offers_educational_record: bool = True
) -> dict[str, Any]:
    """What the parent is told: {"intent", "answered", "answer", "quote", "section"}.

    ``intent`` is "question", or the request type the message starts ("complaint",
    "access", …) when it asks *to* do something rather than asking about it.
    """
    got = understand(question, offers_educational_record)
    if got.types and not got.is_question:
        names = " and ".join(rights.label(t).lower() for t in got.types)
        return {
            "intent": got.types[0],
            "answered": False,
            "answer": f"It sounds like you want to make a request ({names}). "
            "You can start it here, and the school must reply within the legal time limit.",
            "quote": None,
            "section": None,
        }
    found = answer_from(notice, question)
    return {
        "intent": "question",
        "answered": found["found"],
        "answer": found["answer"] if found["found"] else NO_ANSWER_PUBLIC,
        "quote": found["quote"] or None,
        "section": found["heading"] or None,
    }
