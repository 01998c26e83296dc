"""Build schools, staff (with API tokens) and cases through the same code the app uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sar_service import setup
from sar_service.auth import tokens
from sar_service.cases.machine import Actor
from sar_service.cases.service import create_case
from sar_service.cases.validation import validate_request
from sar_service.models import Case, School, User


@dataclass
class Staff:
    user: User
    token: str
    password: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def request_payload(types=("access",), **overrides) -> dict:
    payload = {
        "types": list(types),
        "requester": {
            "name": "Sarah Hart",
            "email": "sarah.hart@example.com",
            "relationship": "mother",
        },
        "subject": {"name": "Amelia Hart", "date_of_birth": "2015-05-04", "year_group": "Year 6"},
        "details": {
            "rectification": {"current": "Date of birth 5 May", "correction": "4 May"},
            "erasure": {"what": "Photos on the website"},
            "objection": {"processing": "Google Classroom"},
            "restriction": {"what": "Medical notes"},
            "withdraw_consent": {"consent": "Photographs"},
            "complaint": {"summary": "You shared my address"},
        },
    }
    payload.update(overrides)
    return payload


class Factory:
    def __init__(self, app, db):
        self.app, self.db = app, db
        self._n = 0

    def school(self, slug: str = "oakfield", kind: str = "maintained", **fields) -> School:
        school = setup.create_school(
            self.db, slug, slug.replace("-", " ").title() + " School", kind
        )
        for key, value in fields.items():
            setattr(school, key, value)
        self.db.commit()
        return school

    def staff(self, school: School, role: str = "caseworker", email: str | None = None) -> Staff:
        self._n += 1
        email = email or f"{role}{self._n}@{school.slug}.example"
        password = f"correct horse battery {self._n}"
        user, _ = setup.create_user(
            self.db, email, f"{role.title()} {self._n}", role, school.slug, password
        )
        # tests travel in time (worked examples in 2028): a token that outlives them
        token = tokens.issue(self.db, user, "test", lifetime=timedelta(days=3650))
        self.db.commit()
        return Staff(user, token, password)

    def case(
        self,
        school: School,
        received_on: date,
        types=("access",),
        channel: str = "email",
        **payload,
    ) -> Case:
        data = request_payload(types, **payload)
        result = validate_request(
            data | {"received_on": received_on.isoformat(), "channel": channel},
            school_kind=school.kind,
            today=max(received_on, date.today()),
            staff=True,
        )
        assert result.ok, result.errors
        case = create_case(self.db, school, result.data, Actor.system("test"))
        self.db.commit()
        return case

    def ready_to_respond(self, case: Case, on: date | None = None) -> Case:
        return ready_to_respond(self.db, case, on)


def ready_to_respond(db, case: Case, on: date | None = None) -> Case:
    """Make ``case`` pass the ``respond`` guard as a school would: each of its rights'
    outcome letters sent by post on ``on`` (default today) and, for access and
    educational-record cases, the documents recorded as delivered by post that day."""
    import io

    from docx import Document as WordDocument
    from sqlalchemy import func, select

    from sar_service.clock import now, today
    from sar_service.models import Document
    from sar_service.models.release import Delivery
    from sar_service.storage import storage
    from workflows.request_types import REQUEST_TYPES

    day = on or today()
    wanted = [REQUEST_TYPES[t] for t in case.types if t in REQUEST_TYPES]
    for kind in dict.fromkeys(t.outcome_letter for t in wanted if t.outcome_letter):
        word = WordDocument()
        word.add_paragraph(f"Our response ({kind}) for {case.reference}.")
        out = io.BytesIO()
        word.save(out)
        stored = storage().put(out.getvalue())
        version = 1 + (
            db.scalar(
                select(func.max(Document.version)).where(
                    Document.case_id == case.id, Document.letter_kind == kind
                )
            )
            or 0
        )
        db.add(
            Document(
                case_id=case.id,
                kind="letter",
                letter_kind=kind,
                version=version,
                filename=f"{case.reference}-{kind}-v{version}.docx",
                content_type="application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document",
                size=stored.size,
                sha256=stored.sha256,
                storage_key=stored.key,
                created_by="test",
                sent_via="post",
                sent_on=day,
                sent_at=now(),
                sent_by="test",
                sent_to="By post to the requester's address",
            )  # fmt: skip
        )
    if any(t.gathers_records for t in wanted):
        db.add(Delivery(case_id=case.id, via="post", delivered_on=day, recorded_by="test"))
    db.commit()
    return case
