"""The input boundary: how every entry point reads what arrives from outside (docs/security.md, "Input
boundary").

One reader per format, shared by the assessment form, the JSON API, ``manage.py evaluate``, CDS Hooks, FHIR bundles
and case-finding, so the same bytes are accepted or refused the same way everywhere, and every refusal is a
:class:`BoundaryError` naming the field (a 4xx, or exit 2 from a command), never an exception from deep inside a
parser:

- **JSON** (:func:`json_parse`): UTF-8, an optional byte-order mark dropped, at most ``max_bytes``, nesting at most
  ``MAX_DEPTH`` deep, numbers at most ``MAX_DIGITS`` digits and finite (no ``NaN``/``Infinity``). Python's own
  limit (4,300 digits) would otherwise raise ``ValueError`` in the decoder, and deep nesting ``RecursionError``.
- **Text files** (:func:`text_lines`): UTF-8 with an optional byte-order mark, lines ending in LF, CRLF or CR alone
  (as spreadsheets on old Macs save them), with the line number of the first byte that is not UTF-8.
- **Numbers typed as text** (:func:`number_text`): digits, an optional sign and decimal point, at most
  ``MAX_DIGITS`` digits.
- **Dates**: only the contract's calendar form YYYY-MM-DD, by :func:`core.rules.contract.iso_date` (the one date
  parser; ``date.fromisoformat`` alone also reads ``20260101`` and the week date ``2026-W01-1``).

Pure Python: no Django, so the rules tools and the case-finding workers use it too.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterator
from typing import IO, Any

from core.rules.contract import iso_date

__all__ = ["BoundaryError", "MAX_DEPTH", "MAX_DIGITS", "iso_date", "json_parse", "number_text", "text_lines"]

# No SpinePrompt input nests deeper than a FHIR resource inside a bundle inside a prefetch (about 12 levels); 64
# leaves room for any real FHIR and stays far below the interpreter's recursion limit.
MAX_DEPTH = 64
# No clinical number needs more than a handful of digits; 30 still reads any IEEE double written out in full
# precision (17 significant digits, a sign, an exponent) and any FHIR decimal a real system sends.
MAX_DIGITS = 30
BOM = b"\xef\xbb\xbf"


class BoundaryError(ValueError):
    """Input that cannot be read: ``field`` names where (a JSON path, "(body)", "(file)", a form field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def json_parse(raw: bytes | str, *, field: str = "(input)", max_bytes: int | None = None) -> Any:
    """Decode one JSON document, or raise BoundaryError naming ``field``."""
    if isinstance(raw, bytes | bytearray | memoryview):
        raw = bytes(raw)
        if max_bytes is not None and len(raw) > max_bytes:
            raise BoundaryError(field, f"is too large (at most {max_bytes:,} bytes)")
        try:
            text = raw.removeprefix(BOM).decode("utf-8")
        except UnicodeDecodeError:
            raise BoundaryError(field, "is not UTF-8 text") from None
    else:
        text = raw.removeprefix("\ufeff")
        if max_bytes is not None and len(text) > max_bytes:
            raise BoundaryError(field, f"is too large (at most {max_bytes:,} bytes)")
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except BoundaryError as exc:
        raise BoundaryError(field, exc.message) from None
    except json.JSONDecodeError as exc:
        raise BoundaryError(field, f"is not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise BoundaryError(field, f"is nested too deeply (at most {MAX_DEPTH} levels)") from None
    # Nesting cannot be deeper than the number of opening brackets in the text (brackets inside strings only add
    # to the count), so most documents need no walk at all.
    if text.count("{") + text.count("[") > MAX_DEPTH and _depth(data) > MAX_DEPTH:
        raise BoundaryError(field, f"is nested too deeply (at most {MAX_DEPTH} levels)")
    return data


def _int(text: str) -> int:
    if len(text) > MAX_DIGITS and _digits(text) > MAX_DIGITS:
        raise BoundaryError("(input)", f"has a number with more than {MAX_DIGITS} digits")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_DIGITS and _digits(text) > MAX_DIGITS:
        raise BoundaryError("(input)", f"has a number with more than {MAX_DIGITS} digits")
    value = float(text)
    if not math.isfinite(value):
        raise BoundaryError("(input)", "has a number too large to hold")
    return value


def _constant(name: str) -> Any:
    raise BoundaryError("(input)", f"has {name}, which is not a JSON number")


def _depth(data: Any) -> int:
    """How deeply containers nest (a scalar is 0), level by level, without recursion; stops counting once past
    MAX_DEPTH. JSON decoding gives plain dicts and lists, so exact types are compared."""
    level = [data] if type(data) in (dict, list) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return depth
        below = []
        for value in level:
            for child in value.values() if type(value) is dict else value:
                if type(child) in (dict, list):
                    below.append(child)
        level = below
    return depth


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)


def number_text(text: str, *, field: str) -> int | float:
    """A number typed as text ("74", "-2.7", "7.5"), or BoundaryError. A minus sign (U+2212) reads as "-"."""
    cleaned = text.strip().replace("\u2212", "-")
    if not _NUMBER.fullmatch(cleaned):
        raise BoundaryError(field, "must be a number")
    if _digits(cleaned) > MAX_DIGITS:
        raise BoundaryError(field, f"must have at most {MAX_DIGITS} digits")
    return float(cleaned) if "." in cleaned else int(cleaned)


def text_lines(stream: IO[bytes], *, name: str = "The file") -> Iterator[str]:
    """The lines of a UTF-8 text file (a byte-order mark dropped), each with its ending as written; LF, CRLF and a
    lone CR all end a line (``csv`` wants endings kept, so a quoted cell may span lines). Raises BoundaryError
    ("(file)") at the first line that is not UTF-8. The caller keeps ownership of the stream."""
    # Through our own raw wrapper, so closing (or collecting) the text reader never closes the caller's stream.
    text = io.TextIOWrapper(io.BufferedReader(_Raw(stream)), encoding="utf-8", errors="strict", newline="")
    number = 0
    try:
        first = True
        for line in text:
            number += 1
            if first:
                line = line.removeprefix("\ufeff")
                first = False
            yield line
    except UnicodeDecodeError:
        raise BoundaryError(
            "(file)", f"{name} is not UTF-8 text (near line {number + 1}): save it as UTF-8 and try again"
        ) from None


class _Raw(io.RawIOBase):
    """Any object with ``read`` (an upload, a test's BytesIO) as a raw stream TextIOWrapper can buffer."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        if not data:
            return 0
        buffer[: len(data)] = data
        return len(data)
