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
    progress: gathering.Progress
    review: review.CaseReview
    bundle: Bundle | None


def case_panel(case: Case) -> Panel:
    db = session()
    return Panel(
        relevant=gathering.relevant(case),
        progress=gathering.progress(db, case),
        review=review.case_review(db, case),
        bundle=bundle.latest(db, case),
    )
