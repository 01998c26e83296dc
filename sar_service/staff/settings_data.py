"""Reading and checking a school's settings for the DPO's settings page."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sar_service.cases.validation import EMAIL_RE
from sar_service.letters.build import ART15_SETTINGS
from sar_service.models import Membership, School, User
from sar_service.notify import rules

DETAIL_FIELDS = {
    "name": ("School name", 200),
    "address": ("Address (for the letterhead)", 1000),
    "phone": ("Phone", 40),
    "email": ("Email", 200),
    "website": ("Website", 200),
    "dpo_name": ("Data Protection Officer's name", 200),
    "dpo_email": ("DPO's email", 200),
    "dpo_phone": ("DPO's phone", 40),
    "reference_prefix": ("Case reference prefix", 10),
}
PREFIX_RE = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")


def check_details(form) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean values and field errors for the school details form."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, (label, limit) in DETAIL_FIELDS.items():
        value = (form.get(key) or "").strip()
        if len(value) > limit:
            errors[key] = f"{label} must be {limit} characters or fewer."
        values[key] = value[:limit]
    if not values["name"]:
        errors["name"] = "Enter the school's name."
    values["reference_prefix"] = values["reference_prefix"].upper()
    if not PREFIX_RE.match(values["reference_prefix"]):
        errors["reference_prefix"] = (
            "Use 1 to 10 capital letters or digits, starting with a letter."
        )
    for key in ("email", "dpo_email"):
        if values[key] and not EMAIL_RE.match(values[key]):
            errors[key] = "Enter an email address like office@school.example."
    raw_years = (form.get("retention_years") or "").strip()
    if not raw_years.isdigit() or not 1 <= int(raw_years) <= 50:
        errors["retention_years"] = "Enter a whole number of years from 1 to 50."
    else:
        values["retention_years"] = int(raw_years)
    return values, errors


MAX_ART15 = 2000
_ON_REQUEST = re.compile(r"\bon request\b|\bask us for (?:details|a copy|more)", re.IGNORECASE)


def check_art15(form) -> tuple[dict[str, str], dict[str, str]]:
    """The school's automated-decision and transfer facts: the facts themselves, once."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, label in ART15_SETTINGS.items():
        value = (form.get(key) or "").replace("\r\n", "\n").strip()
        values[key] = value
        if not value:
            errors[key] = f"{label}: say what the school does (for example, that it makes none)."
        elif len(value) > MAX_ART15:
            errors[key] = f"{label} must be {MAX_ART15} characters or fewer."
        elif _ON_REQUEST.search(value):
            errors[key] = (
                f"{label}: give the facts themselves. 'Available on request' does not "
                "satisfy Article 15."
            )
    return values, errors


def set_art15(school: School, values: dict[str, str]) -> None:
    """Reassign the JSON column so SQLAlchemy sees the change."""
    school.settings = {**(school.settings or {}), "art15": dict(values)}


def reminder_days(school: School) -> list[int]:
    """What the sweep really uses (``notify.rules.offsets_for``), not a second reading."""
    return list(rules.offsets_for(school.settings))


def set_reminder_days(school: School, days: list[int]) -> None:
    """Reassign the JSON column so SQLAlchemy sees the change."""
    current = dict(school.settings or {})
    current["reminders"] = {**(current.get("reminders") or {}), "before_working_days": days}
    school.settings = current


def staff_at(db: Session, school: School) -> list[tuple[User, Membership]]:
    rows = db.execute(
        select(User, Membership)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.school_id == school.id)
        .order_by(User.name)
    )
    return [(u, m) for u, m in rows]


def dpo_count(db: Session, school: School) -> int:
    return db.execute(
        select(func.count(Membership.id))
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.school_id == school.id,
            Membership.role == "dpo",
            User.is_active.is_(True),
        )
    ).scalar_one()
