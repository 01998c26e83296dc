"""Arranging questions as a parent would send them, and reading them back."""

from __future__ import annotations

from sqlalchemy import select

from sar_service.models import ParentQuestion
from tests.intake.web import Journey, csrf

UNANSWERABLE = "Do you keep the minutes of governors' meetings about my son?"


def ask(client, question: str = UNANSWERABLE, email: str = "", slug: str = "oakfield", **kw):
    """The parent asks in the conversation, then presses "Send to the school"."""
    j = Journey(client, slug=slug, environ=kw.pop("environ", None))
    j.start()
    page = j.answer("what", {"story": question})
    assert page.status_code == 200
    return client.post(
        f"/s/{slug}/questions",
        data={"csrf_token": csrf(page.text), "question": question, "email": email},
        environ_base=j.environ,
        **kw,
    )


def stored(db) -> list[ParentQuestion]:
    db.expire_all()
    return list(db.scalars(select(ParentQuestion).order_by(ParentQuestion.id)))
