"""Finding the case's pupil on the roll, and turning their MIS rows into readable documents."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.models import Case, Document
from sar_service.models.roll import DATASETS, MisRecord, RollPerson
from sar_service.records.documents import add_gathered, find_duplicate

DATASET_TITLES = {
    "attendance": "Attendance",
    "assessment": "Assessment",
    "behaviour": "Behaviour",
}


def name_words(name: str) -> tuple[str, ...]:
    """Comparable words of a name: accents folded, "Surname, Forename" turned round."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    if "," in text:
        last, _, first = text.partition(",")
        text = f"{first} {last}"
    return tuple(re.findall(r"[a-z0-9']+", text))


def same_person(a: str, b: str) -> bool:
    """Same first and last name (middle names are often missing from one side)."""
    wa, wb = name_words(a), name_words(b)
    return bool(wa and wb) and (wa == wb or (wa[0], wa[-1]) == (wb[0], wb[-1]))


def subject_people(session: Session, case: Case) -> list[RollPerson]:
    """The pupil on the roll with the case's name and date of birth (by name alone if no DOB)."""
    query = select(RollPerson).where(
        RollPerson.school_id == case.school_id, RollPerson.role == "pupil"
    )
    if case.subject_dob:
        query = query.where(RollPerson.date_of_birth == case.subject_dob)
    found = [p for p in session.scalars(query) if same_person(p.name, case.subject_name)]
    return found if case.subject_dob or len(found) == 1 else []


def _csv(rows: list[dict]) -> bytes:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _pupil_rows(people: list[RollPerson]) -> list[dict]:
    return [
        {
            "Name": p.name,
            "UPN": p.upn,
            "Date of birth": p.date_of_birth.isoformat() if p.date_of_birth else "",
            "Email": p.email,
            "Phone": p.phone,
            "Address": p.address,
        }
        for p in people
    ]


def record_documents(session: Session, case: Case, created_by: str) -> list[Document]:
    """One CSV per MIS dataset holding the pupil's rows (plus their roll entry); skips repeats."""
    people = subject_people(session, case)
    if not people:
        return []
    upns = sorted({p.upn for p in people if p.upn})
    files = [("Pupil details from the MIS roll.csv", "MIS roll", _pupil_rows(people))]
    for dataset in DATASETS:
        rows = session.scalars(
            select(MisRecord)
            .where(
                MisRecord.school_id == case.school_id,
                MisRecord.dataset == dataset,
                MisRecord.upn.in_(upns),
            )
            .order_by(MisRecord.line)
        )
        data_rows = [r.row for r in rows]
        if data_rows:
            title = DATASET_TITLES[dataset]
            name = f"{title} records from the MIS.csv"
            files.append((name, f"MIS export: {title.lower()}", data_rows))
    made = []
    for filename, source, csv_rows in files:
        data = _csv(csv_rows)
        if find_duplicate(session, case, hashlib.sha256(data).hexdigest()) is not None:
            continue
        made.append(
            add_gathered(
                session,
                case,
                data,
                filename,
                source_name=source,
                created_by=created_by,
                kind="record",
            )  # fmt: skip
        )
    return made
