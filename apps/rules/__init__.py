"""SpinePrompt's rules core: the 14 recommendations as cited, versioned rules.

A plain Python package, not a Django app: it must never import Django (tests/rules/test_purity.py proves it).
"""

from .contract import (
    INPUT_VERSION,
    AssessmentInput,
    FieldError,
    InputError,
    input_json_schema,
    validate,
)
from .engine import Evaluation, Prompt, evaluate, evaluate_data
from .registry import RECOMMENDATIONS, RULEBOOK_VERSION, RULES, RULES_BY_ID

__all__ = [
    "INPUT_VERSION",
    "RECOMMENDATIONS",
    "RULEBOOK_VERSION",
    "RULES",
    "RULES_BY_ID",
    "AssessmentInput",
    "Evaluation",
    "FieldError",
    "InputError",
    "Prompt",
    "evaluate",
    "evaluate_data",
    "input_json_schema",
    "validate",
]
