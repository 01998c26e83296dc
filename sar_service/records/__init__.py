"""Records gathered for a case: text extraction, redaction suggestions, redacted copies.

Also the data inventory, gathering tasks, MIS imports, review and the
disclosure bundle, under ``/staff`` (the ``records`` blueprint).
"""

from flask import Blueprint

bp = Blueprint("records", __name__, url_prefix="/staff")


def init_app(app) -> None:
    """Register the records pages and the case-page panel helper."""
    from sar_service.records import (  # noqa: F401  (importing registers the routes)
        views_gathering,
        views_review,
        views_settings,
        views_tasks,
        web,
    )
    from sar_service.records.panel import case_panel

    app.register_blueprint(bp)
    app.context_processor(lambda: {"records_panel": case_panel})
