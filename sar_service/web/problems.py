"""RFC 9457 problem details: every API error is JSON a person can read."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from werkzeug.exceptions import HTTPException

PROBLEM = "application/problem+json"


class ApiProblem(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ):
        super().__init__(detail)
        self.status, self.title, self.detail, self.extra = status, title, detail, extra
        self.headers = headers or {}


def problem(status: int, title: str, detail: str, **extra: Any):
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail} | extra
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    return response


def invalid(errors: dict[str, str]):
    first = next(iter(errors.values()))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return problem(422, "Invalid request", f"{first}{more}", errors=errors)


def register(bp) -> None:
    @bp.errorhandler(ApiProblem)
    def _api_problem(exc: ApiProblem):
        response = problem(exc.status, exc.title, exc.detail, **exc.extra)
        response.headers.update(exc.headers)
        return response

    @bp.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return problem(exc.code or 500, exc.name, exc.description or exc.name)
