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
