"""The sweep step that puts requests never confirmed on the "needs a look" list.

It runs before the reminders step (``background.tasks.SWEEP_STEPS`` order), so a case
flagged now gets no reminder planned in the same sweep. How long to wait is
``Settings.unconfirmed_look_days`` (``UNCONFIRMED_LOOK_DAYS``, 7 by default).
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from sar_service.cases import look
from sar_service.models import Case

log = logging.getLogger(__name__)

DEFAULT_DAYS = 7


def _days() -> int:
    if not has_app_context():
        return DEFAULT_DAYS
    return current_app.config["SAR_SETTINGS"].unconfirmed_look_days


def sweep_step(session: Session, at: datetime, report, dry_run: bool) -> None:
    """Flag each public request older than the window that its requester never confirmed."""
    for case_id in look.unconfirmed_candidates(session, at, _days()):
        case = session.get(Case, case_id)
        if case is None:
            continue
        try:  # each in its own savepoint: a case staff changed meanwhile waits for the next run
            with session.begin_nested():
                flagged = look.flag(case, [look.UNCONFIRMED])
                session.flush()
        except StaleDataError:
            log.info("case %s changed during the sweep; looked at again next time", case_id)
            continue
        if flagged:
            report.looked += 1
