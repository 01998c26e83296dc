"""Bearer-token authentication for the staff API, and the case a token's user may see."""

from __future__ import annotations

from functools import wraps

from flask import g, request

from sar_service.auth import tokens
from sar_service.cases import queries
from sar_service.db import session
from sar_service.models import Case
from sar_service.web.problems import ApiProblem
from workflows.states import STAFF

#: Roles that may log requests, act on cases and create letters through the API.
WRITE_ROLES = STAFF


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
            raise ApiProblem(
                401,
                "Unauthorised",
                "That token is not valid, has expired or has been revoked. "
                "Make a new one under 'Your account'.",
            )
        g.api_user = user
        return view(*args, **kwargs)

    return wrapper


def case_or_404(reference: str) -> Case:
    """The case ``reference`` among ``g.api_user``'s schools (``?school=`` picks one)."""
    try:
        case = queries.find_case(session(), g.api_user, reference, request.args.get("school"))
    except queries.Ambiguous:
        raise ApiProblem(
            409,
            "Ambiguous reference",
            f"{reference} exists at several of your schools; add ?school=<slug>.",
        ) from None
    if case is None:
        raise ApiProblem(404, "Not found", f"No case {reference} that you can see.")
    return case
