"""Turning staff form posts into the shapes the services expect, and errors into field ids."""

from __future__ import annotations

from typing import Any

from sar_service.notify.rules import MAX_OFFSET
from workflows.request_types import REQUEST_TYPES


def field_id(key: str) -> str:
    """'requester.email' -> 'requester-email' (an HTML id and form name)."""
    return key.replace(".", "-")


def detail_questions() -> dict[str, dict[str, str]]:
    """type -> detail key -> question: the same details the parent intake asks for."""
    return {
        t.name: {d.key: d.question if d.required else f"{d.question} (optional)" for d in t.details}
        for t in REQUEST_TYPES.values()
        if t.details
    }


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
