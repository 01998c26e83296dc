"""Signed, expiring links to a case's portal page.

The token carries the case id and ``Case.portal_token_epoch``; bumping the
epoch revokes every link issued before. Links last 30 days; a parent can ask
for a fresh one with their reference and email address.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session, object_session

from sar_service.cases import look
from sar_service.models import Case

MAX_AGE = 30 * 24 * 3600


def _serializer(app=None) -> URLSafeTimedSerializer:
    app = app or current_app
    return URLSafeTimedSerializer(app.secret_key, salt="portal")


def portal_token(case: Case, app=None) -> str:
    return _serializer(app).dumps({"case": case.id, "epoch": case.portal_token_epoch})


def portal_path(case: Case, app=None) -> str:
    return f"/portal/{portal_token(case, app)}"


def portal_url(case: Case, app=None) -> str:
    """The absolute link for emails: ``BASE_URL`` + the portal path (works in workers too)."""
    app = app or current_app
    return app.config["SAR_SETTINGS"].base_url + portal_path(case, app)


def revoke_links(case: Case) -> None:
    """Every link issued for ``case`` so far stops working (the caller commits)."""
    case.portal_token_epoch = (case.portal_token_epoch or 0) + 1


def case_from_token(s: Session, token: str) -> Case | None:
    """The case a live link points at, or None if it is forged, expired or revoked."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    case = s.get(Case, data.get("case") or 0)
    if case is None or case.portal_token_epoch != data.get("epoch"):
        return None
    return case


# --- "confirm it was you" ------------------------------------------------------------------

#: The acknowledgement's confirm link works this long (longer than the unconfirmed window,
#: so a late click still takes a request off the "needs a look" list).
CONFIRM_MAX_AGE = 30 * 24 * 3600


def _confirm_serializer(app=None) -> URLSafeTimedSerializer:
    app = app or current_app
    return URLSafeTimedSerializer(app.secret_key, salt="confirm-request")


def confirm_url(case: Case, app=None) -> str:
    """The acknowledgement's "confirm it was you" link, bound to the case and its reference.

    The token is in the query string, not the path: access logs record the path only
    (``gunicorn_conf.access_log_format``), and no row stores it.
    """
    app = app or current_app
    token = _confirm_serializer(app).dumps({"case": case.id, "ref": case.reference})
    return app.config["SAR_SETTINGS"].base_url + "/portal/confirm?t=" + token


def case_from_confirm_token(s: Session, token: str) -> Case | None:
    """The case a live confirm link is for, or None if it is forged, expired or for no case."""
    try:
        data = _confirm_serializer().loads(token, max_age=CONFIRM_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("case"), int):
        return None
    case = s.get(Case, data["case"])
    if case is None or case.reference != data.get("ref"):
        return None
    return case


def confirm_context(case: Case, app=None) -> dict:
    """What the acknowledgement email needs for "confirm it was you": the link (for requests
    made anonymously) and the name to greet, or None to greet neutrally (it carries a link)."""
    s = object_session(case)
    asks = s is not None and look.asks_confirmation(s, case)
    return {
        "confirm_link": confirm_url(case, app) if asks else None,
        "greeting_name": look.greeting_name(case),
    }
