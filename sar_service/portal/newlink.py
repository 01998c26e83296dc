"""'Send me a new link': reference + email, never revealing whether a case exists."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from sqlalchemy import func, select

from sar_service import ratelimit
from sar_service.db import session
from sar_service.i18n.text import gettext as _
from sar_service.models import Case
from sar_service.notify import link_emails
from sar_service.portal import bp
from sar_service.portal.links import revoke_links


@bp.route("/new-link", methods=["GET", "POST"])
def new_link():
    errors: dict[str, str] = {}
    values = {"reference": "", "email": ""}
    if request.method == "POST":
        values = {k: (request.form.get(k) or "").strip() for k in values}
        errors = _check(values)
        if not errors:
            if ratelimit.hit(ratelimit.LINK_REQUESTS, ratelimit.client_ip(request)).allowed:
                _send_links(values["reference"], values["email"])
                session().commit()
            return redirect(url_for("portal.link_sent"))
    status = 400 if errors else 200
    return render_template(
        "portal/new_link.html", school=None, errors=errors, values=values
    ), status


@bp.get("/new-link/sent")
def link_sent():
    return render_template("portal/link_sent.html", school=None)


def _check(values: dict[str, str]) -> dict[str, str]:
    errors = {}
    if not values["reference"]:
        errors["reference"] = _("Enter your reference, like SAR-2026-0001.")
    elif len(values["reference"]) > 30:
        errors["reference"] = _("The reference must be 30 characters or fewer.")
    if not values["email"]:
        errors["email"] = _("Enter the email address you gave us.")
    elif len(values["email"]) > 254 or "@" not in values["email"]:
        errors["email"] = _("Enter an email address like name@example.com.")
    return errors


def _send_links(reference: str, email: str) -> None:
    """Queue a fresh link for each matching case; silently nothing if none match.

    The emails go through the outbox, so the page is as quick, and looks the same,
    whether or not a case matched, and an SMTP outage delays the email, not loses it.
    """
    s = session()
    cases = s.scalars(
        select(Case).where(
            func.upper(Case.reference) == reference.upper(),
            Case.requester_email == email.lower(),
        )
    )
    for case in cases:
        revoke_links(case)  # whoever had an earlier link (a forwarded email, say) loses it
        link_emails.queue_portal_link(s, case)
