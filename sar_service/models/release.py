"""What reached the parent: the documents in each bundle, readable one by one in the portal,
and deliveries staff made another way (post, in person, secure email).

``BundleItem`` rows are written when a bundle is built, so the portal lists exactly what
is in the released zip (the review may change afterwards; a release never does).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime

#: How documents can be delivered other than through the portal, as staff read them.
DELIVERY_VIAS = {
    "post": "By post",
    "hand": "In person",
    "secure_email": "By secure email",
}


class BundleItem(Base):
    """One document (or the letter) in a built bundle, in the bundle's order."""

    __tablename__ = "bundle_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 0: the letter; 1..n: as in the zip's index
    #: The released bytes: the redacted copy where there is one (first_opened_at is on it).
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(255))
    file_kind: Mapped[str] = mapped_column(String(10), default="")


class Delivery(Base):
    """Staff record that the documents reached the parent another way, and on which day."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    via: Mapped[str] = mapped_column(String(20))
    delivered_on: Mapped[date] = mapped_column(Date)
    #: e.g. a tracking number or the secure email service used (staff-only).
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
