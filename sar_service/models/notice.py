"""A school's imported privacy notice: the file as uploaded, its text, and what was parsed.

The original file and its SHA-256 are kept so staff (and an auditor) can see
exactly what the school published; ``review`` holds what staff corrected and
confirmed on the review screen (see ``sar_service.notices.review``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime


class PrivacyNotice(Base):
    """Each import is a new row; the newest is the school's current notice."""

    __tablename__ = "privacy_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    imported_by: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    source: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    review: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
