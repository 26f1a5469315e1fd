"""Three-valued (Kleene) logic that remembers why.

A :class:`Tri` is ``True``, ``False`` or ``None`` (not assessable: an input it needs is unknown). It carries the
input fields whose answers could change it (``missing``) and, when true, the facts a clinician can check that made
it true (``because``). Unknown is never silently read as "no": only :func:`not_known_true` does that, and only
where the prompt catalogue says so; it still reports the unknown field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from .figures import in_words

_EMPTY: frozenset[str] = frozenset()


class Tri(NamedTuple):
    value: bool | None
    missing: frozenset[str] = _EMPTY
    because: tuple[str, ...] = ()


YES = Tri(True)
NO = Tri(False)

# Tri values are immutable, so the machinery below builds them with the plain tuple constructor (a NamedTuple's
# own constructor is a Python function, and these are built dozens of times per assessment) and shares the ones
# that depend only on a field name or a fixed phrase.
_new = tuple.__new__
_CACHE_LIMIT = 4096  # the keys are field names and phrases from the source; the limit only guards memory


class _Shared(dict):  # type: ignore[type-arg]
    """Values made once per key and then shared: ``store[key]`` is a plain dict lookup, and ``make(key)`` runs
    only the first time. Bounded: cleared when full (the keys are field names and phrases from the source, so
    the limit only guards memory)."""

    def __init__(self, make: Callable[[str], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> Any:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        value = self[key] = self.make(key)
        return value


# A one-field set, built once per field name (these are created on every evaluation).
_SINGLE = _Shared(lambda field: frozenset((field,)))
# Not assessable because one field is unknown, shared per field name.
_UNKNOWN = _Shared(lambda field: _new(Tri, (None, _SINGLE[field], ())))
# True for one reason (or none), shared per phrase.
_TRUE = _Shared(lambda because: _new(Tri, (True, _EMPTY, (because,) if because else ())))


def unknown(*fields: str) -> Tri:
    if len(fields) == 1:
        return _UNKNOWN[fields[0]]
    return _new(Tri, (None, frozenset(fields), ()))


def yes(because: str) -> Tri:
    """True for one stated reason."""
    return _new(Tri, (True, _EMPTY, (because,)))


def fact(value: bool | None, field: str, because: str = "") -> Tri:
    """A yes/no input: ``None`` becomes not assessable with ``field`` missing."""
    if value is None:
        return _UNKNOWN[field]
    if value:
        return _TRUE[because]
    return NO


def _true(value: float, because: str) -> Tri:
    """A true comparison. ``because`` is a template, filled in only now that it is needed: ``{n}`` is the value
    as a clinician writes it (5, not 5.0) and ``{s}`` is "s" unless the value is 1."""
    if not because:
        return YES
    return _new(Tri, (True, _EMPTY, (because.format(n=in_words(value), s="" if value == 1 else "s"),)))


def at_least(value: float | None, threshold: float, field: str, because: str = "") -> Tri:
    if value is None:
        return _UNKNOWN[field]
    return _true(value, because) if value >= threshold else NO


def at_most(value: float | None, threshold: float, field: str, because: str = "") -> Tri:
    if value is None:
        return _UNKNOWN[field]
    return _true(value, because) if value <= threshold else NO


def below(value: float | None, threshold: float, field: str, because: str = "") -> Tri:
    if value is None:
        return _UNKNOWN[field]
    return _true(value, because) if value < threshold else NO


def _all_true(parts: Iterable[Tri]) -> Tri:
    """True with the fields and the reasons of the true parts (when more than one part is true)."""
    missing: frozenset[str] = _EMPTY
    because: tuple[str, ...] = ()
    for p in parts:
        if p[0] is True:
            if p[1]:
                missing = missing | p[1] if missing else p[1]
            because += p[2]
    return _new(Tri, (True, missing, because))


# all_of and any_of return one of their parts unchanged whenever the result equals it (a Tri is immutable, so
# nothing can tell the difference), which saves building a new value in the common cases. For the same reason a
# union with no fields yet takes the other set as it is ("missing | p[1] if missing else p[1]"): a frozenset
# union always builds a new set, and the result is used only as a set (callers sort it into contract order).


def all_of(*parts: Tri) -> Tri:
    """Kleene AND. False if any part is false; unknown if any is undecided (naming only the undecided fields:
    a true part's own unknowns matter only once the rest is decided); else true with every part's reasons."""
    undecided: Tri | None = None
    for p in parts:
        value = p[0]
        if value is False:
            return p if not p[2] else _new(Tri, (False, p[1], ()))
        if value is None:
            undecided = p if undecided is None else _new(Tri, (None, undecided[1] | p[1], ()))
    if undecided is not None:
        return undecided if not undecided[2] else _new(Tri, (None, undecided[1], ()))
    missing = _EMPTY
    because: tuple[str, ...] = ()
    for p in parts:
        if p[1]:
            missing = missing | p[1] if missing else p[1]
        if p[2]:
            because += p[2]
    return _new(Tri, (True, missing, because))


def any_of(*parts: Tri) -> Tri:
    """Kleene OR. True if any part is true (with the true parts' reasons); unknown if any is undecided, naming
    the undecided parts' fields and those of the false parts (either could make it true)."""
    # One pass. Until a part is true, it gathers what the result needs when none is: the first undecided part,
    # and every field the other parts carry (a further undecided part's, or a false part's: answering one of
    # those could make that part, and so the whole, true). After a true part, only a second true one matters.
    found: Tri | None = None
    undecided: Tri | None = None
    missing = _EMPTY
    for p in parts:
        value = p[0]
        if value is True:
            if found is not None:
                return _all_true(parts)
            found = p
        elif found is None:
            if value is None and undecided is None:
                undecided = p
            elif p[1]:
                missing = missing | p[1] if missing else p[1]
    if found is not None:
        return found
    if undecided is not None:
        if missing:
            return _new(Tri, (None, undecided[1] | missing, ()))
        return undecided if not undecided[2] else _new(Tri, (None, undecided[1], ()))
    return _new(Tri, (False, missing, ())) if missing else NO


def negate(part: Tri, because: str = "") -> Tri:
    value, missing, _ = part
    if value is None:
        return _new(Tri, (None, missing, ()))
    if value:
        return _new(Tri, (False, missing, ()))
    return _new(Tri, (True, missing, (because,) if because else ()))


def not_known_true(part: Tri) -> Tri:
    """True unless ``part`` is known to be true; the fields that could still make ``part`` true (it is unknown, or
    false with fields unanswered) are reported as missing.

    Used only for exclusions whose purpose is to avoid duplicate work (for example "no confirmed fracture" in the
    suspected-fracture term): firing there is the safe direction, so an unknown must not block the prompt. Each
    use is listed in docs/clinical-safety/hazard-log.md.
    """
    value, missing, _ = part
    if value is True:
        return _new(Tri, (False, missing, ()))
    if value is None or missing:  # unknown, or false for now: either way its fields could still make it true
        return _new(Tri, (True, missing, ()))
    return YES


def relabel(part: Tri, because: str) -> Tri:
    """Replace the reasons of a true value with one summary phrase (for compound terms)."""
    if part[0] is True:
        return _new(Tri, (True, part[1], (because,)))
    return part
