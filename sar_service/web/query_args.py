"""Query-string values the API reads, checked in one place: a bad one is a 400 problem."""

from __future__ import annotations

from flask import request

from sar_service.web.problems import ApiProblem


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """``?name=`` as a whole number between ``low`` and ``high`` (``default`` when absent)."""
    raw = request.args.get(name, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ApiProblem(400, "Bad request", f"'{name}' must be a whole number.") from None
    if not low <= value <= high:
        raise ApiProblem(400, "Bad request", f"'{name}' must be between {low} and {high}.")
    return value
