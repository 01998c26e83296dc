"""Error pages for parents, in their language (staff and the API keep their own)."""

from __future__ import annotations

from sar_service.i18n.text import N_

#: status -> (title, message): English message ids, translated in errors/error.html.
PAGES = {
    400: (N_("Something was wrong with that"), N_("Go back and try again.")),
    403: (N_("You cannot see this page"), N_("Go back and try again.")),
    404: (
        N_("Page not found"),
        N_("Check the web address. If you followed a link in an email, it may have expired."),
    ),
    405: (N_("Something was wrong with that"), N_("Go back and try again.")),
    413: (N_("That file is too big"), N_("Choose a file smaller than 10MB.")),
    429: (N_("Too many tries"), N_("Wait an hour, then try again. Your answers are saved.")),
    500: (
        N_("Sorry, something went wrong"),
        N_("It is our fault, not yours. Try again later."),
    ),
}


def page(code: int):
    """The error page response for a parent, or None for codes we leave to Flask."""
    from flask import render_template

    if code not in PAGES:
        return None
    title, message = PAGES[code]
    return render_template("errors/error.html", title=title, message=message, school=None), code
