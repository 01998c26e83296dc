"""``GET /api/v1/questions``: parents' questions at the caller's schools (staff, bearer token).

Scoped like the staff page: only the schools where the caller's role may read
questions (``cases.visibility.READS_QUESTIONS``); filters ``status`` and
``school``; paginated like ``/api/v1/cases``.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from sqlalchemy import select

from sar_service.api import bp
from sar_service.db import session
from sar_service.models import ParentQuestion, School
from sar_service.models.question import STATUSES
from sar_service.questions import service
from sar_service.web.bearer import token_required
from sar_service.web.problems import ApiProblem
from sar_service.web.query_args import int_arg


@bp.get("/questions")
@token_required
def list_questions():
    """200 {"items", "page", "per_page", "total"}; 400 bad filter; 403 no role that reads them."""
    ids = service.school_ids_for(g.api_user)
    if not ids:
        raise ApiProblem(403, "Forbidden", "Your role does not let you read parents' questions.")
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        raise ApiProblem(400, "Bad request", f"'status' must be one of {', '.join(STATUSES)}.")
    s = session()
    schools = {sc.id: sc for sc in s.scalars(select(School).where(School.id.in_(ids)))}
    slug = request.args.get("school") or None
    if slug is not None:
        ids = [sid for sid, sc in schools.items() if sc.slug == slug]
        if not ids:
            raise ApiProblem(400, "Bad request", f"'{slug[:60]}' is not one of your schools.")
    page = int_arg("page", 1, 1, 100_000)
    per_page = int_arg("per_page", 25, 1, 100)
    query = service.listing(ids, status)
    total = service.count(s, query)
    rows = list(s.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    sent = {nid: n.status for nid, n in service.answer_emails(s, rows).items()}
    items = [item(q, schools[q.school_id].slug, sent.get(q.notification_id)) for q in rows]
    return jsonify(items=items, page=page, per_page=per_page, total=total)


def item(q: ParentQuestion, school_slug: str, email_status: str | None) -> dict[str, Any]:
    return {
        "id": q.id,
        "school": school_slug,
        "question": q.text,
        "language": q.language,
        "email": q.email or None,
        "asked_at": q.asked_at.isoformat(),
        "status": q.status,
        "answer": q.answer or None,
        "close_reason": q.close_reason or None,
        "answered_by": q.answered_by or None,
        "answered_at": q.answered_at.isoformat() if q.answered_at else None,
        "email_status": email_status,
    }


def openapi_paths() -> dict:
    """The questions endpoint for ``/api/v1/openapi.json``."""
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    text_or_null = {"type": ["string", "null"]}
    question = {
        "type": "object",
        "required": [
            "id",
            "school",
            "question",
            "language",
            "email",
            "asked_at",
            "status",
            "answer",
            "close_reason",
            "answered_by",
            "answered_at",
            "email_status",
        ],  # fmt: skip
        "properties": {
            "id": {"type": "integer"},
            "school": {"type": "string", "description": "The school's slug"},
            "question": {"type": "string", "maxLength": service.MAX_QUESTION},
            "language": {"type": "string", "description": "The page language it was asked in"},
            "email": {**text_or_null, "description": "null: the parent cannot be replied to"},
            "asked_at": {"type": "string", "format": "date-time"},
            "status": {"enum": list(STATUSES)},
            "answer": {**text_or_null, "description": "The answer emailed to the parent"},
            "close_reason": {**text_or_null, "description": "Why it was closed without reply"},
            "answered_by": text_or_null,
            "answered_at": {"type": ["string", "null"], "format": "date-time"},
            "email_status": {
                "enum": ["pending", "sending", "sent", "failed", "cancelled", None],
                "description": "The answer email's delivery (sent: SMTP accepted it)",
            },
        },
    }
    page = {
        "type": "object",
        "required": ["items", "page", "per_page", "total"],
        "properties": {
            "items": {"type": "array", "items": question},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
        },
    }

    def param(name: str, schema: dict) -> dict:
        return {"name": name, "in": "query", "required": False, "schema": schema}

    return {
        "/questions": {
            "get": {
                "summary": "Parents' questions to your schools (the questions inbox)",
                "description": "Questions the conversation could not answer from the privacy "
                "notice and the parent sent to the school; only schools where your role may "
                "read them (DPO, caseworker). Open first, then newest first.",
                "security": [{"bearer": []}],
                "parameters": [
                    param("status", {"enum": list(STATUSES)}),
                    param("school", {"type": "string"}),
                    param("page", {"type": "integer", "minimum": 1}),
                    param("per_page", {"type": "integer", "minimum": 1, "maximum": 100}),
                ],
                "responses": {
                    "200": {
                        "description": "A page of questions",
                        "content": {"application/json": {"schema": page}},
                    },
                    "400": {"description": "Bad filter", "content": problem},
                    "401": {"description": "No or bad token", "content": problem},
                    "403": {"description": "No role that reads questions", "content": problem},
                },
            }
        }
    }
