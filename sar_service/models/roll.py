"""The school roll and MIS exports, imported from CSV per school.

The roll finds a case's pupil (name + date of birth → UPN) and feeds the
redaction suggestions with every other pupil, parent and member of staff.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime

ROLL_ROLES = ("pupil", "parent", "staff")
DATASETS = ("attendance", "assessment", "behaviour")


class RollPerson(Base):
    __tablename__ = "roll_people"
    __table_args__ = (Index("ix_roll_people_school_role", "school_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    upn: Mapped[str] = mapped_column(String(13), default="", index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    date_of_birth: Mapped[date | None] = mapped_column(Date, nullable=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    pupil_upn: Mapped[str] = mapped_column(String(13), default="")  # a parent's child
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class MisRecord(Base):
    __tablename__ = "mis_records"
    __table_args__ = (Index("ix_mis_records_school_upn", "school_id", "upn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    dataset: Mapped[str] = mapped_column(String(20))
    upn: Mapped[str] = mapped_column(String(13))
    line: Mapped[int] = mapped_column(default=0)
    row: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
