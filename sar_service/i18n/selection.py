"""Which language a page is in: the parent's choice, then the school's case, then the browser.

Order: an explicit choice (``?lang=pl``, kept in the session) → the language of the
case being shown (portal) → ``Accept-Language`` → English, always among the
languages the school has switched on. Staff pages, the API and health checks
are always English.
"""

from __future__ import annotations

from flask import g, has_request_context, request
from flask import session as cookie

from sar_service.i18n.languages import CODES, DEFAULT, LANGUAGES, Language, normalise

STAFF_BLUEPRINTS = frozenset({"staff", "records", "letters", "api", "health"})
SESSION_KEY = "lang"


def enabled_codes(school) -> list[str]:
    """The languages a school offers (all by default); English is always on."""
    chosen = ((getattr(school, "settings", None) or {}).get("languages")) if school else None
    if not isinstance(chosen, list):
        return list(CODES)
    return [c for c in CODES if c == DEFAULT or c in chosen]


def is_parent_page() -> bool:
    return has_request_context() and request.blueprint not in STAFF_BLUEPRINTS


def remember_choice() -> None:
    """``before_request``: a ``?lang=`` on any parent page is the parent's choice from now on.

    Also forgets any language worked out earlier in the same application context (a
    test, or a worker, may serve several requests inside one), so each request decides.
    """
    from flask_babel import refresh

    g.pop("school", None)
    g.pop("language", None)
    refresh()
    if not is_parent_page():
        return
    code = normalise(request.args.get(SESSION_KEY))
    if code:
        cookie[SESSION_KEY] = code


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    if not has_request_context():
        return normalise(g.get("language")) or DEFAULT
    if not is_parent_page():
        return DEFAULT
    allowed = enabled_codes(g.get("school"))
    for candidate in (cookie.get(SESSION_KEY), g.get("language")):
        code = normalise(candidate)
        if code in allowed:
            return code
    return request.accept_languages.best_match(allowed, default=DEFAULT) or DEFAULT


def browser_language(allowed: list[str] | None = None) -> str:
    """The best supported language from ``Accept-Language`` (for the API's default)."""
    if not has_request_context():
        return DEFAULT
    return request.accept_languages.best_match(allowed or list(CODES), default=DEFAULT)


def current() -> Language:
    from flask_babel import get_locale

    locale = get_locale()
    return LANGUAGES.get(normalise(str(locale)) or DEFAULT, LANGUAGES[DEFAULT])
