"""Messages on a case for staff: ``GET/POST /api/v1/cases/<reference>/messages``.

Every role at the school sees that messages exist (direction, purpose, when, who);
only the roles that see requesters read their words (``cases.visibility``). Posting
is a staff reply: kept on the case, and the parent is emailed a link to the portal.
"""

from __future__ import annotations

from flask import g, jsonify

from sar_service.api import bp
from sar_service.cases import messages
from sar_service.cases.visibility import message_json, message_view
from sar_service.db import session
from sar_service.models.message import DIRECTIONS, PURPOSES
from sar_service.web.bearer import WRITE_ROLES, case_or_404, token_required
from sar_service.web.json_body import json_body
from sar_service.web.problems import ApiProblem, invalid


@bp.get("/cases/<reference>/messages")
@token_required
def list_messages(reference: str):
    case = case_or_404(reference)
    role = g.api_user.role_in(case.school_id)
    views = messages.views_for(session(), case, role)
    return jsonify(items=[message_json(v) for v in views])


@bp.post("/cases/<reference>/messages")
@token_required
def post_message(reference: str):
    """201 with the message kept; 422 for a missing, over-long or unexpected field."""
    case = case_or_404(reference)
    role = g.api_user.role_in(case.school_id)
    if role not in WRITE_ROLES:
        raise ApiProblem(403, "Forbidden", "Your role at this school cannot write to requesters.")
    body = json_body()
    unknown = sorted(set(body) - {"body"})
    if unknown:
        return invalid({k: 'Not a field of a message: send only "body".' for k in unknown})
    text = body.get("body")
    if not isinstance(text, str):
        return invalid({"body": 'Give the message as text in "body".'})
    s = session()
    try:
        message = messages.staff_reply(s, case, g.api_user, text)
    except messages.MessageRefused as exc:
        s.rollback()
        return invalid({exc.field: exc.detail})
    s.commit()
    view = message_view(message, role, [], "pending" if message.notification_id else None)
    return jsonify(message_json(view)), 201


def openapi_paths() -> dict:
    """The messages endpoints for ``/api/v1/openapi.json``."""
    ref = {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}
    school = {"name": "school", "in": "query", "required": False, "schema": {"type": "string"}}
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    errors = {
        "401": {"description": "No or bad token", "content": problem},
        "404": {"description": "Not found or not yours", "content": problem},
    }
    nullable_text = {"type": ["string", "null"]}
    message = {
        "type": "object",
        "required": [
            "id",
            "direction",
            "purpose",
            "created_at",
            "author",
            "body",
            "files",
            "email_status",
        ],
        "properties": {
            "id": {"type": "integer"},
            "direction": {"enum": list(DIRECTIONS)},
            "purpose": {"enum": list(PURPOSES)},
            "created_at": {"type": "string", "format": "date-time"},
            "author": {"type": "string"},
            "body": {
                **nullable_text,
                "description": "The words; null for roles that do not see requesters",
            },
            "files": {
                "type": ["array", "null"],
                "items": {"type": "string"},
                "description": "Names of the files the parent sent with it; null as body",
            },
            "email_status": {
                **nullable_text,
                "description": "To the parent: the status of the email carrying the link "
                "(pending, sending, sent, failed); null if none was sent",
            },
        },
    }
    message_in = {
        "type": "object",
        "required": ["body"],
        "additionalProperties": False,
        "properties": {"body": {"type": "string", "minLength": 1, "maxLength": messages.MAX_BODY}},
    }
    return {
        "/cases/{reference}/messages": {
            "get": {
                "summary": "The messages on a case, both ways, oldest first",
                "security": [{"bearer": []}],
                "parameters": [ref, school],
                "responses": {
                    "200": {
                        "description": "The thread",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"items": {"type": "array", "items": message}},
                                }
                            }
                        },
                    },
                    **errors,
                },
            },
            "post": {
                "summary": "Write to the requester (dpo, caseworker): they are emailed a link "
                "to their status page, never the message",
                "security": [{"bearer": []}],
                "parameters": [ref, school],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": message_in}},
                },
                "responses": {
                    "201": {
                        "description": "Kept; the email is queued",
                        "content": {"application/json": {"schema": message}},
                    },
                    "403": {"description": "Your role cannot write", "content": problem},
                    "422": {"description": "Invalid input", "content": problem},
                    **errors,
                },
            },
        }
    }
