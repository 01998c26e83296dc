"""Which supported language a parent typed in, offline, or None when we cannot tell.

The detector (lingua) is built once per process, on first use, restricted to the
languages we translate: fewer candidates means fewer wrong guesses and less
memory. Short text, mixed languages and transliterated text (Urdu or Arabic in
Latin letters) come back as None or below the confidence bar, and the caller
keeps the page's language.
"""

from __future__ import annotations

from functools import cache

from sar_service.i18n.languages import CODES

MIN_LETTERS = 15
MIN_CONFIDENCE = 0.75

_LINGUA_NAMES = {
    "en": "ENGLISH",
    "pl": "POLISH",
    "ur": "URDU",
    "ro": "ROMANIAN",
    "ar": "ARABIC",
    "bn": "BENGALI",
    "pa": "PUNJABI",
    "pt": "PORTUGUESE",
    "es": "SPANISH",
}


@cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, _LINGUA_NAMES[c]) for c in CODES if c in _LINGUA_NAMES]
    return (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_minimum_relative_distance(0.2)
        .build()
    )


@cache
def _codes_by_name() -> dict[str, str]:
    return {name: code for code, name in _LINGUA_NAMES.items()}


def detect(text: str | None) -> str | None:
    """A supported language code for ``text``, or None if it is too short or unclear."""
    if not text or sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    try:
        values = _detector().compute_language_confidence_values(text[:2000])
    except Exception:  # noqa: BLE001 - detection is a nicety; it must never break the form
        return None
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    return _codes_by_name().get(values[0].language.name)
