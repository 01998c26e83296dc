"""The documents released to the parent, as the portal lists and serves them.

``released_documents`` asks ``records.release.released_for_portal`` for what
staff have released on the case; while nothing is released the portal says
the reply is not ready yet. Each item has an ``id`` (unique within the case),
a ``filename``, a ``content_type`` and a ``load()`` returning the bytes; a
released bundle also lists its ``parts`` (each readable on its own page,
``portal.views_reading``) and the id of the same documents as one PDF (``pdf_id``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sar_service.models import Case


@dataclass(frozen=True)
class ReadablePart:
    """One released document: ``item_id`` for the reading page; ``as_is`` if a PDF or photo."""

    item_id: int
    title: str
    as_is: bool = False


@dataclass(frozen=True)
class ReleasedDocument:
    id: str
    filename: str
    content_type: str
    load: Callable[[], bytes | Iterable[bytes]]
    released_on: str = ""
    parts: tuple[ReadablePart, ...] = field(default=())
    pdf_id: str = ""
    expires_on: str = ""


def released_documents(case: Case) -> list[ReleasedDocument]:
    """Documents staff have released to the requester, newest first."""
    from sar_service.db import session
    from sar_service.records.release import released_for_portal

    return released_for_portal(session(), case)
