"""Bearer-token authentication for staff endpoints."""

from __future__ import annotations

from functools import wraps

from flask import g, request

from sar_service.api.problems import ApiProblem
from sar_service.auth import tokens
from sar_service.db import session


def token_required(view):
    """Require ``Authorization: Bearer <token>``; the user lands on ``g.api_user``."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiProblem(401, "Unauthorised", "Send 'Authorization: Bearer <token>'.")
        user = tokens.user_for(session(), token.strip())
        if user is None:
            raise ApiProblem(401, "Unauthorised", "That token is not valid or has been revoked.")
        g.api_user = user
        return view(*args, **kwargs)

    return wrapper
