"""A generated mailbox goes in as one upload and comes out triaged, with names suggested.

The mbox holds threads, exact duplicates, replies quoting whole messages,
attachments (Word, PDF, text, an image) and other children's and adults'
names, some on the roll and some not. The import runs on a real RQ worker.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from datetime import date

from sqlalchemy import select

from sar_service.models import Document
from sar_service.models.inventory import GatheredDocument
from sar_service.models.mailbox import MailImport, MailItem
from sar_service.models.review import Bundle, RedactionDecision
from sar_service.records import mis, review
from sar_service.storage import storage
from tests.records import mailgen
from tests.records.helpers import docx_text, pdf_plain_text


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
    box = mailgen.generate(messages=80, seed=15, wrong_person=True)
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
    extras: Counter = Counter()
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
        extras.update(names - wanted)
        found += 1
        assert "Amelia Hart" not in names and "Sarah Hart" not in names
    precision = true_positive / max(suggested_total, 1)
    with capsys.disabled():
        print(
            f"\nmailbox names: read={found} roll {hit_roll}/{planted_roll}, "
            f"not on roll {hit_other}/{planted_other}, precision {precision:.0%}; "
            f"other suggestions: {dict(extras.most_common(8))}"
        )
    assert planted_roll and hit_roll == planted_roll
    assert planted_other and hit_other / planted_other >= 0.9
    assert db.scalar(select(Document).where(Document.id == imp.document_id)).kind == "import"

    # Review as the school would, then build the bundle and the schedule.
    _review_build_and_check(app, db, oak, case, caseworker, run_worker, messages, box)


def _review_build_and_check(app, db, oak, case, caseworker, run_worker, messages, box):
    base = f"/staff/cases/{oak.school.slug}/{case.reference}"
    page = caseworker.get(f"{base}/review").text
    assert "Not being read" in page and "Set aside: does not mention the pupil" in page
    # The message about another Amelia Hart must be checked before release.
    other = next(i for i in messages if i.subject == "Transfer file")
    assert other.flags and "different child" in other.flags[0]["reason"]
    early = caseworker.post(f"{base}/bundle")
    assert early.status_code == 409 and "may be about a different child" in early.text
    assert caseworker.post(f"{base}/review/{other.document_id}/settle").status_code == 302
    # A set-aside message is brought back to be read; its suggestions arrive.
    aside = next(i for i in messages if i.set_aside_reason and not i.collapse_reason)
    response = caseworker.post(f"{base}/review/{aside.document_id}/include", {"include": "yes"})
    assert response.status_code == 302
    db.expire_all()
    state = review.case_review(db, case)
    assert aside.document_id in {d.doc.id for d in state.docs}
    accepted: set[str] = set()
    for item in state.docs:
        if item.manual:
            review.withhold(db, case, "third_party", "Photo of other pupils", "test", item.doc.id)
            continue
        rows = review.decisions(db, item.doc)
        review.decide(db, item.doc, {r.key: "accepted" for r in rows}, "Caseworker")
        accepted |= {r.text for r in rows}
        review.refresh_redacted_copy(db, case, item.doc)
    db.commit()
    assert "Priya Sharma" in accepted or "Jake Turner" in accepted

    assert caseworker.post(f"{base}/bundle").status_code == 302
    run_worker()
    db.expire_all()
    built = db.scalar(select(Bundle).where(Bundle.case_id == case.id))
    assert built.status == "ready", built.error
    data = b"".join(storage(app).iter_chunks(db.get(Document, built.document_id).storage_key))
    pdfs = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        index = zf.read("index.html").decode()
        assert "Emails not repeated" in index and "did not mention Amelia Hart" in index
        for name in zf.namelist():
            if not name.startswith("documents/"):
                continue
            raw = zf.read(name)
            if name.endswith(".pdf"):
                text, pdfs = pdf_plain_text(raw), pdfs + 1
            elif name.endswith(".docx"):
                text = docx_text(raw)
            else:
                text = raw.decode("utf-8")
            leaked = {a for a in accepted if a in text}
            assert not leaked, (name, leaked)
    assert pdfs, "a redacted PDF attachment is in the bundle"

    schedule = caseworker.get(f"{base}/schedule.csv")
    assert schedule.status_code == 200
    rows = list(csv.DictReader(io.StringIO(schedule.text)))
    outcomes = Counter(r["Outcome"] for r in rows)
    assert outcomes["redacted"] and outcomes["not read"] and outcomes["withheld"]
    assert all("Third-party data" in r["Grounds"] for r in rows if r["Outcome"] == "redacted"
               and r["Detail"] != "Redacted by hand")  # fmt: skip
    assert any("Quoted in full" in r["Detail"] for r in rows if r["Outcome"] == "not read")
    assert case.reference not in {r["Document"] for r in rows}
