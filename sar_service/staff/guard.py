"""Blueprint-wide rules for every staff page: sign-in required, no caching of children's data.

The staff, letters and records blueprints all call :func:`protect`, so a page
added to any of them gets the same rules and the same layout helpers.
"""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from sar_service.oversight import audit_hooks
from sar_service.oversight.scope import OVERSEERS
from sar_service.staff import bp
from sar_service.staff.access import is_dpo_anywhere
from sar_service.staff.helpers import layout_helpers

#: Endpoints reachable without being signed in.
PUBLIC = frozenset(
    {
        "staff.home",
        "staff.sign_in",
        "staff.two_factor",
        "staff.enrol_required",
        "staff.forgot_password",
        "staff.reset_password",
    }
)


def safe_next(target: str | None) -> str | None:
    """Only same-site staff paths, never an open redirect."""
    if not target or not target.startswith("/staff/"):
        return None
    return None if ("\\" in target or "://" in target) else target


def protect(blueprint: Blueprint, public: frozenset[str] = frozenset()) -> None:
    """Install the staff rules on ``blueprint``; endpoints in ``public`` skip sign-in."""

    def require_sign_in():
        if request.endpoint in public or current_user.is_authenticated:
            return None
        return redirect(url_for("staff.sign_in", next=request.full_path.rstrip("?")))

    blueprint.before_request(require_sign_in)
    blueprint.after_request(no_store_headers)
    audit_hooks.install(blueprint)
    blueprint.context_processor(staff_nav)
    blueprint.context_processor(layout_helpers)


def no_store_headers(response):
    """Pages about children are never cached, framed or sniffed, and leak no referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def staff_nav():
    """What the staff layout needs for its navigation."""
    user = current_user.user if current_user.is_authenticated else None
    oversees = bool(user and any(m.role in OVERSEERS for m in user.memberships))
    from sar_service.questions.service import school_ids_for
    from sar_service.questions.views import open_questions

    return {
        "staff_nav": {
            "user": user,
            "is_dpo": bool(user and is_dpo_anywhere(user)),
            "oversees": oversees,
            # parents' questions: the roles that read them see the link and the open count
            "reads_questions": bool(user and school_ids_for(user)),
            "questions_open": open_questions,
        }
    }


protect(bp, PUBLIC)
