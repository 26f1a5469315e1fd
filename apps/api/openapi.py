"""The OpenAPI 3.1 document for /api/v1, built from the rules core's own input schema."""

from __future__ import annotations

from typing import Any

from apps.rules import RULEBOOK_VERSION, input_json_schema
from apps.rules.recommendation import CATEGORIES, PRIORITIES

_STR_LIST = {"type": "array", "items": {"type": "string"}}

_PROMPT = {
    "type": "object",
    "required": [
        "id",
        "category",
        "priority",
        "title",
        "detail",
        "because",
        "recommendations",
        "sources",
        "codes",
        "actions",
        "unknowns",
    ],
    "properties": {
        "id": {"type": "string", "description": "stable prompt id (../spec/prompts.md)"},
        "rule_version": {"type": "integer"},
        "category": {"type": "string", "enum": list(CATEGORIES)},
        "priority": {"type": "string", "enum": list(PRIORITIES)},
        "title": {"type": "string"},
        "detail": {"type": "string"},
        "because": {**_STR_LIST, "description": "the input facts that made the prompt fire"},
        "recommendations": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 14},
        },
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "label": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                    "status": {"type": "string", "enum": ["V", "P", "R"]},
                },
            },
        },
        "codes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "system": {"const": "http://snomed.info/sct"},
                    "code": {"type": "string"},
                    "display": {"type": "string"},
                },
            },
        },
        "actions": {**_STR_LIST, "description": "worded for the assessor's role"},
        "unknowns": {
            **_STR_LIST,
            "description": "unknown input fields that could change this prompt",
        },
    },
}

_RESULT = {
    "type": "object",
    "required": [
        "rulebook_version",
        "input_version",
        "assessed_on",
        "prompts",
        "unknowns",
        "trace",
    ],
    "properties": {
        "rulebook_version": {"type": "string"},
        "input_version": {"type": "integer"},
        "assessed_on": {"type": "string", "format": "date"},
        "assessor_role": {"type": "string"},
        "prompts": {"type": "array", "items": {"$ref": "#/components/schemas/Prompt"}},
        "unknowns": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "label": {"type": "string"},
                    "why": {"type": "string"},
                    "rules": _STR_LIST,
                },
            },
        },
        "notes": _STR_LIST,
        "report": {
            "type": ["object", "null"],
            "description": "the report screening, when report text was given",
        },
        "trace": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "rule": {"type": "string"},
                    "version": {"type": "integer"},
                    "recommendations": {"type": "array", "items": {"type": "integer"}},
                    "outcome": {"type": "string", "enum": ["fired", "not_fired", "not_assessable"]},
                    "missing": _STR_LIST,
                },
            },
        },
    },
}

_ERRORS = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        }
    },
}


def _json(ref: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def openapi_document() -> dict[str, Any]:
    unauthorised = {"description": "missing, unknown or revoked token", **_json("Error")}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SpinePrompt API",
            "version": "1",
            "description": "Decision support for osteoporotic vertebral fractures in UK primary care. "
            f"Rulebook {RULEBOOK_VERSION}. Every call needs a per-user bearer token "
            "(python manage.py create_api_token USERNAME).",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/evaluate": {
                "post": {
                    "summary": "Evaluate one assessment",
                    "description": "Validates the input (every error against its field path) and returns "
                    "cited prompts, the unknowns that would change them and a per-rule trace. Stores nothing.",
                    "requestBody": {"required": True, **_json("AssessmentInput")},
                    "responses": {
                        "200": {"description": "the evaluation", **_json("Evaluation")},
                        "400": {
                            "description": "invalid input; nothing evaluated or stored",
                            **_json("Errors"),
                        },
                        "401": unauthorised,
                        "413": {"description": "request too large", **_json("Errors")},
                        "500": {"description": "decision support unavailable", **_json("Error")},
                    },
                }
            },
            "/rulebook": {
                "get": {
                    "summary": "Every recommendation and rule, with its conditions in words and citations",
                    "responses": {
                        "200": {"description": "the rulebook", **_json("Rulebook")},
                        "401": unauthorised,
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": {"description": "the OpenAPI document"}},
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "AssessmentInput": input_json_schema(),
                "Evaluation": _RESULT,
                "Prompt": _PROMPT,
                "Errors": _ERRORS,
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}, "detail": {"type": "string"}},
                },
                "Rulebook": {
                    "type": "object",
                    "properties": {
                        "rulebook_version": {"type": "string"},
                        "recommendations": {"type": "array", "items": {"type": "object"}},
                        "rules": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "string"},
                                    "version": {"type": "integer"},
                                    "status": {"type": "string"},
                                    "conditions": {"type": "string"},
                                    "citations": {"type": "array", "items": {"type": "object"}},
                                },
                            },
                        },
                    },
                },
            },
        },
    }
