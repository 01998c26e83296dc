"""A school's language settings, kept in ``School.settings`` (JSON, no schema change):

``languages``: the codes parents may use (English is always on; absent = all), and
``translations``: ``{code: {English message id: the school's wording}}``, applied on
top of the catalogue by ``i18n.text`` so a correction survives catalogue updates.
"""

from __future__ import annotations

from sar_service.i18n.languages import CODES, DEFAULT, LANGUAGES
from sar_service.i18n.selection import enabled_codes

MAX_OVERRIDE = 2000


def summary(school) -> dict:
    """What the staff settings page shows."""
    on = set(enabled_codes(school))
    overrides = ((school.settings or {}).get("translations") or {}) if school else {}
    return {
        "languages": [
            {
                "code": c,
                "english": LANGUAGES[c].english,
                "native": LANGUAGES[c].native,
                "on": c in on,
            }
            for c in CODES
            if c != DEFAULT
        ],
        "overrides": [
            {"code": code, "language": LANGUAGES[code].english, "msgid": msgid, "text": text}
            for code, table in sorted(overrides.items())
            if code in LANGUAGES
            for msgid, text in sorted(table.items())
        ],
    }


def set_languages(school, codes: list[str]) -> None:
    chosen = [c for c in CODES if c != DEFAULT and c in codes]
    school.settings = {**(school.settings or {}), "languages": chosen}


def set_override(school, code: str, msgid: str, text: str) -> str | None:
    """Save (or, with empty ``text``, remove) one correction. Returns an error or None."""
    from sar_service.i18n.catalogue import message_ids

    if code not in LANGUAGES:
        return "Choose a language."
    if msgid not in message_ids():
        return "Paste the English wording exactly as it is in the list of parent-facing text."
    if len(text) > MAX_OVERRIDE:
        return f"The new wording must be {MAX_OVERRIDE} characters or fewer."
    settings = dict(school.settings or {})
    table = {k: dict(v) for k, v in (settings.get("translations") or {}).items()}
    if text.strip():
        table.setdefault(code, {})[msgid] = text.strip()
    else:
        table.get(code, {}).pop(msgid, None)
    settings["translations"] = {k: v for k, v in table.items() if v}
    school.settings = settings
    return None
