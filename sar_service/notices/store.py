"""Storing a school's privacy notice and reading back the current one."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.models import PrivacyNotice, School
from sar_service.notices.parser import parse_notice
from sar_service.notices.reader import read_notice

MAX_NOTICE_BYTES = 5 * 1024 * 1024


def import_notice(
    session: Session, school: School, data: bytes, filename: str, imported_by: str = ""
) -> PrivacyNotice:
    """Read, parse and store a notice (.pdf, .docx, .html, .txt, .md) with its source file.

    Raises NoticeFormatError (a ValueError) with a message for a person on bad input.
    """
    from sar_service.notices.reader import NoticeFormatError

    if len(data) > MAX_NOTICE_BYTES:
        raise NoticeFormatError("The file is larger than 5 MB; is it really a privacy notice?")
    text = read_notice(data, filename)
    parsed = parse_notice(text)
    notice = PrivacyNotice(
        school_id=school.id,
        filename=filename,
        text=text,
        data=parsed,
        imported_by=imported_by,
        source=data,
        source_sha256=hashlib.sha256(data).hexdigest(),
        review={},
    )
    session.add(notice)
    session.flush()
    return notice


def import_pasted(
    session: Session, school: School, text: str, imported_by: str = ""
) -> PrivacyNotice:
    """A notice pasted as text (web page text, or its HTML source)."""
    from sar_service.notices.html import looks_like_html

    name = "pasted notice.html" if looks_like_html(text) else "pasted notice.txt"
    return import_notice(session, school, text.encode("utf-8"), name, imported_by)


def current_notice_row(session: Session, school: School) -> PrivacyNotice | None:
    """The school's newest imported notice (file name, who, when, text and data)."""
    return session.scalar(
        select(PrivacyNotice)
        .where(PrivacyNotice.school_id == school.id)
        .order_by(PrivacyNotice.id.desc())
        .limit(1)
    )


def current_notice(session: Session, school: School) -> dict[str, Any] | None:
    """The data of the school's newest notice, staff's corrections applied; None if none."""
    from sar_service.notices.review import effective

    row = current_notice_row(session, school)
    return effective(row) if row else None


def summary(data: dict[str, Any]) -> dict[str, Any]:
    """What ``sar import-notice`` prints: the lists, and how many of each."""
    keys = (
        "categories",
        "purposes",
        "recipients",
        "lawful_bases",
        "retention",
        "sources",
        "contacts",
    )
    out = {k: data.get(k, []) for k in keys}
    out["school_name"] = data.get("school_name")
    for key in ("legislation", "rights", "topics", "confidence"):
        if key in data:
            out[key] = data[key]
    out["counts"] = {k: len(out[k]) for k in keys}
    return out
