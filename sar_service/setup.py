"""Set-up shared by the CLI, ``sar serve`` and tests: schema, schools, users, calendars."""

from __future__ import annotations

import csv
import io
import re
import secrets
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.auth.passwords import hash_password
from sar_service.models import CalendarEntry, Membership, School, User
from sar_service.models.school import SCHOOL_KINDS
from sar_service.models.user import ROLES
from sar_service.resources import MIGRATIONS_DIR

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}$")


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(app) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(app.config["SAR_SETTINGS"].database_url), "head")


def create_school(s: Session, slug: str, name: str, kind: str = "maintained") -> School:
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise ValueError("the slug must be 2-60 lower-case letters, digits or dashes")
    if kind not in SCHOOL_KINDS:
        raise ValueError(f"kind must be one of {', '.join(SCHOOL_KINDS)}")
    if s.scalar(select(School).where(School.slug == slug)):
        raise ValueError(f"a school '{slug}' already exists")
    school = School(slug=slug, name=name.strip(), kind=kind, settings={})
    s.add(school)
    s.flush()
    return school


def school_by_slug(s: Session, slug: str) -> School:
    school = s.scalar(select(School).where(School.slug == slug))
    if school is None:
        raise ValueError(f"no school '{slug}'")
    return school


def create_user(
    s: Session, email: str, name: str, role: str, school_slug: str, password: str | None = None
) -> tuple[User, str | None]:
    """Create a user (or give an existing one a role). Returns the password if one was generated."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    school = school_by_slug(s, school_slug)
    email = email.strip().lower()
    user = s.scalar(select(User).where(User.email == email))
    generated = None
    if user is None:
        if password is None:
            password = generated = secrets.token_urlsafe(12)
        user = User(email=email, name=name.strip(), password_hash=hash_password(password))
        s.add(user)
        s.flush()
    elif password:
        user.password_hash = hash_password(password)
    membership = next((m for m in user.memberships if m.school_id == school.id), None)
    if membership:
        membership.role = role
    else:
        user.memberships.append(Membership(school_id=school.id, role=role))
    s.flush()
    return user, generated


def parse_calendar(text: str) -> list[tuple[str, date, date, str]]:
    """CSV ``start,end,label``: terms, and closure days (same start and end, label 'closed…')."""
    rows = []
    reader = csv.reader(io.StringIO(text))
    for number, row in enumerate(reader, start=1):
        if not row or not "".join(row).strip() or row[0].strip().lower() == "start":
            continue
        if len(row) < 2:
            raise ValueError(f"line {number}: expected start,end,label")
        try:
            start, end = date.fromisoformat(row[0].strip()), date.fromisoformat(row[1].strip())
        except ValueError:
            raise ValueError(f"line {number}: dates must look like 2026-09-03") from None
        if end < start:
            raise ValueError(f"line {number}: the end is before the start")
        label = row[2].strip() if len(row) > 2 else ""
        kind = "closure" if start == end and label.lower().startswith("closed") else "term"
        rows.append((kind, start, end, label))
    return rows


def load_calendar(s: Session, school_slug: str, text: str) -> tuple[int, int]:
    """Replace a school's calendar with the CSV's terms and closures."""
    school = school_by_slug(s, school_slug)
    rows = parse_calendar(text)
    school.calendar.clear()
    s.flush()
    for kind, start, end, label in rows:
        school.calendar.append(CalendarEntry(kind=kind, start=start, end=end, label=label))
    s.flush()
    return sum(r[0] == "term" for r in rows), sum(r[0] == "closure" for r in rows)
