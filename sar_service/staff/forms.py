"""Turning staff form posts into the shapes the services expect, and errors into field ids."""

from __future__ import annotations

from typing import Any

from sar_service.cases.validation import REQUIRED_DETAILS
from sar_service.notify.rules import MAX_OFFSET

#: Free-text details staff may note for types that need none (shown on the case page).
OPTIONAL_DETAILS = {"access": {"what": "What information is asked for, and for which period"}}


def field_id(key: str) -> str:
    """'requester.email' -> 'requester-email' (an HTML id and form name)."""
    return key.replace(".", "-")


def detail_questions() -> dict[str, dict[str, str]]:
    out = {t: dict(q) for t, q in REQUIRED_DETAILS.items()}
    for t, q in OPTIONAL_DETAILS.items():
        out.setdefault(t, {}).update(q)
    return out


def intake_payload(form) -> dict[str, Any]:
    """The manual-entry form as a ``validate_request`` payload."""

    def text(name: str) -> str:
        return (form.get(name) or "").strip()

    details: dict[str, dict[str, str]] = {}
    for t, questions in detail_questions().items():
        for key in questions:
            value = text(f"details-{t}-{key}")
            if value:
                details.setdefault(t, {})[key] = value
    return {
        "types": form.getlist("types"),
        "received_on": text("received_on"),
        "channel": text("channel"),
        "requester": {
            "name": text("requester-name"),
            "email": text("requester-email"),
            "phone": text("requester-phone"),
            "address": text("requester-address"),
            "relationship": text("requester-relationship"),
        },
        "subject": {
            "name": text("subject-name"),
            "date_of_birth": text("subject-date_of_birth"),
            "year_group": text("subject-year_group"),
        },
        "details": details,
    }


def errors_by_field(errors: dict[str, str]) -> dict[str, str]:
    return {field_id(k): v for k, v in errors.items()}


def parse_day_list(raw: str) -> tuple[list[int] | None, str | None]:
    """'7, 2, 0' -> [7, 2, 0]: working days before the due date to send reminders."""
    parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
    if not parts:
        return None, "Enter at least one number of working days, like 7, 2, 0."
    days = []
    for part in parts:
        if not part.isdigit() or int(part) > MAX_OFFSET:
            return None, (
                f"'{part[:10]}' is not a whole number of working days from 0 to {MAX_OFFSET}."
            )
        days.append(int(part))
    return sorted(set(days), reverse=True), None
