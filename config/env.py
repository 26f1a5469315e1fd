"""Typed readers for environment variables.

Settings come from the environment only. Each reader fails loudly, naming the variable, when a
required value is missing or a value is malformed, so a misconfigured deployment stops at start-up
instead of running with a surprising default.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping

from django.core.exceptions import ImproperlyConfigured

# A sentinel, so that ``None`` and ``""`` can still be used as real defaults.
_REQUIRED: object = object()

_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    source = os.environ if environ is None else environ
    return source.get(name)


def env_str(
    name: str,
    default: str | object = _REQUIRED,
    *,
    choices: Collection[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """Return the variable as a string; required unless a default is given.

    An empty value counts as missing for a required variable.
    """
    value = _raw(name, environ)
    if value is None or (value == "" and default is _REQUIRED):
        if default is _REQUIRED:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        assert isinstance(default, str)
        value = default
    if choices is not None and value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name} must be one of: {allowed} (got {value!r}).")
    return value


def env_bool(
    name: str,
    default: bool | object = _REQUIRED,
    *,
    environ: Mapping[str, str] | None = None,
) -> bool:
    """Return the variable as a boolean: only true/false/1/0 (any case) are accepted.

    Anything else (``yes``, ``on``, a typo) is an error rather than silently false.
    """
    value = _raw(name, environ)
    if value is None or value == "":
        if default is _REQUIRED:
            raise ImproperlyConfigured(f"Set the {name} environment variable (true or false).")
        assert isinstance(default, bool)
        return default
    normalised = value.strip().lower()
    if normalised in _TRUE:
        return True
    if normalised in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true, false, 1 or 0 (got {value!r}).")


def env_list(
    name: str,
    default: list[str] | object = _REQUIRED,
    *,
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """Return a comma-separated variable as a list of stripped, non-empty items.

    A required variable must contain at least one item.
    """
    value = _raw(name, environ)
    if value is None:
        if default is _REQUIRED:
            raise ImproperlyConfigured(f"Set the {name} environment variable (a comma-separated list).")
        assert isinstance(default, list)
        return list(default)
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items and default is _REQUIRED:
        raise ImproperlyConfigured(f"{name} must list at least one comma-separated value.")
    return items


def env_int(
    name: str,
    default: int | object = _REQUIRED,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Return the variable as a whole number within [minimum, maximum]; required unless a default is given."""
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        if default is _REQUIRED:
            raise ImproperlyConfigured(f"Set the {name} environment variable (a whole number).")
        assert isinstance(default, int)
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {value!r}).") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        if maximum is None:
            allowed = f"at least {minimum}"
        elif minimum is None:
            allowed = f"at most {maximum}"
        else:
            allowed = f"between {minimum} and {maximum}"
        raise ImproperlyConfigured(f"{name} must be {allowed} (got {number}).")
    return number
