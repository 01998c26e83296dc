"""Letters in the JSON API: list, generate and download a case's letters.

Routes on the API blueprint (bearer tokens, problem+json errors). Tenancy
comes from ``find_case``: another school's case, or a document of another
case, is a 404. DPOs and caseworkers may generate and download; every
role at the school may list.
"""

from __future__ import annotations

from flask import Response, g, jsonify

from sar_service.api import bp
from sar_service.cases.serialize import reads_documents
from sar_service.db import session
from sar_service.models import Document
from sar_service.web.bearer import WRITE_ROLES, case_or_404, token_required
from sar_service.web.downloads import attachment
from sar_service.web.json_body import json_body
from sar_service.web.problems import ApiProblem, invalid

from . import service
from .kinds import KIND_NAMES
from .service import DOCX, letter_of, letters_of


def document_json(document: Document) -> dict:
    return {
        "id": document.id,
        "kind": document.letter_kind,
        "version": document.version,
        "filename": document.filename,
        "created_at": document.created_at.isoformat() if document.created_at else None,
        "created_by": document.created_by,
        "size": document.size,
        "failed_checks": list(document.failed_checks or []),
        "checks_overridden": bool(document.override_reason),
    }


@bp.get("/cases/<reference>/letters")
@token_required
def list_letters(reference: str):
    """The case's letters, newest first."""
    case = case_or_404(reference)
    return jsonify(items=[document_json(d) for d in letters_of(session(), case)])


@bp.post("/cases/<reference>/letters")
@token_required
def create_letter(reference: str):
    """Generate a letter now (it takes milliseconds); 201 with the stored document."""
    case = case_or_404(reference)
    if g.api_user.role_in(case.school_id) not in WRITE_ROLES:
        raise ApiProblem(403, "Forbidden", "Your role at this school cannot create letters.")
    body = json_body()
    if not isinstance(body, dict):
        return invalid({"kind": "Send a JSON object with the letter 'kind'."})
    document, errors = service.create_letter(
        session(),
        case,
        body.get("kind"),
        body,
        actor_label=g.api_user.name,
        unknown_kind=f"Choose a letter kind: one of {', '.join(KIND_NAMES)}.",
    )
    if document is None:
        return invalid(errors)
    session().commit()
    response = jsonify(document_json(document))
    response.status_code = 201
    response.headers["Location"] = f"/api/v1/cases/{case.reference}/letters/{document.id}"
    return response


@bp.get("/cases/<reference>/letters/<int:id>")
@token_required
def download_letter(reference: str, id: int):  # noqa: A002 - the path parameter's name
    """The .docx itself, as an attachment that is never cached."""
    case = case_or_404(reference)
    document = letter_of(session(), case, id)
    if document is None:
        raise ApiProblem(404, "Not found", f"No letter {id} on case {reference}.")
    if not reads_documents(g.api_user.role_in(case.school_id)):
        raise ApiProblem(403, "Forbidden", "Your role at this school cannot download letters.")
    if document.blocked:
        raise ApiProblem(409, "Letter fails its legal checks", service.blocked_message(document))
    return docx_response(document)


def docx_response(document: Document) -> Response:
    """A stored letter as an attachment (shared with the staff pages)."""
    from sar_service.storage import storage

    data = storage().get(document.storage_key)
    return attachment(data, document.filename, document.content_type, len(data))


def openapi_paths() -> dict:
    """The letters endpoints for ``/api/v1/openapi.json``."""
    ref = {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}
    doc_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    errors = {
        "401": {"description": "No or bad token", "content": problem},
        "404": {"description": "Not found or not yours", "content": problem},
    }
    text_list = {"type": "array", "items": {"type": "string"}}
    letter = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "kind": {"enum": list(KIND_NAMES)},
            "version": {"type": "integer"},
            "filename": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "created_by": {"type": "string"},
            "size": {"type": "integer"},
            "failed_checks": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Legal content the letter lacks; while any and not overridden "
                "by the DPO, downloading it is refused (409)",
            },
            "checks_overridden": {"type": "boolean"},
        },
    }
    body = {
        "type": "object",
        "required": ["kind"],
        "properties": {
            "kind": {"enum": list(KIND_NAMES)},
            "outcome": {"enum": ["done", "partly", "refused"]},
            "outcome_reasons": {"type": "string", "maxLength": 5000},
            "withheld": {
                "type": "array",
                "items": {"type": "array", "items": {"type": "string"}, "minItems": 2},
                "description": "[exemption, note of what was withheld] pairs: the letter "
                "states the exemption only, never the note",
            },
            "recipients_notified": text_list,
            "corrected": {
                "type": "string",
                "maxLength": 5000,
                "description": "Correction letters: what was corrected (needed when 'partly')",
            },
            "restricted": {
                "type": "boolean",
                "description": "Correction letters: use was restricted while accuracy was checked",
            },
            "published": {
                "type": "boolean",
                "description": "Erasure letters: the school had made the data public (Art 17(2))",
            },
            "direct_marketing": {
                "type": "boolean",
                "description": "Objection letters: the objection is to direct marketing "
                "(never refused, Art 21(3))",
            },
        },
    }
    docx = {"schema": {"type": "string", "format": "binary"}}
    return {
        "/cases/{reference}/letters": {
            "get": {
                "summary": "The case's letters, newest first",
                "security": [{"bearer": []}],
                "parameters": [ref],
                "responses": {
                    "200": {
                        "description": "Letters",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"items": {"type": "array", "items": letter}},
                                }
                            }
                        },
                    },
                    **errors,
                },
            },
            "post": {
                "summary": "Generate a letter (a new version of that kind)",
                "security": [{"bearer": []}],
                "parameters": [ref],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": body}},
                },
                "responses": {
                    "201": {
                        "description": "The stored letter",
                        "content": {"application/json": {"schema": letter}},
                    },
                    "403": {"description": "Role may not create letters", "content": problem},
                    "422": {"description": "Unknown or inapplicable kind", "content": problem},
                    **errors,
                },
            },
        },
        "/cases/{reference}/letters/{id}": {
            "get": {
                "summary": "Download one letter (.docx); DPOs and caseworkers only",
                "security": [{"bearer": []}],
                "parameters": [ref, doc_id],
                "responses": {
                    "200": {"description": "The letter", "content": {DOCX: docx}},
                    "403": {
                        "description": "Your role does not see requesters' details",
                        "content": problem,
                    },
                    **errors,
                },
            }
        },
    }
