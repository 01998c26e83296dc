"""Answering a parent's question from the school's privacy notice, honestly.

``sar_service.notices`` parses and stores each school's privacy notice and
finds the passage that answers a question. If the school has no notice, or
nothing in it answers the question, we say so and pass the question on rather
than guess.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from sar_service.i18n.text import N_
from sar_service.models import School
from sar_service.notices.answers import answer_question
from sar_service.notices.store import current_notice

log = logging.getLogger(__name__)

NO_ANSWER = N_(
    "I can't answer that from the privacy notice; we'll pass your question to the school."
)


def notice_for(s: Session, school: School) -> dict[str, Any] | None:
    return current_notice(s, school)


def answer(s: Session, school: School, question: str) -> dict[str, Any]:
    """{"question", "answer", "passage", "heading", "found"} — never raises for bad input."""
    out = {"question": question, "answer": NO_ANSWER, "passage": "", "heading": "", "found": False}
    notice = notice_for(s, school)
    if not notice:
        return out
    try:
        found = answer_question(notice, question)
    except Exception:  # noqa: BLE001 - a parser problem must not break the conversation
        log.exception("privacy-notice answer failed")
        return out
    if found:
        out.update(
            answer=str(found.get("answer") or ""),
            passage=str(found.get("passage") or ""),
            heading=str(found.get("heading") or ""),
            found=True,
        )
    return out
