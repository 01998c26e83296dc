"""Dates for parents, in their language: the one formatting path on the parent side.

Babel's CLDR data, never the server's locale (``strftime``): "3 October 2025" in
English (British order), "3 października 2025" in Polish, "3 أكتوبر 2025" in Arabic.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from sar_service.i18n.languages import DEFAULT, normalise

#: CLDR locale per language where the bare code would pick another country's style.
FORMAT_LOCALE = {"en": "en_GB", "pt": "pt_PT"}


def parent_date(d: date | None, language: str | None = None) -> str:
    """A date written out in ``language`` (default: the language of the current page)."""
    if d is None:
        return ""
    code = normalise(language) if language else _current()
    code = code or DEFAULT
    return format_date(d, format="long", locale=FORMAT_LOCALE.get(code, code))


def _current() -> str:
    from flask import has_app_context

    if not has_app_context():
        return DEFAULT
    from flask_babel import get_locale

    locale = get_locale()
    return (normalise(str(locale)) or DEFAULT) if locale else DEFAULT


def parent_long_date(d: date | None, language: str | None = None) -> str:
    """With the weekday ("Tuesday 3 March 2026"; "wtorek, 3 marca 2026" in Polish)."""
    if d is None:
        return ""
    code = (normalise(language) if language else _current()) or DEFAULT
    if code == DEFAULT:
        from workflows.calendars import long_date

        return long_date(d)
    return format_date(d, format="full", locale=FORMAT_LOCALE.get(code, code))
