"""The iCalendar feed a calendar app subscribes to: no sign-in, the secret link is the key."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app

from sar_service.db import session
from sar_service.oversight import calendar

feeds = Blueprint("feeds", __name__)


@feeds.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    s = session()
    user = calendar.user_for_token(s, token)
    if user is None:
        abort(404)
    base = current_app.config["SAR_SETTINGS"].base_url
    body = calendar.ics(calendar.deadlines(s, user), base)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
