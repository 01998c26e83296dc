"""A school's data inventory, seeded from the categories in its privacy notice.

Each category the notice lists is placed in the systems that usually hold it
(medical information in the medical records system, special needs in the SEN
files…). Email and paper files can hold anything, so they are always there.
Staff then set an owner per source and add or retire sources in settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.models import School
from sar_service.models.inventory import DataSource
from sar_service.notices.store import current_notice


@dataclass(frozen=True)
class Rule:
    pattern: str
    name: str
    kind: str


#: Checked in order; a category may land in several systems.
RULES = (
    Rule(r"medic|health|allerg", "Medical records system", "medical"),
    Rule(r"special|\bsen\b|send\b|disab", "SEN files", "sen"),
    Rule(r"safeguard|child protection|social care|welfare", "Safeguarding system", "safeguarding"),
    Rule(r"cctv", "CCTV", "cctv"),
    Rule(r"photo|image|video", "Photos", "photos"),
    Rule(r"assess|exam|test result|attainment|curriculum", "Assessment records", "assessment"),
    Rule(
        r"attend|behavio|exclusion|achievement|personal information|contact|characteristic"
        r"|destination|admission|free school meal",
        "MIS (management information system)",
        "mis",
    ),
)
MIS_NAME = "MIS (management information system)"
ALWAYS = (("Email", "email"), ("Paper files", "paper"))


def _label(category) -> str:
    if isinstance(category, dict):
        return str(category.get("label") or category.get("text") or "").strip()
    return str(category).strip()


def _matches(category, rule: Rule) -> bool:
    text = category.get("text", "") if isinstance(category, dict) else ""
    return bool(re.search(rule.pattern, f"{_label(category)} {text}", re.I))


def plan_sources(categories: list) -> dict[str, tuple[str, list[str]]]:
    """Source name -> (system kind, category labels), from a notice's categories."""
    plan: dict[str, tuple[str, list[str]]] = {}
    labels = [_label(c) for c in categories if _label(c)]
    for category in categories:
        label = _label(category)
        if not label:
            continue
        hits = [rule for rule in RULES if _matches(category, rule)]
        for rule in hits or [Rule("", MIS_NAME, "mis")]:
            kind, held = plan.setdefault(rule.name, (rule.kind, []))
            if label not in held:
                held.append(label)
    plan.setdefault(MIS_NAME, ("mis", []))
    for name, kind in ALWAYS:
        plan[name] = (kind, list(labels))
    return plan


def notice_categories(session: Session, school: School) -> list:
    return (current_notice(session, school) or {}).get("categories") or []


def seed_inventory(session: Session, school: School) -> list[DataSource]:
    """Add the sources the notice implies that the school does not have yet; returns them."""
    existing = {
        s.name.lower(): s
        for s in session.scalars(select(DataSource).where(DataSource.school_id == school.id))
    }
    added = []
    for name, (kind, labels) in plan_sources(notice_categories(session, school)).items():
        source = existing.get(name.lower())
        if source is None:
            source = DataSource(school_id=school.id, name=name, system_kind=kind, categories=labels)
            session.add(source)
            added.append(source)
        elif not source.categories and labels:
            source.categories = labels
    session.flush()
    return added


def sources(session: Session, school: School, active_only: bool = False) -> list[DataSource]:
    query = select(DataSource).where(DataSource.school_id == school.id)
    if active_only:
        query = query.where(DataSource.active.is_(True))
    return list(session.scalars(query.order_by(DataSource.name)))
