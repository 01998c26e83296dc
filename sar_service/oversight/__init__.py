"""Oversight: figures, the register, the audit log, deadline calendars and retention.

The workspace pages live on the staff blueprint (``/staff/dashboard`` …); this
package's own blueprint serves only the calendar feed, which calendar apps
fetch without signing in (the secret in the URL is the credential).
"""


def init_app(app) -> None:
    from sar_service.oversight.views_feed import feeds

    app.register_blueprint(feeds)
