"""The CDS Hooks 2.0 JSON Schema (cds-hooks-2.0.json, written from https://cds-hooks.hl7.org/2.0/) and validators
for each message, reporting errors as {"field": ..., "message": ...} like the rest of SpinePrompt."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

# jsonschema reports one "required" error per missing property, naming it in the message: "'patientId' is a ...".
_REQUIRED = re.compile(r"^'(.+)' is a required property$")

SCHEMA: dict[str, Any] = json.loads((Path(__file__).with_name("cds-hooks-2.0.json")).read_text(encoding="utf-8"))


@cache
def validator(definition: str) -> Draft202012Validator:
    """A validator for one message of the schema: discoveryResponse, request, response, feedbackRequest, or a hook's
    context (patientViewContext, orderSelectContext)."""
    if definition not in SCHEMA["$defs"]:
        raise KeyError(definition)
    return Draft202012Validator({**SCHEMA, "$ref": f"#/$defs/{definition}"})


def _field(prefix: str, path: Any) -> str:
    parts = [prefix] if prefix else []
    for p in path:
        if isinstance(p, int):
            parts[-1:] = [f"{parts[-1]}[{p}]"] if parts else [f"[{p}]"]
        else:
            parts.append(str(p))
    return ".".join(parts) or "(body)"


def _message(error: Any) -> str:
    if error.validator in ("pattern", "minLength", "maxLength") and error.schema == SCHEMA["$defs"]["uuid"]:
        return "must be a UUID"
    if error.validator == "required":
        return "is missing a required field"
    if error.validator == "type":
        return f"must be of type {error.validator_value}"
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        return "must be one of: " + ", ".join(map(str, allowed))
    if error.validator == "minLength":
        return "must not be empty"
    if error.validator == "dependentRequired":
        return "is required when " + ", ".join(error.validator_value) + " is given"
    if error.validator == "oneOf":
        return "must be a FHIR resource (with resourceType) or null"
    # Other messages quote the offending value, which may be patient data: say only what was expected.
    return f"does not match the CDS Hooks 2.0 schema ({error.validator})"


def errors(definition: str, instance: Any, *, prefix: str = "") -> list[dict[str, str]]:
    """Every schema error in ``instance``, each naming its field (a missing field is named itself)."""
    out = []
    for error in sorted(validator(definition).iter_errors(instance), key=lambda e: list(map(str, e.path))):
        path = list(error.path)
        if error.validator == "required":
            match = _REQUIRED.match(error.message)
            path.append(match.group(1) if match else "")
        elif error.validator == "dependentRequired":
            path.append(next(iter(error.validator_value.values()), [""])[0])
        item = {"field": _field(prefix, path), "message": _message(error)}
        if item not in out:  # a UUID too short and not matching the pattern: said once
            out.append(item)
    return out
