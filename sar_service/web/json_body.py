"""The JSON body of an API request, or a problem response saying how to send one."""

from __future__ import annotations

from typing import Any

from flask import request

from sar_service.web.problems import ApiProblem


def json_body(max_bytes: int | None = None) -> dict[str, Any]:
    """The body as a JSON object; 413 past ``max_bytes`` (read no further), else 400."""
    if max_bytes is not None:
        if request.content_length is not None and request.content_length > max_bytes:
            raise ApiProblem(
                413, "Content too large", f"Send a JSON body of {max_bytes} bytes or fewer."
            )
        request.max_content_length = max_bytes  # a body without a length is cut off here too
    body = request.get_json(silent=True)
    if body is None:
        raise ApiProblem(
            400, "Bad request", "Send a JSON body with Content-Type: application/json."
        )
    if not isinstance(body, dict):
        raise ApiProblem(400, "Bad request", 'Send a JSON object, like {"key": "value"}.')
    if _has_nul(body):
        raise ApiProblem(400, "Bad request", "Text cannot contain the NUL character (\\u0000).")
    return body


def _has_nul(value: Any) -> bool:
    """Whether any key or string in ``value`` holds a NUL: PostgreSQL refuses it in text,
    so it would otherwise become a server error wherever the text is stored."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
