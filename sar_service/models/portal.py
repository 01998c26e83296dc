"""Files a parent gives us (ID, evidence) through the request form or the portal."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime

if TYPE_CHECKING:
    from sar_service.uploads import StoredFile

#: What a requester's file is, as the portal asks and staff see it.
EVIDENCE_KINDS = {
    "identity": "Proof of identity",
    "authority": "Proof you can act for the child",
    "evidence": "Other information",
}


class EvidenceUpload(Base):
    """One uploaded file attached to a case; the bytes live in storage under ``stored_key``."""

    __tablename__ = "evidence_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    stored_key: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20), default="portal")  # "form" | "portal"
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    @classmethod
    def from_stored(
        cls, case_id: int, kind: str, stored: StoredFile, source: str
    ) -> EvidenceUpload:
        """The row recording a file ``uploads`` has checked and stored."""
        return cls(
            case_id=case_id,
            kind=kind,
            stored_key=stored.key,
            sha256=stored.sha256,
            size=stored.size,
            content_type=stored.content_type,
            original_name=stored.original_name,
            source=source,
        )
