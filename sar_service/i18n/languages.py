"""The languages a parent can use, each named in itself, and which way it is written.

Pure data: no Flask. English is the language of the catalogue's source strings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47 tag, also the catalogue's directory name
    native: str  # the language named in itself, for the switcher
    english: str  # for staff pages
    rtl: bool = False

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


DEFAULT = "en"

LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "English"),
        Language("pl", "Polski", "Polish"),
        Language("ur", "اردو", "Urdu", rtl=True),
        Language("ro", "Română", "Romanian"),
        Language("ar", "العربية", "Arabic", rtl=True),
        Language("bn", "বাংলা", "Bengali"),
        Language("pa", "ਪੰਜਾਬੀ", "Panjabi"),
        Language("pt", "Português", "Portuguese"),
        Language("es", "Español", "Spanish"),
    )
}

CODES: tuple[str, ...] = tuple(LANGUAGES)

#: A well-formed BCP 47 tag, loosely: "pl", "pt-BR", "pa-Guru-IN", "zh-Hant".
LANGUAGE_TAG = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def clean_tag(tag: object) -> str | None:
    """The tag to store for a parent: a supported code if we have one ("pl-PL" -> "pl"),
    else the well-formed tag itself in lower case (staff still see it), else None."""
    import re

    if not isinstance(tag, str) or len(tag) > 16 or not re.match(LANGUAGE_TAG, tag.strip()):
        return None
    return normalise(tag) or tag.strip().lower()


def normalise(tag: str | None) -> str | None:
    """A supported code for a BCP 47 tag ("pl-PL" -> "pl", "PT_br" -> "pt"), else None."""
    if not tag or not isinstance(tag, str):
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def get(code: str | None) -> Language:
    return LANGUAGES.get(normalise(code) or DEFAULT, LANGUAGES[DEFAULT])


def english_name(code: str | None) -> str:
    """What staff see on a case ("Polish"), or the raw tag if we do not know it."""
    known = normalise(code)
    return LANGUAGES[known].english if known else (code or "English")
