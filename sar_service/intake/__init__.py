"""The parent-facing guided conversation and its no-JavaScript form."""

from flask import Blueprint

bp = Blueprint("intake", __name__)


def init_app(app) -> None:
    from sar_service.intake import chat, views, views_questions  # noqa: F401 - registers the routes

    app.register_blueprint(bp)
