"""SpinePrompt's rules core: the 14 recommendations as cited, versioned rules.

A plain Python package, not a Django app: it must never import Django (tests/test_layout.py proves it).
Its modules run compiled (mypyc) when a current build exists, else as plain Python: ``_compiled.py``, ADR 0003.
"""

from ._compiled import use_compiled

COMPILED = use_compiled(__path__)  # before any submodule is imported

from .contract import (  # noqa: E402 - after the build is chosen
    INPUT_VERSION,
    AssessmentInput,
    FieldError,
    InputError,
    input_json_schema,
    validate,
)
from .engine import evaluate_data  # noqa: E402
from .rulebook import RECOMMENDATIONS, RULEBOOK_VERSION, RULES, RULES_BY_ID  # noqa: E402

__all__ = [
    "COMPILED",
    "INPUT_VERSION",
    "RECOMMENDATIONS",
    "RULEBOOK_VERSION",
    "RULES",
    "RULES_BY_ID",
    "AssessmentInput",
    "FieldError",
    "InputError",
    "evaluate_data",
    "input_json_schema",
    "validate",
]
