"""The staff workspace: sign-in, queue, case page, settings."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")


def init_app(app) -> None:
    app.register_blueprint(bp)
