"""The imported roll finds every third-party name planted in sample school records.

The roll comes in through the MIS import (a semicolon-separated export with
forename/surname columns); documents come in through the same upload path as
owners use, so this measures what a reviewer would actually be shown.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

from sqlalchemy import select

from sar_service.models.review import RedactionDecision
from sar_service.records import documents, mis
from tests.records.conftest import FIXTURES

SAMPLES = FIXTURES / "samples"


def test_roll_finds_every_planted_name(db, factory, capsys):
    school = factory.school("oakfield")
    result = mis.import_csv(db, school, "roll", (FIXTURES / "roll_names.csv").read_bytes())
    assert result.ok, result.errors
    case = factory.case(school, date(2026, 3, 2))
    planted = json.loads((SAMPLES / "planted.json").read_text())
    assert (case.subject_name, case.requester_name) == (planted["subject"], planted["requester"])

    found_total = missed_total = false_total = 0
    for filename, names in planted["names"].items():
        doc = documents.add_gathered(
            db,
            case,
            (SAMPLES / filename).read_bytes(),
            filename,
            source_name="Samples",
            created_by="test",
        )
        suggested = Counter(
            db.scalars(
                select(RedactionDecision.text).where(
                    RedactionDecision.document_id == doc.id, RedactionDecision.kind == "name"
                )
            )
        )
        wanted = Counter(names)
        found = sum((wanted & suggested).values())
        missed = wanted - suggested
        assert not missed, f"{filename}: missed {sorted(missed)}"
        assert not set(planted["not_names"]) & set(suggested), f"{filename}: kept name suggested"
        found_total += found
        extra = suggested - wanted
        if extra:
            print(f"{filename}: also suggested {sorted(extra)}")
        false_total += sum(extra.values())
        missed_total += sum(missed.values())
    db.commit()

    recall = found_total / (found_total + missed_total)
    precision = found_total / (found_total + false_total)
    with capsys.disabled():
        print(
            f"\nroll names: planted={found_total + missed_total} found={found_total} "
            f"false_alarms={false_total} recall={recall:.0%} precision={precision:.0%}"
        )
    assert recall == 1.0
