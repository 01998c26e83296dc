"""The parent's status page, reached by a signed link."""

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")


def init_app(app) -> None:
    from sar_service.portal import newlink, views, views_reading  # noqa: F401 - registers the routes

    app.register_blueprint(bp)
