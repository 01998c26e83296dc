"""The application factory: configuration, database, Redis, blueprints, CLI."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from sar_service import security_headers
from sar_service.config import Settings
from sar_service.resources import TEMPLATES_DIR


def create_app(config: dict[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    """Build an app. ``config`` overrides Flask settings (tests pass TESTING etc.)."""
    settings = settings or Settings.from_env()
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES_DIR),
        static_folder="static",
        instance_path=str(settings.instance_dir),
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SAR_SETTINGS=settings,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    if config:
        app.config.update(config)
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    _init_database(app, settings)
    _init_languages(app)
    _register_blueprints(app)
    security_headers.init_app(app, settings.trusted_proxies)
    _register_error_pages(app)
    _register_cli(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return app


def _init_database(app: Flask, settings: Settings) -> None:
    from sar_service.background import outbox
    from sar_service.db import Database, close_session

    db = Database(
        settings.database_url, settings.database_connect_timeout, settings.database_timeout
    )
    app.extensions["sar.db"] = db
    outbox.install(app, db.Session)
    app.teardown_appcontext(close_session)


def _init_languages(app: Flask) -> None:
    from sar_service import i18n

    i18n.init_app(app)


#: Feature packages; each has ``init_app(app)`` that registers its blueprints.
FEATURES = (
    "sar_service.health",
    "sar_service.api",
    "sar_service.intake",
    "sar_service.portal",
    "sar_service.staff",
    "sar_service.letters",
    "sar_service.records",
    "sar_service.oversight",
)


def _register_blueprints(app: Flask) -> None:
    from importlib import import_module

    from flask_wtf.csrf import CSRFProtect

    csrf = CSRFProtect(app)
    app.extensions["sar.csrf"] = csrf
    for name in FEATURES:
        import_module(name).init_app(app)


def _register_error_pages(app: Flask) -> None:
    """API paths always answer problem+json, even for unknown routes and crashes."""
    from flask import request
    from werkzeug.exceptions import HTTPException, InternalServerError

    from sar_service import unavailable
    from sar_service.web.problems import problem

    def _wants_problem() -> bool:
        return request.path.startswith("/api/")

    unavailable.register(app)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if _wants_problem():
            return problem(exc.code or 500, exc.name, exc.description or exc.name)
        return _parent_page(exc.code or 500) or exc

    @app.errorhandler(Exception)
    def _crash(exc: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        if _wants_problem():
            return problem(
                500, "Internal error", "Something went wrong on our side. It has been logged."
            )
        return _parent_page(500) or InternalServerError()

    def _parent_page(code: int):
        from sar_service.i18n import errors, selection

        return errors.page(code) if selection.is_parent_page() else None


def _register_cli(app: Flask) -> None:
    from sar_service.cli import register_commands

    register_commands(app)
