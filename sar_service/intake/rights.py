"""Each right in plain English, and honest notes on when it may not apply.

The words live on ``workflows.request_types.RequestType``; these are views of them.
"""

from __future__ import annotations

from workflows.request_types import REQUEST_TYPES

#: type -> (short label for buttons and summaries, one-line explanation)
RIGHTS: dict[str, tuple[str, str]] = {
    t.name: (t.parent_label, t.parent_hint) for t in REQUEST_TYPES.values()
}

#: Honest notes: when a right probably will not apply. We still take the request.
LIMITS: dict[str, str] = {t.name: t.limit_note for t in REQUEST_TYPES.values() if t.limit_note}

PHOTO_NOTE = (
    "Photos on a website are usually used with your consent. You can take back your "
    "consent, and ask us to delete the photos. We have ticked both for you."
)

NOT_MAINTAINED_NOTE = (
    "This school does not have to give access to the educational record, but you can still "
    "ask to see the information it holds. We have ticked that for you."
)


def label(type_: str) -> str:
    return RIGHTS.get(type_, (type_, ""))[0]
