"""The OpenAPI 3.1 document for /api/v1, built from the rules core's own input schema."""

from __future__ import annotations

from typing import Any

from core.rules import RULEBOOK_VERSION, input_json_schema
from core.rules.contract import ROLES
from core.rules.recommendation import CATEGORIES, PRIORITIES

_STR_LIST = {"type": "array", "items": {"type": "string"}}
_MARK = {"type": "string", "enum": ["V", "P", "R"]}
_RECOMMENDATION_NUMBERS = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 14}}


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An object with exactly these keys, every one required: the API always sends every key (null where there is
    nothing), and tests/api/test_openapi_contract.py checks real responses against these schemas."""
    return {
        "type": "object",
        **extra,
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


_CODES = {
    "type": "array",
    "description": "SNOMED CT concepts to record (verified codes only)",
    "items": _object(
        {
            "system": {"const": "http://snomed.info/sct"},
            "code": {"type": "string", "pattern": "^[0-9]{6,18}$"},
            "display": {"type": "string"},
        }
    ),
}

_PROMPT = _object(
    {
        "id": {"type": "string", "description": "stable prompt id (../spec/prompts.md)"},
        "rule_version": {"type": "integer"},
        "category": {"type": "string", "enum": list(CATEGORIES)},
        "priority": {"type": "string", "enum": list(PRIORITIES)},
        "title": {"type": "string"},
        "detail": {"type": "string"},
        "because": {**_STR_LIST, "description": "the input facts that made the prompt fire"},
        "recommendations": _RECOMMENDATION_NUMBERS,
        "sources": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {
                    "label": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                    "status": {
                        **_MARK,
                        "description": "V checked against the source; P primary source, passage not seen; R "
                        "reconstructed",
                    },
                }
            ),
        },
        "codes": _CODES,
        "actions": {**_STR_LIST, "description": "worded for the assessor's role"},
        "unknowns": {**_STR_LIST, "description": "unknown input fields that could change this prompt"},
        "timeframe": {
            "type": ["object", "null"],
            "description": "when to act, where a cited guideline gives a time (null: no guideline gives one)",
            "additionalProperties": False,
            "required": ["text", "source"],
            "properties": {
                "text": {"type": "string"},
                "source": _object(
                    {"label": {"type": "string"}, "url": {"type": "string", "format": "uri"}, "status": _MARK}
                ),
            },
        },
    }
)

_REPORT = _object(
    {
        "classification": {"type": "string", "enum": ["urgent", "explicit", "probable", "none"]},
        "levels": {**_STR_LIST, "description": "vertebral levels of the fracture and urgent findings, T1-L5"},
        "grade": {"type": ["integer", "null"], "minimum": 1, "maximum": 3, "description": "highest Genant grade"},
        "height_loss_percent": {"type": ["integer", "null"], "minimum": 0},
        "matches": {
            "type": "array",
            "items": _object(
                {
                    "text": {"type": "string", "description": "the phrase exactly as in the report"},
                    "start": {"type": "integer", "minimum": 0},
                    "end": {"type": "integer", "minimum": 0},
                    "class": {
                        "type": "string",
                        "enum": ["explicit", "probable", "urgent", "mimic", "exclusion", "negated"],
                    },
                    "levels": _STR_LIST,
                    "age": {"type": ["string", "null"], "enum": ["old", "acute", None]},
                }
            ),
        },
    },
    description="the report screening (docs/report-screening.md)",
)

_RESULT = _object(
    {
        "rulebook_version": {"type": "string"},
        "input_version": {"type": "integer"},
        "assessed_on": {"type": "string", "format": "date"},
        "assessor_role": {"type": "string", "enum": list(ROLES)},
        "prompts": {"type": "array", "items": {"$ref": "#/components/schemas/Prompt"}},
        "unknowns": {
            "type": "array",
            "items": _object(
                {
                    "field": {"type": "string"},
                    "label": {"type": "string"},
                    "why": {"type": "string"},
                    "rules": _STR_LIST,
                }
            ),
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
            "items": _object(
                {
                    "rule": {"type": "string"},
                    "version": {"type": "integer"},
                    "recommendations": {"type": "array", "items": {"type": "integer"}},
                    "outcome": {"type": "string", "enum": ["fired", "not_fired", "not_assessable"]},
                    "missing": _STR_LIST,
                }
            ),
        },
    }
)

_ERRORS = _object(
    {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": _object({"field": {"type": "string"}, "message": {"type": "string"}}),
        }
    }
)

# The one object with an optional key: "detail" comes only with "decision support unavailable".
_ERROR = {
    **_object(
        {
            "error": {"type": "string", "description": "what went wrong, in a few words"},
            "detail": {"type": "string", "description": "what the clinician should do instead"},
        }
    ),
    "required": ["error"],
}

_SOURCE = _object(
    {"id": {"type": "string"}, "label": {"type": "string"}, "url": {"type": "string", "format": "uri"}, "status": _MARK}
)
_SOURCES = {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Source"}}

_RULEBOOK = _object(
    {
        "rulebook_version": {"type": "string"},
        "input_version": {"type": "integer"},
        "recommendations": {
            "type": "array",
            "description": "the 14 co-produced recommendations (Bennett et al. 2024), in our paraphrase",
            "items": _object(
                {
                    "id": {"type": "string", "pattern": "^R[0-9]{2}$"},
                    "number": {"type": "integer", "minimum": 1, "maximum": 14},
                    "version": {"type": "integer", "minimum": 1},
                    "title": {"type": "string"},
                    "audience": {"type": "string"},
                    "status": {"type": "string", "enum": ["verified", "reconstructed"]},
                    "product": {"type": "string", "description": "what SpinePrompt does for it"},
                    "citations": _SOURCES,
                    "prompts": {**_STR_LIST, "description": "ids of the prompts that serve it"},
                }
            ),
        },
        "rules": {
            "type": "array",
            "items": _object(
                {
                    "id": {"type": "string", "description": "stable prompt id"},
                    "version": {"type": "integer", "minimum": 1},
                    "status": {"type": "string"},
                    "recommendation": {"type": "string", "pattern": "^R[0-9]{2}$"},
                    "recommendations": _RECOMMENDATION_NUMBERS,
                    "category": {"type": "string", "enum": list(CATEGORIES)},
                    "priority": {"type": "string", "enum": list(PRIORITIES)},
                    "title": {"type": "string"},
                    "conditions": {"type": "string", "description": "when it fires, in words"},
                    "evidence": {**_MARK, "description": "the weakest mark among what the rule relies on"},
                    "citations": _SOURCES,
                    "codes": _CODES,
                }
            ),
        },
    }
)


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
                        "403": {
                            "description": "the token's user has no clinical role (GP, nurse or physiotherapist)",
                            **_json("Error"),
                        },
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
