"""Three-valued (Kleene) logic that remembers why.

A :class:`Tri` is ``True``, ``False`` or ``None`` (not assessable: an input it needs is unknown). It carries the
input fields whose answers could change it (``missing``) and, when true, the facts a clinician can check that made
it true (``because``). Unknown is never silently read as "no": only :func:`not_known_true` does that, and only
where the prompt catalogue says so; it still reports the unknown field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

_EMPTY: frozenset[str] = frozenset()


class Tri(NamedTuple):
    value: bool | None
    missing: frozenset[str] = _EMPTY
    because: tuple[str, ...] = ()


YES = Tri(True)
NO = Tri(False)


def unknown(*fields: str) -> Tri:
    return Tri(None, frozenset(fields))


def fact(value: bool | None, field: str, because: str = "") -> Tri:
    """A yes/no input: ``None`` becomes not assessable with ``field`` missing."""
    if value is None:
        return Tri(None, frozenset((field,)))
    if value:
        return Tri(True, _EMPTY, (because,) if because else ())
    return NO


def at_least(value: float | None, threshold: float, field: str, because: str = "") -> Tri:
    if value is None:
        return Tri(None, frozenset((field,)))
    return Tri(True, _EMPTY, (because,) if because else ()) if value >= threshold else NO


def at_most(value: float | None, threshold: float, field: str, because: str = "") -> Tri:
    if value is None:
        return Tri(None, frozenset((field,)))
    return Tri(True, _EMPTY, (because,) if because else ()) if value <= threshold else NO


def below(value: float | None, threshold: float, field: str, because: str = "") -> Tri:
    if value is None:
        return Tri(None, frozenset((field,)))
    return Tri(True, _EMPTY, (because,) if because else ()) if value < threshold else NO


def _union(parts: Iterable[Tri]) -> frozenset[str]:
    out: frozenset[str] = _EMPTY
    for p in parts:
        if p.missing:
            out = out | p.missing
    return out


def all_of(*parts: Tri) -> Tri:
    falses = [p for p in parts if p.value is False]
    if falses:
        return Tri(False, _union(falses))
    undecided = [p for p in parts if p.value is None]
    if undecided:
        # Only the undecided parts can change the outcome now; a true part's own unknowns matter later.
        return Tri(None, _union(undecided))
    return Tri(True, _union(parts), tuple(b for p in parts for b in p.because))


def any_of(*parts: Tri) -> Tri:
    trues = [p for p in parts if p.value is True]
    if trues:
        return Tri(True, _union(trues), tuple(b for p in trues for b in p.because))
    undecided = [p for p in parts if p.value is None]
    if undecided:
        return Tri(None, _union(undecided))
    return Tri(False, _union(parts))


def negate(part: Tri, because: str = "") -> Tri:
    if part.value is None:
        return Tri(None, part.missing)
    if part.value:
        return Tri(False, part.missing)
    return Tri(True, part.missing, (because,) if because else ())


def not_known_true(part: Tri) -> Tri:
    """True unless ``part`` is known to be true; an unknown ``part`` is reported as missing.

    Used only for exclusions whose purpose is to avoid duplicate work (for example "no confirmed fracture" in the
    suspected-fracture term): firing there is the safe direction, so an unknown must not block the prompt. Each
    use is listed in docs/clinical-safety/hazard-log.md.
    """
    if part.value is True:
        return Tri(False, part.missing)
    return Tri(True, part.missing if part.value is None else _EMPTY)


def relabel(part: Tri, because: str) -> Tri:
    """Replace the reasons of a true value with one summary phrase (for compound terms)."""
    if part.value is True:
        return Tri(True, part.missing, (because,))
    return part
