"""A school's own wording for one kind of letter.

Each save is a new row (so earlier wording stays on record); the newest row
for a school and kind is the one used. No row means the default wording in
``templates/letters/<kind>.txt``. Text is only ever stored after
``sar_service.letters.render.validate_template`` found nothing wrong with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sar_service.clock import now
from sar_service.db import Base, UTCDateTime


class LetterTemplate(Base):
    __tablename__ = "letter_templates"
    __table_args__ = (Index("ix_letter_templates_school_kind", "school_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
