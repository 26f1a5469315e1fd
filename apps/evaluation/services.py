"""The one way Django code evaluates an assessment: validate against today's date, then run the rules; a failure of
the rules is logged here, audited through the caller's channel, and raised as one exception."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from core.rules import InputError, evaluate_data

logger = logging.getLogger(__name__)


class DecisionSupportUnavailable(Exception):
    """The rules could not be evaluated. The caller must say so ("decision support unavailable"), never show an
    empty result."""


def assessment_evaluate(*, data: Any, on_unavailable: Callable[[], None] | None = None) -> dict[str, Any]:
    """Validate and evaluate JSON-decoded input; raises ``core.rules.InputError`` listing every field error.

    Any other failure is logged here (the traceback names our code, never the input: it is patient data), then
    ``on_unavailable`` records it in the caller's audit shape (the web form, the API and CDS Hooks each audit their
    own event), and ``DecisionSupportUnavailable`` is raised.

    "Today" is the practice's local date (Europe/London), which bounds ``assessed_on`` and is its default.
    Nothing is stored here: persistence belongs to the callers that need it.
    """
    try:
        return evaluate_data(data, today=timezone.localdate())
    except InputError:
        raise
    except Exception as exc:
        logger.exception("evaluation failed")
        if on_unavailable is not None:
            on_unavailable()
        raise DecisionSupportUnavailable from exc
