"""Staff review of an imported notice: corrections, confirmations, what changed.

The reader is never certain. Each list it extracts carries a confidence
(``confidence``); staff see the list beside the source text, correct it (add,
remove, reword, reorder) and confirm. Until every unsure list is confirmed
the notice is not used for letters (``letters_blocker``). What staff saved
lives in ``PrivacyNotice.review`` and wins over what the reader found:

    {"sections": {"categories": {"items": ["…", …] or None,
                                 "confirmed_by": "Dana Price", "confirmed_at": "…"}}}

``items`` is None when staff confirmed the reader's list unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.clock import now
from sar_service.models import PrivacyNotice, School
from sar_service.notices.confidence import CHECKED
from sar_service.notices.labels import clean, short_label

# Lists staff can edit as lines of text; the others (lawful bases, contacts) are confirmed.
EDITABLE = ("categories", "purposes", "recipients", "retention")
TITLES = {
    "categories": "Categories of information",
    "purposes": "Purposes",
    "recipients": "Recipients",
    "lawful_bases": "Lawful bases",
    "retention": "How long it is kept",
    "contacts": "Contacts",
}
MAX_ITEMS = 200
MAX_ITEM_CHARS = 1000


def effective(row: PrivacyNotice) -> dict[str, Any]:
    """The notice's data with staff corrections applied (what the service uses)."""
    data = dict(row.data or {})
    for section, saved in ((row.review or {}).get("sections") or {}).items():
        items = saved.get("items")
        if items is None or section not in EDITABLE:
            continue
        if section == "retention":
            data[section] = list(items)
        else:
            data[section] = [{"label": short_label(t, section), "text": t} for t in items]
    return data


def item_texts(data: dict[str, Any], section: str) -> list[str]:
    """One line per item, as staff see them in the edit box."""
    out = []
    for item in data.get(section) or []:
        if isinstance(item, dict):
            if section == "lawful_bases":
                out.append(f"{item.get('label')} ({item.get('article')}): {item.get('text')}")
            elif section == "contacts":
                parts = [str(item[k]) for k in ("name", "email", "phone") if item.get(k)]
                out.append(f"{item.get('role')}: {', '.join(parts) or 'named, no details'}")
            else:
                out.append(item.get("text") or item.get("label") or "")
        else:
            out.append(str(item))
    return out


def confirmed(row: PrivacyNotice, section: str) -> bool:
    return bool(((row.review or {}).get("sections") or {}).get(section, {}).get("confirmed_at"))


def unsure(row: PrivacyNotice) -> list[str]:
    """Sections the reader was unsure of, in review order (confirmed or not)."""
    levels = (row.data or {}).get("confidence") or {}
    return [s for s in CHECKED if levels.get(s, {}).get("level", "low") != "high"]


def pending(row: PrivacyNotice) -> list[str]:
    """Unsure sections staff have not confirmed yet."""
    return [s for s in unsure(row) if not confirmed(row, s)]


def parse_lines(raw: str) -> tuple[list[str], str | None]:
    """Items from the edit box, one per line; bullets and blank lines dropped. (items, error)."""
    items = []
    for line in (raw or "").splitlines():
        text = clean(re.sub(r"^\s*(?:[-*•·–]|\d{1,3}[.)])\s+", "", line))
        if text:
            items.append(text)
    if len(items) > MAX_ITEMS:
        return [], f"That is more than {MAX_ITEMS} items; is the list right?"
    if any(len(t) > MAX_ITEM_CHARS for t in items):
        return [], f"An item is longer than {MAX_ITEM_CHARS} characters; split it up."
    return items, None


def save(row: PrivacyNotice, section: str, items: list[str] | None, by: str) -> None:
    """Confirm a section, with staff's corrected items (None: the reader's list as it is)."""
    if section not in CHECKED:
        raise ValueError(f"unknown section {section!r}")
    review = dict(row.review or {})
    sections = dict(review.get("sections") or {})
    if section not in EDITABLE:
        items = None
    sections[section] = {"items": items, "confirmed_by": by, "confirmed_at": now().isoformat()}
    review["sections"] = sections
    row.review = review  # a new dict, so the JSON column is saved


def previous_row(session: Session, row: PrivacyNotice) -> PrivacyNotice | None:
    """The version imported before this one, for "what changed"."""
    return session.scalar(
        select(PrivacyNotice)
        .where(PrivacyNotice.school_id == row.school_id, PrivacyNotice.id < row.id)
        .order_by(PrivacyNotice.id.desc())
        .limit(1)
    )


def changes(old: PrivacyNotice | None, new: PrivacyNotice) -> dict[str, dict[str, list[str]]]:
    """Per section, the items added and removed since the previous version (staff's lists)."""
    if old is None:
        return {}
    before, after = effective(old), effective(new)
    out = {}
    for section in CHECKED:
        was, now_ = item_texts(before, section), item_texts(after, section)
        key = {_key(t) for t in was}
        added = [t for t in now_ if _key(t) not in key]
        kept = {_key(t) for t in now_}
        removed = [t for t in was if _key(t) not in kept]
        if added or removed:
            out[section] = {"added": added, "removed": removed}
    return out


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def highlights(text: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The source text cut into pieces; a piece an item was read from names its section.

    Items are found in the text ignoring spacing and case; the first place each
    item's words appear is marked. Used to show matched passages highlighted.
    """
    spans: list[tuple[int, int, str]] = []
    lowered = text.lower()
    for section in EDITABLE:
        for item in item_texts(data, section):
            found = _find(lowered, item.lower())
            if found and not any(a < found[1] and found[0] < b for a, b, _ in spans):
                spans.append((*found, section))
    spans.sort()
    pieces, at = [], 0
    for start, end, section in spans:
        if start > at:
            pieces.append({"text": text[at:start], "section": None})
        pieces.append({"text": text[start:end], "section": section})
        at = end
    if at < len(text):
        pieces.append({"text": text[at:], "section": None})
    return pieces


def _find(haystack: str, needle: str) -> tuple[int, int] | None:
    """Where the needle's words appear in order with any spacing between them."""
    words = re.findall(r"\w+", needle)[:40]
    if not words:
        return None
    pattern = r"\W{1,6}".join(re.escape(w) for w in words)
    match = re.search(pattern, haystack)
    return (match.start(), match.end()) if match else None


def letters_blocker(session: Session, school: School) -> str | None:
    """Why the notice may not be used for letters yet (a sentence for staff), or None."""
    from sar_service.notices.store import current_notice_row

    row = current_notice_row(session, school)
    if row is None:
        return None
    waiting = pending(row)
    if not waiting:
        return None
    names = ", ".join(TITLES[s].lower() for s in waiting)
    return f"the privacy notice has lists to check first ({names}): confirm them in Settings"
