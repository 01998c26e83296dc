"""The JSON body of an API request, or a problem response saying how to send one."""

from __future__ import annotations

from flask import request

from sar_service.web.problems import ApiProblem


def json_body() -> dict:
    body = request.get_json(silent=True)
    if body is None:
        raise ApiProblem(
            400, "Bad request", "Send a JSON body with Content-Type: application/json."
        )
    return body
