"""A cover page in the parent's language for every letter (the letter itself stays English).

Letters are written by workers, outside any web request, so this reads the compiled
catalogue directly with Babel rather than through Flask-Babel.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from babel.support import Translations

from sar_service.i18n import TRANSLATIONS
from sar_service.i18n.dates import parent_date
from sar_service.i18n.languages import DEFAULT, LANGUAGES, normalise
from sar_service.i18n.text import N_

TITLE = N_("About this letter")
LINES = (
    N_(
        "This page is in your language to help you. The letter after this page is in "
        "English. The English letter is the one that counts."
    ),
    N_("From: %(school)s"),
    N_("Your reference: %(reference)s"),
    N_("Date of the letter: %(date)s"),
    N_(
        "The letter is about your request to the school about your child's information. "
        "If anything is unclear, contact the school and ask for help in your language."
    ),
)


@cache
def _catalogue(code: str):
    return Translations.load(str(TRANSLATIONS), [code])


def cover(language: str | None, *, school: str, reference: str, on: date) -> dict | None:
    """``{"title", "lines", "rtl", "language"}`` for a non-English parent, else None."""
    code = normalise(language)
    if not code or code == DEFAULT:
        return None
    gettext = _catalogue(code).gettext
    values = {"school": school, "reference": reference, "date": parent_date(on, code)}
    return {
        "language": code,
        "rtl": LANGUAGES[code].rtl,
        "title": gettext(TITLE),
        "lines": [gettext(line) % values if "%(" in line else gettext(line) for line in LINES],
    }
