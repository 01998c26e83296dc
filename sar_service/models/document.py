"""Documents on a case: generated letters, uploads, redacted copies, bundles.

The bytes live in encrypted storage (``sar_service.storage``); the row is
the record of what exists, who made it and whether the parent may see it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime

KINDS = ("letter", "upload", "evidence", "redacted", "bundle", "record")


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        # Two letters of one kind on one case can never share a version number, whatever races.
        Index(
            "uq_documents_letter_version",
            "case_id",
            "letter_kind",
            "version",
            unique=True,
            sqlite_where=text("kind = 'letter'"),
            postgresql_where=text("kind = 'letter'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    letter_kind: Mapped[str] = mapped_column(String(40), default="", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    release_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: A letter: the legal content it lacks (labels of the failed checks), [] when complete.
    failed_checks: Mapped[list[str] | None] = mapped_column(JSON, default=list, nullable=True)
    #: A DPO's reason for issuing a letter that fails its checks ("" = not overridden).
    override_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    # --- a letter once it is sent (issue 10); a sent letter never changes: a correction is a
    # new version, both kept.
    #: "" while a draft; "email", "post" or "hand" once sent.
    sent_via: Mapped[str] = mapped_column(String(20), default="", server_default="")
    #: The letter's date: the day it was sent (or, by post, the day staff say it was posted).
    sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: When staff sent it (for email: when it was handed to the outbox).
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: The address it went to (personal data: shown by role, never in an event reason).
    sent_to: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The email that carries it; its status and Message-ID say whether SMTP accepted it.
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), nullable=True
    )
    #: When the parent first opened it (or a released document) in the portal.
    first_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: A letter's wording edited for this case only (a template, like the school's); ""
    #: when the school's wording was used.
    wording: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: What staff gave besides the record (outcome, reasons, withheld ...), so the letter can
    #: be made again dated the day it is sent.
    inputs: Mapped[dict | None] = mapped_column(JSON, nullable=True)

    @property
    def sent(self) -> bool:
        return bool(self.sent_via)

    @property
    def blocked(self) -> bool:
        """A letter that fails its legal checks and that no DPO has overridden."""
        return bool(self.failed_checks) and not self.override_reason
