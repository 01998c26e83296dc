"""Importing MIS exports (CSV): the pupil roll and attendance, assessment, behaviour data.

Header-tolerant: "UPN", "Unique Pupil Number" and "upn" are the same column,
a name may be one column or forename + surname, and a roll row may carry
"Contact 1 Name"/"Contact 1 Email" columns for parents. A file with problems
imports nothing and says what is wrong on which line; a good file replaces the
previous import of the same kind, since an export is a snapshot.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from sar_service.clock import now
from sar_service.models import School
from sar_service.models.roll import DATASETS, MisRecord, RollPerson
from sar_service.records.extract import csv_dialect, decode_text

KINDS = ("roll", *DATASETS)
MAX_BYTES = 25 * 1024 * 1024
MAX_ERRORS = 50
UPN_RE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")

ALIASES = {
    "upn": {"upn", "uniquepupilnumber", "pupilupn"},
    "forename": {"forename", "firstname", "legalforename", "preferredforename", "givenname"},
    "surname": {"surname", "lastname", "legalsurname", "familyname"},
    "name": {"name", "fullname", "pupilname", "pupil", "staffname", "contactname", "person"},
    "dob": {"dob", "dateofbirth", "birthdate"},
    "role": {"role", "type", "persontype", "category"},
    "email": {"email", "emailaddress", "primaryemail"},
    "phone": {"phone", "telephone", "mobile", "phonenumber", "telephonenumber", "mobilenumber"},
    "address": {"address", "homeaddress"},
    "pupil_upn": {"childupn", "pupilsupn", "linkedupn", "forupn", "childsupn"},
}
_CONTACT_RE = re.compile(r"^contact(\d+)(name|email|phone|telephone|mobile)$")
_ROLE_WORDS = {
    "pupil": "pupil", "student": "pupil", "child": "pupil",
    "parent": "parent", "carer": "parent", "guardian": "parent", "contact": "parent",
    "mother": "parent", "father": "parent",
    "staff": "staff", "teacher": "staff", "employee": "staff", "ta": "staff",
}  # fmt: skip
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


class ImportProblem(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class ImportResult:
    kind: str
    count: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (header or "").lower())


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise ImportProblem("The file is not a CSV export (it contains binary data).")
    return decode_text(data)


def read_rows(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and (line number, cells) for each non-empty row."""
    if not data.strip():
        raise ImportProblem("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImportProblem(f"The file must be smaller than {MAX_BYTES // 2**20}MB.")
    text = _decode(data)
    reader = csv.reader(io.StringIO(text), csv_dialect(text, delimiters=",;\t"))
    try:
        header = next(reader)
        rows = [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise ImportProblem(f"Line {reader.line_num}: {exc}.") from exc
    return [h.strip() for h in header], rows


def column_map(header: list[str]) -> dict[str, int]:
    """Our field name -> column index, for the columns we recognise."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _norm(name)
        for field_name, aliases in ALIASES.items():
            if key in aliases and field_name not in found:
                found[field_name] = index
    return found


def parse_date(text: str) -> date | None:
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def clean_upn(text: str) -> str:
    return re.sub(r"\s", "", text or "").upper()


def _upn_error(line: int, upn: str) -> str:
    return (
        f"Line {line}: the UPN '{upn}' is not valid (13 characters: a letter, 11 digits, "
        "then a letter or digit)."
    )


def _cells(header: list[str], line: int, row: list[str], errors: list[str]) -> list[str] | None:
    if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
        errors.append(f"Line {line}: {len(row)} values but the header has {len(header)} columns.")
        return None
    return [c.strip() for c in row] + [""] * (len(header) - len(row))


def _get(cells: list[str], cols: dict[str, int], name: str) -> str:
    return cells[cols[name]] if name in cols else ""


def _person(line: int, cells: list[str], cols: dict[str, int], errors: list[str]):
    name = _get(cells, cols, "name") or " ".join(
        p for p in (_get(cells, cols, "forename"), _get(cells, cols, "surname")) if p
    )
    role_text = _get(cells, cols, "role").lower()
    role = _ROLE_WORDS.get(role_text.split()[0] if role_text else "pupil")
    upn, dob_text = clean_upn(_get(cells, cols, "upn")), _get(cells, cols, "dob")
    dob = parse_date(dob_text) if dob_text else None
    problems = []
    if not name:
        problems.append(f"Line {line}: there is no name.")
    if role is None:
        problems.append(f"Line {line}: the role '{role_text}' is not pupil, parent or staff.")
    if dob_text and dob is None:
        problems.append(f"Line {line}: the date of birth '{dob_text}' is not a date.")
    if role == "pupil" and not upn:
        problems.append(f"Line {line}: a pupil needs a UPN.")
    elif upn and not UPN_RE.match(upn):
        problems.append(_upn_error(line, upn))
    if problems:
        errors.extend(problems)
        return None
    child = clean_upn(_get(cells, cols, "pupil_upn"))
    if role == "parent" and not child:
        upn, child = "", upn  # a parent row's UPN column is their child's
    return RollPerson(
        upn=upn if role == "pupil" else "",
        name=name,
        role=role,
        date_of_birth=dob,
        email=_get(cells, cols, "email"),
        phone=_get(cells, cols, "phone"),
        address=_get(cells, cols, "address"),
        pupil_upn=child,
    )


def _contacts(header: list[str], cells: list[str], pupil: RollPerson) -> list[RollPerson]:
    """Parents listed on a pupil's row as "Contact 1 Name", "Contact 1 Email"…"""
    found: dict[str, dict[str, str]] = {}
    for index, name in enumerate(header):
        match = _CONTACT_RE.match(_norm(name))
        if match and cells[index]:
            what = "phone" if match.group(2) in ("telephone", "mobile") else match.group(2)
            found.setdefault(match.group(1), {})[what] = cells[index]
    return [
        RollPerson(
            name=c["name"],
            role="parent",
            email=c.get("email", ""),
            phone=c.get("phone", ""),
            pupil_upn=pupil.upn,
        )  # fmt: skip
        for _, c in sorted(found.items())
        if c.get("name")
    ]


def parse_roll(data: bytes) -> tuple[list[RollPerson], list[str]]:
    header, rows = read_rows(data)
    cols = column_map(header)
    if "name" not in cols and not {"forename", "surname"} <= cols.keys():
        raise ImportProblem(
            "The roll needs a name column (Name, or Forename and Surname). "
            f"Columns found: {', '.join(header)}."
        )
    people: list[RollPerson] = []
    errors: list[str] = []
    for line, row in rows:
        cells = _cells(header, line, row, errors)
        person = _person(line, cells, cols, errors) if cells else None
        if person is not None:
            people.append(person)
            if person.role == "pupil" and cells:
                people.extend(_contacts(header, cells, person))
    return people, errors


def parse_dataset(data: bytes) -> tuple[list[MisRecord], list[str]]:
    header, rows = read_rows(data)
    cols = column_map(header)
    if "upn" not in cols:
        raise ImportProblem(f"The file has no UPN column. Columns found: {', '.join(header)}.")
    records: list[MisRecord] = []
    errors: list[str] = []
    for line, row in rows:
        cells = _cells(header, line, row, errors)
        if cells is None:
            continue
        upn = clean_upn(cells[cols["upn"]])
        if not UPN_RE.match(upn):
            errors.append(_upn_error(line, upn) if upn else f"Line {line}: there is no UPN.")
            continue
        values = {h: v for h, v in zip(header, cells, strict=False) if h}
        records.append(MisRecord(upn=upn, line=line, row=values))
    return records, errors


def import_csv(session: Session, school: School, kind: str, data: bytes) -> ImportResult:
    """Check the whole file; if it is clean, replace the school's previous import of ``kind``."""
    if kind not in KINDS:
        raise ImportProblem("Choose what the file contains.")
    result = ImportResult(kind)
    rows, errors = parse_roll(data) if kind == "roll" else parse_dataset(data)
    if errors:
        result.errors = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            result.errors.append(f"…and {len(errors) - MAX_ERRORS} more problems.")
        return result
    if not rows:
        raise ImportProblem("The file has a header but no rows.")
    at = now()
    if kind == "roll":
        session.execute(delete(RollPerson).where(RollPerson.school_id == school.id))
    else:
        session.execute(
            delete(MisRecord).where(MisRecord.school_id == school.id, MisRecord.dataset == kind)
        )
    for row in rows:
        row.school_id, row.imported_at = school.id, at
        if isinstance(row, MisRecord):
            row.dataset = kind
    session.add_all(rows)
    session.flush()
    result.count = len(rows)
    return result
