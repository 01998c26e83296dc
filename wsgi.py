"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

from sar_service.app import create_app

app = create_app()
