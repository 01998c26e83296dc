"""The reply dates we promise a parent, written out for pages and emails.

One place for the rule, used by the confirmation page, the portal and the
acknowledgement email: the statutory due date, and for an educational record
request the earlier 15-school-day date too.
"""

from __future__ import annotations

from sar_service.i18n.dates import parent_date
from sar_service.models import Case
from workflows.request_types import on_clock


def reply_dates(case: Case) -> dict[str, str | None]:
    """``due`` and ``school_days_due`` written out in the page's (or email's) language,
    or None when not set."""
    school_days = case.school_days_due_date if on_clock(case.types, "school_days") else None
    return {
        "due": parent_date(case.due_date) if case.due_date else None,
        "school_days_due": parent_date(school_days) if school_days else None,
    }
