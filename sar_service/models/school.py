"""Schools are tenants: each has its own notice, calendar, letterhead and staff."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime

SCHOOL_KINDS = ("maintained", "academy", "independent", "non_maintained_special")
#: Where parents have the educational-record right (Education (Pupil Information) (England)
#: Regulations 2005): maintained schools and non-maintained special schools.
EDUCATIONAL_RECORD_SCHOOL_KINDS = frozenset({"maintained", "non_maintained_special"})


class School(Base):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), default="maintained")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    dpo_name: Mapped[str] = mapped_column(String(200), default="")
    dpo_email: Mapped[str] = mapped_column(String(200), default="")
    dpo_phone: Mapped[str] = mapped_column(String(40), default="")
    reference_prefix: Mapped[str] = mapped_column(String(10), default="SAR")
    retention_years: Mapped[int] = mapped_column(Integer, default=6)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    calendar: Mapped[list[CalendarEntry]] = relationship(
        back_populates="school", cascade="all, delete-orphan", order_by="CalendarEntry.start"
    )

    @property
    def offers_educational_record(self) -> bool:
        """Only maintained and non-maintained special schools give parents the record."""
        return self.kind in EDUCATIONAL_RECORD_SCHOOL_KINDS


class CalendarEntry(Base):
    """A term (start..end) or a closure day (INSET, snow day) for school-day clocks."""

    __tablename__ = "calendar_entries"
    __table_args__ = (UniqueConstraint("school_id", "kind", "start", name="uq_calendar_entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "term" | "closure"
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(200), default="")

    school: Mapped[School] = relationship(back_populates="calendar")
