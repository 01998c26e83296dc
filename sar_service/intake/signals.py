"""The "needs a look" signals of one public request, read where it arrives (form or API).

Nothing here refuses a request: the case is created as usual and, if a signal fires, put
on the staff list (``sar_service.cases.look``) in the same transaction.
"""

from __future__ import annotations

from flask import request
from sqlalchemy.orm import Session

from sar_service import ratelimit
from sar_service.cases import look
from sar_service.models import Case


def check(session: Session, case: Case, limit: ratelimit.Limit, decision: ratelimit.Decision):
    """Flag ``case`` for every signal that fires; ``decision`` is the request's ``limit`` hit."""
    seen = ratelimit.hit(ratelimit.LOOK_ADDRESS, ratelimit.client_ip(request))
    reasons = look.intake_signals(
        session,
        case,
        many_from_address=not seen.allowed,
        reached_limit=decision.reached(limit),
    )
    look.flag(case, reasons)
