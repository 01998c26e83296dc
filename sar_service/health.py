"""``/healthz``: is the database reachable, is Redis reachable."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from sar_service.background import queues
from sar_service.db import session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 when both are up; 503 naming what is down."""
    status = {"database": "ok", "redis": "ok"}
    try:
        session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        status["database"] = "down"
    if not queues.ping():
        status["redis"] = "down"
    code = 200 if all(v == "ok" for v in status.values()) else 503
    return jsonify(status), code


def init_app(app) -> None:
    app.register_blueprint(bp)
