"""JSON API under /api/v1, described by /api/v1/openapi.json."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from sar_service.api import (  # noqa: E402,F401
    cases,
    intake,
    messages,
    openapi,
    oversight,
    questions,
)
from sar_service.letters import api as letters_api  # noqa: E402,F401
from sar_service.questions import api as questions_api  # noqa: E402,F401
from sar_service.web import problems  # noqa: E402

problems.register(bp)


def init_app(app) -> None:
    """Register the API; it authenticates with bearer tokens, so CSRF does not apply."""
    app.extensions["sar.csrf"].exempt(bp)
    app.register_blueprint(bp, url_prefix="/api/v1")
