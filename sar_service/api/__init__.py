"""JSON API under /api/v1, described by /api/v1/openapi.json."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from sar_service.api import cases, intake, openapi, problems  # noqa: E402,F401

problems.register(bp)
