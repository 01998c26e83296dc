"""The English message ids parents can see (from the shipped template), read once."""

from __future__ import annotations

from functools import cache

from sar_service.i18n import TRANSLATIONS


@cache
def message_ids() -> frozenset[str]:
    from babel.messages.pofile import read_po

    with open(TRANSLATIONS / "messages.pot", "rb") as f:
        return frozenset(m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id)
