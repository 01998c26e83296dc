"""What the case page shows about gathering, review and the bundle (``_case_gathering.html``)."""

from __future__ import annotations

from dataclasses import dataclass

from sar_service.db import session
from sar_service.models import Case
from sar_service.models.review import Bundle
from sar_service.records import bundle, gathering, review


@dataclass
class Panel:
    relevant: bool
    progress: gathering.Progress | None = None  # None (and the rest) when not relevant
    review: review.CaseReview | None = None
    bundle: Bundle | None = None


def case_panel(case: Case) -> Panel:
    """Nothing is read for cases that do not gather records: the panel is not shown."""
    if not gathering.relevant(case):
        return Panel(relevant=False)
    db = session()
    return Panel(
        relevant=True,
        progress=gathering.progress(db, case),
        review=review.case_review(db, case),
        bundle=bundle.latest(db, case),
    )
