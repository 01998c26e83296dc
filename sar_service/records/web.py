"""Blueprint-wide rules for the records pages (as the staff workspace): signed in, no caching."""

from __future__ import annotations

from flask import abort

from sar_service.models import Case
from sar_service.records import bp
from sar_service.staff import guard
from sar_service.staff.access import ACTING_ROLES, case_or_404, me

READERS = ACTING_ROLES | {"viewer", "dsl"}


guard.protect(bp)


def case_for(school: str, reference: str, roles: frozenset[str] = ACTING_ROLES) -> tuple[Case, str]:
    """The case (404 outside the user's schools) and the user's role, which must be in ``roles``."""
    case = case_or_404(school, reference)
    role = me().role_in(case.school_id)
    if role not in roles:
        abort(403)
    return case, role


def actor() -> str:
    user = me()
    return f"{user.name} ({user.email})"
