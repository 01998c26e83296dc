"""Checking a request before it becomes a case: one set of rules for web and API.

``validate_request`` returns clean data and a dict of field -> message in
plain English, so every front end can show the message beside the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sar_service.models.school import EDUCATIONAL_RECORD_SCHOOL_KINDS
from workflows.request_types import CHANNELS, RELATIONSHIPS, REQUEST_TYPES

#: Requesters who are not a parent of the pupil (the educational record is a parent's right).
NOT_A_PARENT = frozenset({"pupil"})

MAX_NAME = 200
MAX_TEXT = 5000
#: Answers a request type does not ask for that we still keep (a form's extra field);
#: more is refused, so an anonymous body cannot store megabytes of junk.
MAX_UNKNOWN_DETAILS = 5
MAX_UNKNOWN_TEXT = 500
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PHONE_RE = re.compile(r"^\+?[\d\s()\-]{7,20}$")

#: What each right needs to be actionable: field -> message shown when it is missing.
REQUIRED_DETAILS: dict[str, dict[str, str]] = {
    t.name: {d.key: d.missing for d in t.required_details} for t in REQUEST_TYPES.values()
}


@dataclass
class Validated:
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _check_len(errors: dict, key: str, value: Any, limit: int, label: str) -> None:
    if isinstance(value, str) and len(value.strip()) > limit:
        errors[key] = f"{label} must be {limit} characters or fewer."


def validate_types(raw: Any, school_kind: str, errors: dict[str, str]) -> list[str]:
    if not isinstance(raw, list) or not raw:
        errors["types"] = "Choose at least one thing you want us to do."
        return []
    types: list[str] = []
    for t in raw:
        if not isinstance(t, str) or t not in REQUEST_TYPES:
            errors["types"] = f"'{str(t)[:50]}' is not a request we recognise."
            return []
        if t not in types:
            types.append(t)
    for t in types:
        if REQUEST_TYPES[t].maintained_only and school_kind not in EDUCATIONAL_RECORD_SCHOOL_KINDS:
            what = REQUEST_TYPES[t].label.lower()
            errors["types"] = (
                f"Only maintained schools and non-maintained special schools must give access "
                f"to the {what}. Ask for your child's information with a subject access "
                "request instead."
            )
    return types


def validate_requester(raw: Any, errors: dict[str, str]) -> dict[str, str]:
    raw = raw if isinstance(raw, dict) else {}
    out = {
        k: _text(raw.get(k), MAX_TEXT if k == "address" else MAX_NAME)
        for k in ("name", "email", "phone", "address", "relationship")
    }
    for key, label in (("name", "Your name"), ("email", "Email"), ("phone", "Phone")):
        _check_len(errors, f"requester.{key}", raw.get(key), MAX_NAME, label)
    if not out["name"]:
        errors["requester.name"] = "Enter your full name."
    if out["email"] and not EMAIL_RE.match(out["email"]):
        errors["requester.email"] = "Enter an email address like name@example.com."
    if out["phone"] and not PHONE_RE.match(out["phone"]):
        errors["requester.phone"] = "Enter a phone number, like 07700 900 982."
    if not (out["email"] or out["phone"] or out["address"]):
        errors["requester.email"] = "Give us an email address, phone number or postal address."
    if out["relationship"] not in RELATIONSHIPS:
        errors["requester.relationship"] = "Tell us your relationship to the child."
    out["email"] = out["email"].lower()
    return out


def validate_subject(raw: Any, today: date, errors: dict[str, str]) -> dict[str, Any]:
    raw = raw if isinstance(raw, dict) else {}
    name = _text(raw.get("name"), MAX_NAME)
    _check_len(errors, "subject.name", raw.get("name"), MAX_NAME, "The child's name")
    if not name:
        errors["subject.name"] = "Enter the child's full name."
    dob = parse_date(raw.get("date_of_birth"))
    if dob is None:
        errors["subject.date_of_birth"] = "Enter the child's date of birth, like 2014-03-27."
    elif dob > today:
        errors["subject.date_of_birth"] = "The date of birth must be in the past."
    elif dob.year < today.year - 30:
        errors["subject.date_of_birth"] = "Check the date of birth: it is more than 30 years ago."
    return {"name": name, "date_of_birth": dob, "year_group": _text(raw.get("year_group"), 30)}


def validate_details(raw: Any, types: list[str], errors: dict[str, str]) -> dict[str, Any]:
    raw = raw if isinstance(raw, dict) else {}
    details: dict[str, Any] = {}
    for t in types:
        given = raw.get(t) if isinstance(raw.get(t), dict) else {}
        limits = {d.key: d.max_length for d in REQUEST_TYPES[t].details}
        unknown = [k for k in given if k not in limits]
        if len(unknown) > MAX_UNKNOWN_DETAILS:
            asked = ", ".join(limits) or "nothing"
            errors[f"details.{t}"] = (
                f"Send at most {MAX_UNKNOWN_DETAILS} answers this request does not ask for "
                f"(it asks for: {asked})."
            )
            given = {k: v for k, v in given.items() if k in limits}
        clean: dict[str, str | int] = {}
        for key, value in given.items():
            if isinstance(value, str):
                limit = limits.get(key, MAX_UNKNOWN_TEXT)
                _check_len(errors, f"details.{t}.{key}", value, limit, "This answer")
                clean[str(key)[:50]] = value.strip()[:limit]
            elif isinstance(value, bool | int):
                clean[str(key)[:50]] = value
        for key, message in REQUIRED_DETAILS.get(t, {}).items():
            if not clean.get(key):
                errors[f"details.{t}.{key}"] = message
        details[t] = clean
    return details


def validate_request(
    payload: Any, *, school_kind: str, today: date, staff: bool = False
) -> Validated:
    """Validate an intake payload (public or staff-entered)."""
    result = Validated()
    if not isinstance(payload, dict):
        result.errors["body"] = "Send a JSON object."
        return result
    errors = result.errors
    types = validate_types(payload.get("types"), school_kind, errors)
    requester = validate_requester(payload.get("requester"), errors)
    if "educational_record" in types and requester.get("relationship") in NOT_A_PARENT:
        errors["types"] = (
            "The educational record right belongs to parents. A pupil asking for their own "
            "information makes a subject access request instead."
        )
    result.data = {
        "types": types,
        "requester": requester,
        "subject": validate_subject(payload.get("subject"), today, errors),
        "details": validate_details(payload.get("details"), types, errors),
        "received_on": today,
        "channel": "web",
    }
    if staff:
        _validate_staff_fields(payload, today, result)
    return result


#: The UK GDPR and the Data Protection Act 2018 apply from this day; no clock starts earlier.
EARLIEST_RECEIVED = date(2018, 5, 25)


def _validate_staff_fields(payload: dict, today: date, result: Validated) -> None:
    received = parse_date(payload.get("received_on"))
    if received is None:
        result.errors["received_on"] = "Enter the date the request was received, like 2026-03-02."
    elif received > today:
        result.errors["received_on"] = "The date received cannot be in the future."
    elif received < EARLIEST_RECEIVED:
        result.errors["received_on"] = (
            "The date received must be on or after 25 May 2018, when the UK GDPR and the "
            "Data Protection Act 2018 began."
        )
    else:
        result.data["received_on"] = received
    channel = payload.get("channel")
    if channel not in CHANNELS:
        result.errors["channel"] = f"Say how it arrived: one of {', '.join(CHANNELS)}."
    else:
        result.data["channel"] = channel
