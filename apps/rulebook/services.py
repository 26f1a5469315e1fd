"""The one way Django code evaluates an assessment: validate against today's date, then run the rules."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from apps.rules import evaluate_data


def assessment_evaluate(*, data: Any) -> dict[str, Any]:
    """Validate and evaluate JSON-decoded input; raises ``apps.rules.InputError`` listing every field error.

    "Today" is the practice's local date (Europe/London), which bounds ``assessed_on`` and is its default.
    Nothing is stored here: persistence and audit belong to the callers that need them.
    """
    return evaluate_data(data, today=timezone.localdate())
