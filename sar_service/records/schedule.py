"""The disclosure schedule: for the case file, what was released, redacted or withheld, and why.

Internal, never sent to the requester: it names the grounds for every
redaction (by exemption, with counts) and every withheld document, and lists
what was not read (duplicates collapsed, messages set aside), so the school
can show the ICO how it reached the bundle.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.models import Case
from sar_service.models.mailbox import COLLAPSE_REASONS
from sar_service.models.review import EXEMPTIONS, RedactionDecision
from sar_service.records import review

COLUMNS = ("No.", "Document", "Source", "Outcome", "Grounds", "Detail", "Decided by")


@dataclass
class Row:
    number: int
    document: str
    source: str
    outcome: str  # released, redacted, withheld, not read
    grounds: str
    detail: str
    decided_by: str

    def cells(self) -> list[str]:
        return [str(self.number), self.document, self.source, self.outcome, self.grounds,
                self.detail, self.decided_by]  # fmt: skip


def _grounds(counter: Counter) -> str:
    return "; ".join(f"{EXEMPTIONS.get(k, k)} ×{n}" for k, n in sorted(counter.items()))


def build(session: Session, case: Case) -> list[Row]:
    """One row per gathered document (read or not) and per withholding not tied to one."""
    state = review.case_review(session, case)
    ids = [d.doc.id for d in state.docs]
    accepted: dict[int, list[RedactionDecision]] = {}
    for row in session.scalars(
        select(RedactionDecision).where(
            RedactionDecision.document_id.in_(ids), RedactionDecision.decision == "accepted"
        )
    ):
        accepted.setdefault(row.document_id, []).append(row)
    rows: list[Row] = []
    for n, item in enumerate(state.docs, start=1):
        doc, source = item.doc, item.info.source_name
        if item.withheld:
            w = item.withheld
            rows.append(Row(n, doc.filename, source, "withheld", EXEMPTIONS[w.exemption],
                            w.reason, w.decided_by))  # fmt: skip
        elif item.manual and item.redacted is not None:
            rows.append(Row(n, doc.filename, source, "redacted", "", "Redacted by hand",
                            item.redacted.created_by))  # fmt: skip
        elif accepted.get(doc.id):
            found = accepted[doc.id]
            grounds = Counter(r.exemption or review.DEFAULT_EXEMPTION for r in found)
            kinds = Counter(r.kind for r in found)
            detail = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items()))
            people = sorted({r.decided_by for r in found if r.decided_by})
            rows.append(Row(n, doc.filename, source, "redacted", _grounds(grounds),
                            f"{len(found)} items: {detail}", ", ".join(people)))  # fmt: skip
        else:
            rows.append(Row(n, doc.filename, source, "released", "", "Nothing redacted", ""))
    number = len(rows)
    for doc, mail in state.left_out:
        number += 1
        why = COLLAPSE_REASONS.get(mail.collapse_reason) or mail.set_aside_reason
        rows.append(Row(number, doc.filename, "Mailbox import", "not read", "", why, ""))
    for w in state.withheld:
        if not w.document_id:
            number += 1
            rows.append(Row(number, "(information not in one document)", "", "withheld",
                            EXEMPTIONS[w.exemption], w.reason, w.decided_by))  # fmt: skip
    return rows


def to_csv(rows: list[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(r.cells() for r in rows)
    return out.getvalue().encode("utf-8")
