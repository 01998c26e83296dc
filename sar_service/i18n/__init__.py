"""Parents in their own language: Flask-Babel wiring, the switcher and school overrides.

Staff pages stay English; everything a parent reads goes through ``i18n.text``.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def init_app(app) -> None:
    from flask_babel import Babel

    from sar_service.i18n import school_settings, selection, text
    from sar_service.i18n.dates import parent_date
    from sar_service.i18n.languages import english_name

    Babel(
        app,
        locale_selector=selection.select_locale,
        default_translation_directories=str(TRANSLATIONS),
    )
    app.jinja_env.install_gettext_callables(text.jinja_gettext, text.jinja_ngettext, newstyle=True)
    app.jinja_env.globals["parent_date"] = parent_date
    app.jinja_env.globals["language_name"] = english_name
    app.jinja_env.globals["school_languages"] = school_settings.summary
    app.before_request(selection.remember_choice)
    app.context_processor(_page_language)


def _page_language() -> dict:
    from flask import g, request

    from sar_service.i18n import selection
    from sar_service.i18n.languages import LANGUAGES

    if not selection.is_parent_page():
        return {"page_language": LANGUAGES["en"], "switcher": []}
    current = selection.current()
    codes = selection.enabled_codes(g.get("school"))

    def url_for_language(code: str) -> str:
        args = request.args.to_dict()
        args["lang"] = code
        return f"{request.path}?{urlencode(args)}"

    switcher = [
        {
            "code": c,
            "name": LANGUAGES[c].native,
            "url": url_for_language(c),
            "current": c == current.code,
        }
        for c in codes
    ]
    return {"page_language": current, "switcher": switcher if len(codes) > 1 else []}


@contextmanager
def speaking(language: str | None, school=None):
    """Render an email (or anything outside a parent's request) in ``language``."""
    from flask import g
    from flask_babel import force_locale

    from sar_service.i18n.languages import normalise

    code = normalise(language) or "en"
    saved = g.get("school"), g.get("language")
    g.school, g.language = school, code
    try:
        with force_locale(code):
            yield code
    finally:
        g.school, g.language = saved
