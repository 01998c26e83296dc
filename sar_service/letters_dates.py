"""Dates in the English form letters and emails use: "3 October 2026"."""

from __future__ import annotations

from datetime import date


def longdate(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def weekday_date(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"
