"""Letters in the JSON API: list, generate and download a case's letters.

Routes on the API blueprint (bearer tokens, problem+json errors). Tenancy
comes from ``find_case``: another school's case, or a document of another
case, is a 404. DPOs and caseworkers may generate and download; every
role at the school may list.
"""

from __future__ import annotations

from datetime import date

from flask import Response, g, jsonify

from sar_service.api import bp
from sar_service.cases.serialize import reads_documents
from sar_service.db import session
from sar_service.models import Document
from sar_service.models.notification import Notification
from sar_service.web.bearer import WRITE_ROLES, case_or_404, token_required
from sar_service.web.downloads import attachment
from sar_service.web.json_body import json_body
from sar_service.web.problems import ApiProblem, invalid

from . import sending, service
from .kinds import KIND_NAMES
from .service import DOCX, letter_of, letters_of


def document_json(document: Document) -> dict:
    notification = (
        session().get(Notification, document.notification_id) if document.notification_id else None
    )
    accepted = notification is not None and notification.status == "sent"
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
        "edited": bool(document.wording),
        "via": document.sent_via or None,
        "sent_on": document.sent_on.isoformat() if document.sent_on else None,
        "sent_at": document.sent_at.isoformat() if document.sent_at else None,
        "message_id": notification.message_id if accepted and notification else None,
        "delivery": sending.delivery(document, notification),
    }


@bp.post("/cases/<reference>/letters/<int:id>/send")
@token_required
def send_letter(reference: str, id: int):  # noqa: A002 - the path parameter's name
    """Send a draft letter by email now, or record it posted (or handed over) on a date."""
    case = case_or_404(reference)
    if g.api_user.role_in(case.school_id) not in WRITE_ROLES:
        raise ApiProblem(403, "Forbidden", "Your role at this school cannot send letters.")
    document = letter_of(session(), case, id)
    if document is None:
        raise ApiProblem(404, "Not found", f"No letter {id} on case {reference}.")
    body = json_body()
    if not isinstance(body, dict):
        return invalid({"via": "Send a JSON object with 'via': email, post or hand."})
    unknown = sorted(set(body) - {"via", "on"})
    if unknown:
        return invalid({unknown[0]: "Unknown field: send only 'via' and 'on'."})
    on, given = None, body.get("on")
    if given not in (None, ""):
        try:
            on = date.fromisoformat(str(given))
        except ValueError:
            return invalid({"on": "Give the date as YYYY-MM-DD."})
    try:
        sending.send_letter(
            session(), case, document, body.get("via"), on=on, actor_label=g.api_user.name
        )
    except sending.SendRefused as refused:
        session().rollback()
        if refused.status == 409:
            raise ApiProblem(409, "Letter cannot be sent", refused.detail) from None
        return invalid({refused.field: refused.detail})
    session().commit()
    return jsonify(document_json(document))


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


def pdf_response(document: Document) -> Response:
    """A stored letter as a print-ready PDF attachment (made from its frozen .docx)."""
    from .pdf import PDF, letter_pdf
    from .reading import read, stored_bytes

    data = letter_pdf(read(stored_bytes(document)))
    return attachment(data, document.filename.rsplit(".", 1)[0] + ".pdf", PDF, len(data))


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
            "edited": {
                "type": "boolean",
                "description": "The wording was edited for this case (re-checked like any)",
            },
            "via": {
                "enum": ["email", "post", "hand", None],
                "description": "How it was sent; null while a draft",
            },
            "sent_on": {
                "type": ["string", "null"],
                "format": "date",
                "description": "The letter's date: the day it was emailed, posted or handed over",
            },
            "sent_at": {"type": ["string", "null"], "format": "date-time"},
            "message_id": {
                "type": ["string", "null"],
                "description": "Email only: the Message-ID, once the SMTP server accepted it",
            },
            "delivery": {
                "enum": ["queued", "sent", "failed", None],
                "description": "Email only: queued, sent (accepted by SMTP) or failed for good",
            },
        },
    }
    send_body = {
        "type": "object",
        "required": ["via"],
        "additionalProperties": False,
        "properties": {
            "via": {"enum": list(sending.VIAS)},
            "on": {
                "type": "string",
                "format": "date",
                "description": "Post or hand: the day it was posted or handed over (default "
                "today, never in the future). Email: leave out (it goes today)",
            },
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
        "/cases/{reference}/letters/{id}/send": {
            "post": {
                "summary": "Send a draft letter: by email now (the .docx and a PDF attached), "
                "or record it posted or handed over on a date. It is made again dated that "
                "day, then frozen",
                "security": [{"bearer": []}],
                "parameters": [ref, doc_id],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": send_body}},
                },
                "responses": {
                    "200": {
                        "description": "The sent letter",
                        "content": {"application/json": {"schema": letter}},
                    },
                    "403": {"description": "Role may not send letters", "content": problem},
                    "409": {
                        "description": "Already sent (make a new version), or it fails its "
                        "legal checks without a DPO override",
                        "content": problem,
                    },
                    "422": {
                        "description": "Bad 'via' or date, or email with no address",
                        "content": problem,
                    },
                    **errors,
                },
            }
        },
    }
