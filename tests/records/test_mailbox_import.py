"""A generated mailbox goes in as one upload and comes out triaged, with names suggested.

The mbox holds threads, exact duplicates, replies quoting whole messages,
attachments (Word, PDF, text, an image) and other children's and adults'
names, some on the roll and some not. The import runs on a real RQ worker.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

from sqlalchemy import select

from sar_service.models import Document
from sar_service.models.inventory import GatheredDocument
from sar_service.models.mailbox import MailImport, MailItem
from sar_service.models.review import RedactionDecision
from sar_service.records import mis
from tests.records import mailgen


def _roll_csv() -> bytes:
    lines = ["UPN,Legal Surname,Legal Forename,Date of Birth,Role,Email,Telephone"]
    lines.append("A123456789012,Hart,Amelia,04/05/2015,Pupil,,")
    for i, name in enumerate(mailgen.ROLL_PUPILS):
        first, last = name.split()
        lines.append(f"B80123456789{i},{last},{first},01/02/2015,Pupil,,")
    for name in mailgen.ROLL_PARENTS:
        first, last = name.split()
        lines.append(f",{last},{first},,Parent,,")
    for name in mailgen.ROLL_STAFF:
        first, last = name.split()
        lines.append(f",{last},{first},,Staff,,")
    return ("\n".join(lines) + "\n").encode()


def _upload_mailbox(web, oak, case, data: bytes, name: str):
    url = f"/staff/cases/{oak.school.slug}/{case.reference}/gathering/mailbox"
    return web.post(url, {"file": (io.BytesIO(data), name)})


def test_mailbox_import_threads_duplicates_relevance_and_names(
    app, db, factory, oak, run_worker, capsys
):
    result = mis.import_csv(db, oak.school, "roll", _roll_csv())
    assert result.ok, result.errors
    db.commit()
    case = factory.case(oak.school, date(2026, 3, 2))
    box = mailgen.generate(messages=80, seed=15)
    caseworker = oak.web(app, "caseworker")
    response = _upload_mailbox(caseworker, oak, case, box.data, "takeout.mbox")
    assert response.status_code == 302, response.text
    page = caseworker.get(response.location).text
    assert "takeout.mbox" in page and "Waiting to start" in page
    run_worker()
    db.expire_all()
    imp = db.scalar(select(MailImport).where(MailImport.case_id == case.id))
    assert imp.status == "done", imp.error
    assert imp.messages == len(box.planted)
    page = caseworker.get(response.location).text
    assert f"{imp.messages} messages" in page

    items = {
        i.document_id: i for i in db.scalars(select(MailItem).where(MailItem.import_id == imp.id))
    }
    messages = [i for i in items.values() if i.parent_id is None]
    messages.sort(key=lambda i: i.document_id)
    assert len(messages) == len(box.planted)
    # Threads: one per generated conversation.
    assert imp.threads == box.threads == len({i.thread_key for i in messages})
    # Duplicates and quoted messages are collapsed, each with its reason.
    got = [i.collapse_reason for i in messages]
    want = [p.duplicate for p in box.planted]
    assert got == want
    # Relevance: messages not mentioning Amelia are set aside with the search terms.
    for item, plant in zip(messages, box.planted, strict=True):
        assert bool(item.set_aside_reason) == (not plant.relevant), (item.subject, plant)
        if item.set_aside_reason:
            assert "Amelia" in item.set_aside_reason and "Sarah Hart" in item.set_aside_reason
    assert "Amelia Hart" in imp.search_terms and "04/05/2015" in imp.search_terms

    # Attachments are documents of their own: text extracted, images flagged.
    kinds = Counter(
        db.scalars(
            select(GatheredDocument.file_kind).where(
                GatheredDocument.document_id.in_([i for i, x in items.items() if x.parent_id])
            )
        )
    )
    assert kinds, "the generated mailbox has attachments"
    assert set(kinds) <= {"docx", "pdf", "txt", "png"}

    # Suggestions on what is left to read: every roll name, ≥ 90% of the others.
    found = planted_roll = planted_other = hit_roll = hit_other = 0
    suggested_total = 0
    true_positive = 0
    for item, plant in zip(messages, box.planted, strict=True):
        if item.left_out:
            continue
        texts = Counter(
            db.scalars(
                select(RedactionDecision.text).where(
                    RedactionDecision.document_id == item.document_id
                )
            )
        )
        names = {t for t in texts if not any(ch.isdigit() for ch in t) and "@" not in t}
        suggested_total += len(names)
        for name in set(plant.roll_names):
            planted_roll += 1
            hit_roll += name in names
        for name in set(plant.unlisted_names):
            planted_other += 1
            hit_other += name in names
        wanted = set(plant.roll_names) | set(plant.unlisted_names)
        true_positive += len(names & wanted)
        found += 1
        assert "Amelia Hart" not in names and "Sarah Hart" not in names
    precision = true_positive / max(suggested_total, 1)
    with capsys.disabled():
        print(
            f"\nmailbox names: read={found} roll {hit_roll}/{planted_roll}, "
            f"not on roll {hit_other}/{planted_other}, precision {precision:.0%}"
        )
    assert planted_roll and hit_roll == planted_roll
    assert planted_other and hit_other / planted_other >= 0.9
    assert db.scalar(select(Document).where(Document.id == imp.document_id)).kind == "import"
