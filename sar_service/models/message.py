"""Messages between the school and the parent on a case: both ways, all kept in the case file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime

FROM_PARENT, TO_PARENT = "from_parent", "to_parent"
DIRECTIONS = (FROM_PARENT, TO_PARENT)

#: Why a message was written, as staff read it. The parent's own choices come first.
PURPOSES = {
    "clarification_answer": "Answer to our question",
    "question": "Question",
    "documents": "ID or other documents",
    "withdrawal": "Withdrawal",
    "staff_reply": "Reply from the school",
}


class CaseMessage(Base):
    """One message. ``body`` is personal data: who may read it is decided in
    ``cases.visibility``; the audit trail records only that a message exists."""

    __tablename__ = "case_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    #: "Requester (portal)" or the member of staff's name.
    author_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    #: Ids of the ``evidence_uploads`` rows sent with the message.
    upload_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: The email telling the parent about a message to them (a link, never the body).
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), nullable=True
    )
