"""The parent's status page, reached by a signed link."""

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")


def init_app(app) -> None:
    from sar_service.portal import (  # noqa: F401 - registers the routes
        newlink,
        views,
        views_confirm,
        views_reading,
    )

    app.register_blueprint(bp)
