"""Signed, expiring links to a case's portal page.

The token carries the case id and ``Case.portal_token_epoch``; bumping the
epoch revokes every link issued before. Links last 30 days; a parent can ask
for a fresh one with their reference and email address.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

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
