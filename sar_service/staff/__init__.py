"""The staff workspace: sign-in, queue, case page, settings."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")


def init_app(app) -> None:
    """Register the staff blueprint, its views, and sign-in (Flask-Login)."""
    from sar_service.auth.login import init_login
    from sar_service.oversight import (  # noqa: F401  (oversight pages live under /staff)
        views_audit,
        views_calendar,
        views_dashboard,
        views_register,
        views_report,
    )
    from sar_service.questions import views as question_views  # noqa: F401
    from sar_service.staff import (  # noqa: F401  (importing registers the routes)
        guard,
        helpers,
        views_account,
        views_auth,
        views_case,
        views_emails,
        views_languages,
        views_look,
        views_new_case,
        views_notice,
        views_queue,
        views_settings,
    )

    init_login(app)
    app.register_blueprint(bp)
