"""The OpenAPI 3.1 document for /api/v1, built from the rules core's own input schema."""

from __future__ import annotations

from typing import Any

from apps.rules import RULEBOOK_VERSION, input_json_schema
from apps.rules.contract import ROLES
from apps.rules.recommendation import CATEGORIES, PRIORITIES

_STR_LIST = {"type": "array", "items": {"type": "string"}}

# Every object below lists all its keys as required and allows no others: the API always sends every key (null
# where there is nothing), and tests/api/test_openapi_contract.py checks real responses against these schemas.
_PROMPT = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "id",
        "rule_version",
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
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["label", "url", "status"],
                "properties": {
                    "label": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                    "status": {
                        "type": "string",
                        "enum": ["V", "P", "R"],
                        "description": "V checked against the source; P primary source, passage not seen; R "
                        "reconstructed",
                    },
                },
            },
        },
        "codes": {
            "type": "array",
            "description": "SNOMED CT concepts to record (verified codes only)",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["system", "code", "display"],
                "properties": {
                    "system": {"const": "http://snomed.info/sct"},
                    "code": {"type": "string", "pattern": "^[0-9]{6,18}$"},
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

_REPORT = {
    "type": "object",
    "description": "the report screening (docs/report-screening.md)",
    "additionalProperties": False,
    "required": ["classification", "levels", "grade", "height_loss_percent", "matches"],
    "properties": {
        "classification": {"type": "string", "enum": ["urgent", "explicit", "probable", "none"]},
        "levels": {**_STR_LIST, "description": "vertebral levels of the fracture and urgent findings, T1-L5"},
        "grade": {"type": ["integer", "null"], "minimum": 1, "maximum": 3, "description": "highest Genant grade"},
        "height_loss_percent": {"type": ["integer", "null"], "minimum": 0},
        "matches": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["text", "start", "end", "class", "levels", "age"],
                "properties": {
                    "text": {"type": "string", "description": "the phrase exactly as in the report"},
                    "start": {"type": "integer", "minimum": 0},
                    "end": {"type": "integer", "minimum": 0},
                    "class": {
                        "type": "string",
                        "enum": ["explicit", "probable", "urgent", "mimic", "exclusion", "negated"],
                    },
                    "levels": _STR_LIST,
                    "age": {"type": ["string", "null"], "enum": ["old", "acute", None]},
                },
            },
        },
    },
}

_RESULT = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "rulebook_version",
        "input_version",
        "assessed_on",
        "assessor_role",
        "prompts",
        "unknowns",
        "notes",
        "report",
        "trace",
    ],
    "properties": {
        "rulebook_version": {"type": "string"},
        "input_version": {"type": "integer"},
        "assessed_on": {"type": "string", "format": "date"},
        "assessor_role": {"type": "string", "enum": list(ROLES)},
        "prompts": {"type": "array", "items": {"$ref": "#/components/schemas/Prompt"}},
        "unknowns": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["field", "label", "why", "rules"],
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
            "description": "the report screening, when report text was given (else null)",
            "oneOf": [{"$ref": "#/components/schemas/ReportScreen"}, {"type": "null"}],
        },
        "trace": {
            "type": "array",
            "description": "every rule, in catalogue order, with its outcome and the unknown inputs that left it "
            "undecided or could change it",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["rule", "version", "recommendations", "outcome", "missing"],
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
    "additionalProperties": False,
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        }
    },
}

_ERROR = {
    "type": "object",
    "additionalProperties": False,
    "required": ["error"],
    "properties": {
        "error": {"type": "string", "description": "what went wrong, in a few words"},
        "detail": {"type": "string", "description": "what the clinician should do instead"},
    },
}

_SOURCE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "label", "url", "status"],
    "properties": {
        "id": {"type": "string"},
        "label": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "status": {"type": "string", "enum": ["V", "P", "R"]},
    },
}
_SOURCES = {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Source"}}

_RULEBOOK = {
    "type": "object",
    "additionalProperties": False,
    "required": ["rulebook_version", "input_version", "recommendations", "rules"],
    "properties": {
        "rulebook_version": {"type": "string"},
        "input_version": {"type": "integer"},
        "recommendations": {
            "type": "array",
            "description": "the 14 co-produced recommendations (Bennett et al. 2024), in our paraphrase",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "id",
                    "number",
                    "version",
                    "title",
                    "audience",
                    "status",
                    "product",
                    "citations",
                    "prompts",
                ],
                "properties": {
                    "id": {"type": "string", "pattern": "^R[0-9]{2}$"},
                    "number": {"type": "integer", "minimum": 1, "maximum": 14},
                    "version": {"type": "integer", "minimum": 1},
                    "title": {"type": "string"},
                    "audience": {"type": "string"},
                    "status": {"type": "string", "enum": ["verified", "reconstructed"]},
                    "product": {"type": "string", "description": "what SpinePrompt does for it"},
                    "citations": _SOURCES,
                    "prompts": {**_STR_LIST, "description": "ids of the prompts that serve it"},
                },
            },
        },
        "rules": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "id",
                    "version",
                    "status",
                    "recommendation",
                    "recommendations",
                    "category",
                    "priority",
                    "title",
                    "conditions",
                    "evidence",
                    "citations",
                    "codes",
                ],
                "properties": {
                    "id": {"type": "string", "description": "stable prompt id"},
                    "version": {"type": "integer", "minimum": 1},
                    "status": {"type": "string"},
                    "recommendation": {"type": "string", "pattern": "^R[0-9]{2}$"},
                    "recommendations": {
                        "type": "array",
                        "items": {"type": "integer", "minimum": 1, "maximum": 14},
                    },
                    "category": {"type": "string", "enum": list(CATEGORIES)},
                    "priority": {"type": "string", "enum": list(PRIORITIES)},
                    "title": {"type": "string"},
                    "conditions": {"type": "string", "description": "when it fires, in words"},
                    "evidence": {
                        "type": "string",
                        "enum": ["V", "P", "R"],
                        "description": "the weakest mark among what the rule relies on",
                    },
                    "citations": _SOURCES,
                    "codes": _PROMPT["properties"]["codes"],
                },
            },
        },
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
                "ReportScreen": _REPORT,
                "Errors": _ERRORS,
                "Error": _ERROR,
                "Source": _SOURCE,
                "Rulebook": _RULEBOOK,
            },
        },
    }
