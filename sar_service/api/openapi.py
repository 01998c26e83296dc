"""The OpenAPI 3.1 description of /api/v1, built from the same constants the code uses."""

from __future__ import annotations

from flask import jsonify

from sar_service.api import bp
from sar_service.cases.look import REASONS
from sar_service.i18n.languages import CODES, LANGUAGE_TAG
from sar_service.models.release import DELIVERY_VIAS
from workflows.request_types import CHANNELS, RELATIONSHIPS, REQUEST_TYPES
from workflows.states import BY_ACTION, Status


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _schemas() -> dict:
    date = {"type": "string", "format": "date"}
    return {
        "Problem": {
            "type": "object",
            "required": ["title", "status", "detail"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "errors": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        "Requester": {
            "type": "object",
            "required": ["name", "relationship"],
            "properties": {
                "name": {"type": "string", "maxLength": 200},
                "email": {"type": "string", "format": "email"},
                "phone": {"type": "string"},
                "address": {"type": "string"},
                "relationship": {"enum": list(RELATIONSHIPS)},
            },
        },
        "Subject": {
            "type": "object",
            "required": ["name", "date_of_birth"],
            "properties": {
                "name": {"type": "string"},
                "date_of_birth": date,
                "year_group": {"type": "string"},
            },
        },
        "RequestIn": {
            "type": "object",
            "required": ["types", "requester", "subject"],
            "properties": {
                "types": {"type": "array", "minItems": 1, "items": {"enum": list(REQUEST_TYPES)}},
                "language": {
                    "type": "string",
                    "maxLength": 16,
                    "pattern": LANGUAGE_TAG,
                    "description": "The parent's language, a BCP 47 tag such as pl, ar or ur. "
                    "Default: the best supported match for Accept-Language, else en. "
                    "Emails and the portal use it when it is one of: " + ", ".join(CODES) + ".",
                },
                "requester": _ref("Requester"),
                "subject": _ref("Subject"),
                "details": {
                    "type": "object",
                    "description": 'Per type, e.g. {"rectification": {"current": …}}: '
                    "the keys each type asks for, plus at most 5 others (500 characters "
                    "each); more is refused with 422.",
                },
            },
        },
        "StaffRequestIn": {
            "allOf": [
                _ref("RequestIn"),
                {
                    "type": "object",
                    "required": ["school", "received_on", "channel"],
                    "properties": {
                        "school": {"type": "string"},
                        "received_on": date,
                        "channel": {"enum": list(CHANNELS)},
                    },
                },
            ]
        },
        "QuestionIn": {
            "type": "object",
            "required": ["question"],
            "properties": {
                "question": {"type": "string", "minLength": 1, "maxLength": 2000},
                "language": {"type": "string", "description": "BCP 47 tag, e.g. pl"},
            },
        },
        "Answer": {
            "type": "object",
            "required": ["intent", "answered", "answer", "quote", "section"],
            "properties": {
                "intent": {
                    "type": "string",
                    "description": "question, or the request type the message starts",
                },
                "answered": {"type": "boolean"},
                "answer": {"type": "string", "description": "what the parent is shown"},
                "quote": {"type": ["string", "null"], "description": "the notice's words"},
                "section": {"type": ["string", "null"], "description": "its section heading"},
            },
        },
        "Receipt": {
            "type": "object",
            "properties": {
                "reference": {"type": "string"},
                "due_date": date,
                "status": {"type": "string"},
                "language": {"type": "string"},
            },
        },
        "Case": {
            "type": "object",
            "required": ["reference", "school", "types", "status", "received_on", "due_date"],
            "properties": {
                "reference": {"type": "string"},
                "school": {"type": "string"},
                "types": {"type": "array", "items": {"type": "string"}},
                "status": {"enum": [s.value for s in Status]},
                "received_on": date,
                "language": {"type": "string", "description": "The parent's language (BCP 47)"},
                "clock_started_on": date,
                "due_date": date,
                "school_days_due_date": date,
                "extended": {"type": "boolean"},
                "paused": {"type": "boolean"},
                "needs_look": {
                    "type": "boolean",
                    "description": "May not be genuine: no reminders until a person decides "
                    "(actions look_genuine, not_a_request).",
                },
                "look_reasons": {"type": "array", "items": {"enum": sorted(REASONS)}},
                "days_remaining": {"type": ["integer", "null"]},
                "events": {"type": "array", "items": {"type": "object"}},
                "allowed_actions": {"type": "array", "items": {"type": "string"}},
                "clocks": {"type": "array", "items": _ref("Clock")},
                "was_overdue_on": {"type": ["string", "null"], "format": "date"},
                "version": {"type": "integer"},
            },
        },
        "Clock": {
            "type": "object",
            "description": "One clock the case runs: one per distinct rule among its rights.",
            "required": ["kind", "types", "due_date", "paused_days", "extended", "was_overdue_on"],
            "properties": {
                "kind": {"enum": ["one_month", "exam_marks", "school_days", "complaint"]},
                "types": {"type": "array", "items": {"type": "string"}},
                "due_date": date,
                "clock_started_on": date,
                "paused_days": {"type": "integer"},
                "paused": {"type": "boolean"},
                "extended": {"type": "boolean"},
                "was_overdue_on": {"type": ["string", "null"], "format": "date"},
                "candidates": {"type": "array", "items": {"type": "object"}},
                "warning": {"type": ["string", "null"]},
                "explanation": {"type": "array", "items": {"type": "string"}},
            },
        },
        "CaseList": {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": _ref("Case")},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "total": {"type": "integer"},
            },
        },
        "ActionIn": {
            "type": "object",
            "required": ["action"],
            "properties": {
                "action": {"enum": sorted(BY_ACTION)},
                "on": date,
                "reason": {"type": "string"},
                "assignee": {"type": "string", "format": "email"},
                "checked_on": {**date, "description": "verify_identity: the day ID was checked."},
                "notice_via": {
                    "enum": ["letter", "email", "post"],
                    "description": "extend dated in the past: how notice was given.",
                },
                "notice_on": {**date, "description": "extend dated in the past: when."},
                "notice_detail": {"type": "string"},
                "delivered_via": {
                    "enum": list(DELIVERY_VIAS),
                    "description": "record_delivery: how the documents reached the requester "
                    "other than through the portal (the date is `on`).",
                },
                "delivery_note": {
                    "type": "string",
                    "maxLength": 500,
                    "description": "record_delivery: e.g. a tracking number (staff only).",
                },
                "version": {"type": "integer", "description": "Fail with 409 if the case changed."},
            },
        },
    }


def _param(name: str, schema: dict, where: str = "query", required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required, "schema": schema}


def spec() -> dict:
    ref_param = _param("reference", {"type": "string"}, "path", True)
    errors = {"401": _problem("No or bad token"), "404": _problem("Not found or not yours")}
    return {
        "openapi": "3.1.0",
        "info": {"title": "SAR Service API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {
            "/schools/{slug}/requests": {
                "post": {
                    "summary": "Make a request (public)",
                    "parameters": [_param("slug", {"type": "string"}, "path", True)],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("RequestIn")}},
                    },
                    "responses": {
                        "201": _json(_ref("Receipt"), "Created"),
                        "400": _problem("Not a JSON object"),
                        "404": _problem("No such school"),
                        "413": _problem("Body over 64 KB"),
                        "422": _problem("Invalid request"),
                        "429": _problem("Too many requests from this address; see Retry-After"),
                    },
                }
            },
            "/schools/{slug}/questions": {
                "post": {
                    "summary": "Ask a question the school's privacy notice may answer (public)",
                    "description": "Answered from the notice, or routed to the request it "
                    "starts. Nothing is stored: an unanswered question is not queued (the "
                    "conversation's own form sends questions to the school's inbox).",
                    "parameters": [_param("slug", {"type": "string"}, "path", True)],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("QuestionIn")}},
                    },
                    "responses": {
                        "200": _json(_ref("Answer"), "Answered, or not"),
                        "400": _problem("Bad input"),
                        "404": _problem("No such school"),
                        "413": _problem("Body over 64 KB"),
                        "429": _problem("Too many requests from this address; see Retry-After"),
                    },
                }
            },
            "/cases": {
                "post": {
                    "summary": "Log a request received another way",
                    "security": [{"bearer": []}],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("StaffRequestIn")}},
                    },
                    "responses": {
                        "201": _json(_ref("Case"), "Created"),
                        "422": _problem("Invalid"),
                        **errors,
                    },
                },
                "get": {
                    "summary": "List cases",
                    "security": [{"bearer": []}],
                    "parameters": [
                        _param("status", {"enum": [s.value for s in Status]}),
                        _param("type", {"enum": list(REQUEST_TYPES)}),
                        _param("overdue", {"type": "boolean"}),
                        _param("q", {"type": "string"}),
                        _param("school", {"type": "string"}),
                        _param("assignee", {"type": "string"}),
                        _param("channel", {"enum": list(CHANNELS)}),
                        _param(
                            "sort", {"enum": ["due", "-due", "received", "-received", "reference"]}
                        ),
                        _param("page", {"type": "integer", "minimum": 1}),
                        _param("per_page", {"type": "integer", "minimum": 1, "maximum": 100}),
                    ],
                    "responses": {
                        "200": _json(_ref("CaseList"), "A page of cases"),
                        "400": _problem("Bad filter"),
                        **errors,
                    },
                },
            },
            "/cases/{reference}": {
                "get": {
                    "summary": "One case, with clocks, timeline and allowed actions",
                    "security": [{"bearer": []}],
                    "parameters": [ref_param, _param("school", {"type": "string"})],
                    "responses": {"200": _json(_ref("Case"), "The case"), **errors},
                }
            },
            "/cases/{reference}/actions": {
                "post": {
                    "summary": "Apply a state-machine action",
                    "security": [{"bearer": []}],
                    "parameters": [ref_param],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("ActionIn")}},
                    },
                    "responses": {
                        "200": _json(_ref("Case"), "The case after the action"),
                        "409": _problem("Not allowed now, or changed by someone else"),
                        "422": _problem("Invalid input"),
                        **errors,
                    },
                }
            },
            **_letter_paths(),
            **_message_paths(),
            **_question_paths(),
            **_oversight_paths(errors),
        },
    }


def _oversight_paths(errors: dict) -> dict:
    """The figures behind the dashboard, and the register (every case ever)."""
    scope = [
        _param("school", {"type": "string"}),
        _param("from", {"type": "string", "format": "date"}),
        _param("to", {"type": "string", "format": "date"}),
    ]
    counts = {"type": "object", "additionalProperties": {"type": "integer"}}
    stats = {
        "type": "object",
        "required": ["as_of", "from", "to", "schools", "open", "received", "responded"],
        "properties": {
            "as_of": {"type": "string", "format": "date"},
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "schools": {"type": "array", "items": {"type": "object"}},
            "open": {
                "type": "object",
                "properties": {
                    "total": {"type": "integer"},
                    "by_status": counts,
                    "by_days_left": counts,
                    "overdue": {"type": "integer"},
                },
            },
            "received": {
                "type": "object",
                "properties": {
                    "total": {"type": "integer"},
                    "by_status": counts,
                    "by_type": counts,
                    "by_channel": counts,
                    "by_language": counts,
                    "extended": {"type": "integer"},
                    "paused": {"type": "integer"},
                },
            },
            "responded": {
                "type": "object",
                "properties": {
                    "total": {"type": "integer"},
                    "on_time": {"type": "integer"},
                    "late": {"type": "integer"},
                    "on_time_rate": {"type": ["number", "null"]},
                    "median_days_to_respond": {"type": ["number", "null"]},
                    "p90_days_to_respond": {"type": ["integer", "null"]},
                    "by_month": {"type": "array", "items": {"type": "object"}},
                },
            },
        },
    }
    return {
        "/stats": {
            "get": {
                "summary": "Figures for your schools: counts, on-time rate, days to respond",
                "description": "Requests received and responses sent from..to (default: the "
                "last 12 months); open cases as of today. On time: responded on or before "
                "the due date.",
                "security": [{"bearer": []}],
                "parameters": scope,
                "responses": {
                    "200": _json(stats, "The figures"),
                    "400": _problem("Bad date"),
                    **errors,
                },
            }
        },
        "/register.csv": {
            "get": {
                "summary": "The register: one line per case ever, purged cases included",
                "security": [{"bearer": []}],
                "parameters": [_param("school", {"type": "string"})],
                "responses": {
                    "200": {"description": "CSV", "content": {"text/csv": {}}},
                    **errors,
                },
            }
        },
    }


def _letter_paths() -> dict:
    from sar_service.letters.api import openapi_paths

    return openapi_paths()


def _message_paths() -> dict:
    from sar_service.api.messages import openapi_paths

    return openapi_paths()


def _question_paths() -> dict:
    from sar_service.questions.api import openapi_paths

    return openapi_paths()


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(spec())
