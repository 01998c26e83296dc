"""Translating parent-facing words, with each school's corrections applied on top.

``gettext`` looks for a school override (School.settings["translations"][lang][msgid])
before the catalogue, so a school can fix a word without anyone editing a ``.po``
file. ``lazy_gettext`` is for module-level constants (questions, labels) that are
read at render time in whatever language the page is in.
"""

from __future__ import annotations

from typing import Any

import flask_babel
from flask import g, has_app_context
from flask_babel.speaklater import LazyString
from markupsafe import escape


def _override(msgid: str) -> str | None:
    if not has_app_context():
        return None
    school = g.get("school")
    if school is None:
        return None
    locale = flask_babel.get_locale()
    code = str(locale.language) if locale else "en"
    table = ((school.settings or {}).get("translations") or {}).get(code) or {}
    found = table.get(msgid)
    return found if isinstance(found, str) and found.strip() else None


def gettext(msgid: str, **variables: Any) -> str:
    """The message in the current language (school override first), ``%(name)s`` filled in."""
    found = _override(msgid)
    if found is None:
        return (
            flask_babel.gettext(msgid, **variables)
            if has_app_context()
            else _fill(msgid, variables)
        )
    return _fill(found, variables)


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    found = _override(singular if num == 1 else plural)
    if found is not None:
        return _fill(found, variables)
    if not has_app_context():
        return _fill(singular if num == 1 else plural, variables)
    return flask_babel.ngettext(singular, plural, num, **variables)


def lazy_gettext(msgid: str, **variables: Any) -> LazyString:
    return LazyString(gettext, msgid, **variables)


def _fill(text: str, variables: dict[str, Any]) -> str:
    if not variables:
        return text
    try:
        return text % variables
    except (KeyError, ValueError, TypeError):
        return text  # a school's override with a broken placeholder still shows


def jinja_gettext(msgid: str) -> str:
    """For Jinja's newstyle i18n: Jinja fills ``%(name)s`` itself. Jinja trusts what
    this returns as markup, so a school's own wording (staff input) is escaped first."""
    found = _override(msgid)
    if found is not None:
        return escape(found)
    return flask_babel.get_translations().ugettext(msgid)


def jinja_ngettext(singular: str, plural: str, num: int) -> str:
    found = _override(singular if num == 1 else plural)
    if found is not None:
        return escape(found)
    return flask_babel.get_translations().ungettext(singular, plural, num)


_ = gettext
_l = lazy_gettext


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention for "extract, translate later"
    """Marks a string for the catalogue where it is defined; translated where it is shown."""
    return msgid
