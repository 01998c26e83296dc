"""A database that is down, hung or too slow: 503 with Retry-After, never a stack trace.

Connect and statement timeouts (``sar_service.db.make_engine``) turn a hung database
into ``OperationalError`` within seconds; this answers it as the API's
``application/problem+json`` or, on the web, a plain page asking to try again.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

#: What the database raises when it cannot be reached or does not answer in time.
UNAVAILABLE = (OperationalError, PoolTimeout)
#: Seconds a client is asked to wait before trying again.
RETRY_AFTER = 30
DETAIL = (
    "The service cannot reach its database just now, so nothing was saved. "
    "Please try again in a minute."
)


def answer(exc: Exception) -> Response:
    """The 503 for this request: problem+json under /api/, else the friendly page."""
    from sar_service.web.problems import problem

    current_app.logger.warning(
        "database unavailable on %s %s: %s", request.method, request.path, _first_line(exc)
    )
    if request.path.startswith("/api/"):
        response = problem(503, "Service unavailable", DETAIL)
    else:
        # Rendered without context processors: they may look up the signed-in user,
        # which needs the database that just failed.
        page = current_app.jinja_env.get_template("errors/unavailable.html")
        response = Response(page.render(detail=DETAIL), 503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    return response


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def register(app: Flask) -> None:
    for exc in UNAVAILABLE:
        app.register_error_handler(exc, answer)
