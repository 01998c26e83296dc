"""The parent-facing guided conversation and its no-JavaScript form."""

from flask import Blueprint

bp = Blueprint("intake", __name__)


def init_app(app) -> None:
    app.register_blueprint(bp)
