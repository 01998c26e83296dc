"""Each right in plain English, and honest notes on when it may not apply.

The words live on ``workflows.request_types.RequestType``; these are views of them.
"""

from __future__ import annotations

from sar_service.i18n.text import N_
from sar_service.i18n.text import lazy_gettext as _l
from workflows.request_types import REQUEST_TYPES

#: type -> (short label for buttons and summaries, one-line explanation)
RIGHTS: dict[str, tuple[str, str]] = {
    t.name: (_l(t.parent_label), _l(t.parent_hint)) for t in REQUEST_TYPES.values()
}

#: Honest notes: when a right probably will not apply. We still take the request.
#: Labels are lazy: translated (``i18n.known_messages.REQUEST_TYPES``) in the page's language.
LIMITS: dict[str, str] = {t.name: _l(t.limit_note) for t in REQUEST_TYPES.values() if t.limit_note}

PHOTO_NOTE = N_(
    "Photos on a website are usually used with your consent. You can take back your "
    "consent, and ask us to delete the photos. We have ticked both for you."
)

NOT_MAINTAINED_NOTE = N_(
    "This school does not have to give access to the educational record, but you can still "
    "ask to see the information it holds. We have ticked that for you."
)


def label(type_: str) -> str:
    return RIGHTS.get(type_, (type_, ""))[0]
