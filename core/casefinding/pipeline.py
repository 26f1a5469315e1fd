"""A case-finding run without Django: extract -> PatientRecord -> record_to_input -> evaluate -> gap groups.

Pure Python, so worker processes (and bench/casefind.py) run it without setting up Django. Records are read in
chunks and, with ``workers`` above 1, evaluated in a process pool while the caller stores what comes back; at most a
few chunks are in flight at once, so memory stays flat however long the extract is.

What comes back per chunk: the patients on the worklist (in a group, or not assessable for one) with their reasons,
the skipped rows with their line and field, and counts. Patients in no group are counted, never stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import logging
import multiprocessing
import re
import shutil
import tempfile
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple

from core import boundary
from core.records import PatientRecord, record_to_input
from core.records.identifiers import redact_identifiers
from core.rules import InputError, evaluate_data
from core.rules.rulebook import RULEBOOK_VERSION
from core.spill import KeyedSpill

from .extract import Header, RowError, UnusableInput, id_problem, parse_row, read_rows
from .groups import GROUPS, IN, find_gaps

logger = logging.getLogger(__name__)

CHUNK_ROWS = 1000
IN_FLIGHT_PER_WORKER = 3
ERRORS_KEPT = 200  # skipped rows listed one by one in a summary; beyond this they are counted by field only
# Patient ids held in memory while looking for repeated ones, before they spill to disk (core.spill): about 15,000
# ids; more than that and the rest of the run's memory does not grow with the extract.
ID_SPILL_BYTES = 2 * 1024 * 1024
ASSESSOR_ROLE = "gp"  # wording only: a role never changes which prompts fire (prompts.md)


class ListedPatient(NamedTuple):
    """One worklist row: what is stored (docs/case-finding.md "What is stored"): a pseudonymous id, group ids,
    structured reasons, age and sex (for sorting and filtering), and the assessment input the extract gave (so the
    prefilled assessment has everything the worklist was worked out from), with any report text's identifiers
    removed. Nothing else."""

    patient_id: str
    groups: tuple[str, ...]
    not_assessed: tuple[str, ...]
    reasons: list[dict[str, Any]]
    age: int | None = None
    sex: str = ""
    data: dict[str, Any] = {}  # noqa: RUF012 (a NamedTuple default, never mutated)


@dataclass
class ChunkResult:
    listed: list[ListedPatient] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)  # record values not used, rows still assessed
    rows_read: int = 0
    assessed: int = 0
    group_in: Counter[str] = field(default_factory=Counter)
    group_not_assessed: Counter[str] = field(default_factory=Counter)
    not_assessed_why: Counter[tuple[str, str]] = field(default_factory=Counter)
    deceased: int = 0  # patients the record says have died: read, never assessed or listed


def assess_record(
    record: PatientRecord, *, assessed_on: dt.date, reviews_recorded: bool
) -> tuple[list[Any], dict[str, Any]]:
    """The gap-group findings for one record, through the consultation's own mapping and rules, and the contract
    input they were worked out from.

    Raises ``core.rules.InputError`` when the record maps to input the contract refuses (the row is skipped with
    the field named).
    """
    data, derivations = record_to_input(record, assessed_on=assessed_on, assessor_role=ASSESSOR_ROLE)
    result = evaluate_data(data, today=assessed_on)
    return find_gaps(record, data, derivations, result, reviews_recorded=reviews_recorded), data


def _kept_input(data: dict[str, Any]) -> dict[str, Any]:
    """The input as stored for the prefilled assessment: without the role and date (the clinician's own apply),
    and with identifiers in any report text replaced (an extract is pseudonymous, a report may not be: H-23)."""
    kept = {k: v for k, v in data.items() if k not in ("assessor_role", "assessed_on", "input_version")}
    imaging = kept.get("spine_imaging")
    if isinstance(imaging, dict) and isinstance(imaging.get("report_text"), str):
        kept["spine_imaging"] = {**imaging, "report_text": redact_identifiers(imaging["report_text"])[0]}
    return kept


def _add(out: ChunkResult, record: PatientRecord, line: int, *, assessed_on: dt.date, reviews_recorded: bool) -> None:
    try:
        findings, data = assess_record(record, assessed_on=assessed_on, reviews_recorded=reviews_recorded)
    except InputError as exc:
        for e in exc.errors:
            out.errors.append({"line": line, "field": e.field, "message": e.message})
        return
    except Exception:
        # Never an empty result that looks like "nothing to do": the row is reported as skipped, and why.
        logger.exception("case-finding evaluation failed (line %s)", line)
        out.errors.append({"line": line, "field": "(rules)", "message": "decision support unavailable"})
        return
    out.assessed += 1
    for path, message in record.problems:
        out.problems.append({"line": line, "field": _problem_field(path), "message": _without_values(message)})
    if not findings:
        return
    groups = tuple(f.group for f in findings if f.status == IN)
    not_assessed = tuple(f.group for f in findings if f.status != IN)
    for g in groups:
        out.group_in[g] += 1
    for f in findings:
        if f.status != IN:
            out.group_not_assessed[f.group] += 1
            for why in f.missing:
                out.not_assessed_why[(f.group, why)] += 1
    out.listed.append(
        ListedPatient(
            record.patient_id,
            groups,
            not_assessed,
            [f.as_dict() for f in findings],
            data.get("age"),
            data.get("sex") or "",
            _kept_input(data),
        )
    )


_RESOURCE_ID = re.compile(r"/[^.\s\[]+")
_VALUE = re.compile(r"\d+(?:[.,:/-]\d+)*")


def _problem_field(path: str) -> str:
    """A record problem's path without FHIR resource ids ("Observation/abc.value" -> "Observation.value")."""
    return _RESOURCE_ID.sub("", path)


def _without_values(message: str) -> str:
    """A record problem's message with its numbers and dates taken out: summaries are stored and shown, and never
    repeat a value from the extract (H-52)."""
    return _VALUE.sub("…", message)


def csv_chunk(header: Header, rows: list[tuple[int, list[str]]], assessed_on: dt.date) -> ChunkResult:
    out = ChunkResult()
    for line, cells in rows:
        out.rows_read += 1
        try:
            record = parse_row(header.columns, cells, line)
        except RowError as exc:
            out.errors.append(exc.as_dict())
            continue
        _add(out, record, line, assessed_on=assessed_on, reviews_recorded=header.reviews_recorded)
    return out


def ndjson_chunk(groups: list[tuple[str, list[str], dict[str, dict]]], assessed_on: dt.date) -> ChunkResult:
    """Patients from FHIR bulk NDJSON: (pseudonymous id, that patient's raw lines, the Medication resources they
    may reference), parsed here in the worker and mapped by core.fhir."""
    from core.fhir import resources_to_record
    from core.fhir.bundles import parse_patient_lines

    out = ChunkResult()
    for patient_id, lines, medications in groups:
        out.rows_read += 1
        where = f"patient {patient_id}"
        if id_problem(patient_id):
            out.errors.append({"line": "a patient", "field": "Patient.id", "message": "is not a pseudonymous id"})
            continue
        bad_lines: list[tuple[str, str]] = []
        resources = parse_patient_lines(patient_id, lines, medications, problems=bad_lines)
        out.errors.extend({"line": w, "field": "(resource)", "message": why} for w, why in bad_lines)
        record = resources_to_record(resources, patient_id=patient_id)
        if record.deceased:
            # Patient.deceased[x]: no gap in the care of someone who has died; counted, never listed.
            out.deceased += 1
            continue
        # A FHIR bulk export has no element for a bisphosphonate treatment review: the review group cannot be
        # decided from it, and says so.
        _add(out, record, where, assessed_on=assessed_on, reviews_recorded=False)
    return out


def _safe(exc: Exception) -> str:
    """An error's class only: mapping messages may quote resource content."""
    return f"could not be mapped ({exc.__class__.__name__})"


def _work(task: tuple[str, Any, Any, dt.date, list[dict[str, Any]]]) -> ChunkResult:
    """One chunk, in a worker. ``skipped`` are rows the reading process already refused (repeated ids, lines
    that are not JSON), carried here so every count is added up in one place."""
    kind, header, payload, assessed_on, skipped = task
    out = csv_chunk(header, payload, assessed_on) if kind == "csv" else ndjson_chunk(payload, assessed_on)
    out.errors[:0] = skipped
    out.rows_read += len(skipped)
    return out


def _chunked(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- reading inputs -------------------------------------------------------------------------------------------------


GZIP_MAGIC = b"\x1f\x8b"


def _uncompressed(stream: IO[bytes]) -> IO[bytes]:
    """The stream itself, or, when it starts with gzip's magic bytes (a bulk export's ``.ndjson.gz``, a zipped
    extract saved as ``.csv.gz``), the stream decompressed as it is read."""
    if not getattr(stream, "seekable", lambda: False)():
        return stream
    head = stream.read(2)
    stream.seek(0)
    return gzip.GzipFile(fileobj=stream, mode="rb") if head == GZIP_MAGIC else stream  # type: ignore[return-value]


def text_lines(stream: IO[bytes]) -> Iterator[str]:
    """Decoded lines of an uploaded or opened file, gzip-compressed or not, read by the one text boundary
    (core/boundary.py: UTF-8, a byte-order mark dropped, LF, CRLF or CR line endings); a file that is not UTF-8 is
    unusable, said once, clearly. The caller keeps ownership of the stream."""
    try:
        yield from boundary.text_lines(_uncompressed(stream), name="The file")
    except boundary.BoundaryError as exc:
        raise UnusableInput(exc.message[0].upper() + exc.message[1:] + ".") from None
    except (OSError, EOFError, zlib.error):  # gzip.BadGzipFile is an OSError; EOFError: cut off mid-stream
        raise UnusableInput("The file is gzip-compressed but cannot be read: it may be truncated.") from None


def csv_tasks(streams: Iterable[IO[bytes]], assessed_on: dt.date) -> Iterator[tuple]:
    """Chunks of CSV rows as worker tasks, in file order. A row whose patient id an earlier row (in this file or an
    earlier one) already has is skipped with the reason. Finding those needs every id at once, so it is a first
    pass over the files (``repeated_rows``, in bounded memory) before the rows are read again for evaluation: no
    set of every id is held for the run."""
    with contextlib.ExitStack() as stack:
        files = [_rereadable(s, stack) for s in streams]
        repeats = repeated_rows(files, spill_bytes=ID_SPILL_BYTES)
        for stream, repeated in zip(files, repeats, strict=True):
            stream.seek(0)
            header, rows = read_rows(text_lines(stream))
            for chunk in _chunked(rows, CHUNK_ROWS):
                skipped = [
                    {"line": line, "field": "patient_id", "message": "repeats the id of an earlier row"}
                    for line, _cells in chunk
                    if line in repeated
                ]
                kept = [(line, cells) for line, cells in chunk if line not in repeated] if skipped else chunk
                yield ("csv", header, kept, assessed_on, skipped)


class LineSet:
    """A set of line numbers as a bitmap: one bit a line, so even a file that is all repeats costs 1/8 byte a row."""

    def __init__(self) -> None:
        self._bits = bytearray()

    def add(self, line: int) -> None:
        byte = line >> 3
        if byte >= len(self._bits):
            self._bits.extend(bytes(byte - len(self._bits) + 1))
        self._bits[byte] |= 1 << (line & 7)

    def __contains__(self, line: object) -> bool:
        if not isinstance(line, int):
            return False
        byte = line >> 3
        return byte < len(self._bits) and bool(self._bits[byte] & (1 << (line & 7)))

    def __bool__(self) -> bool:
        return any(self._bits)


def repeated_rows(files: list[IO[bytes]], *, spill_bytes: int) -> list[LineSet]:
    """For each file, the lines whose patient id appeared on an earlier line (of it or of an earlier file): the
    ids go through a KeyedSpill (memory bounded by ``spill_bytes``) and only the repeats are kept, as bitmaps. Raises
    UnusableInput as reading the file for evaluation would (bad header, not UTF-8, truncated), before any work."""
    repeats = [LineSet() for _ in files]
    with KeyedSpill(spill_bytes) as spill:
        for n, stream in enumerate(files):
            header, rows = read_rows(text_lines(stream))
            id_at = header.columns.index("patient_id")
            for line, cells in rows:
                pid = cells[id_at].strip() if id_at < len(cells) else ""
                if pid:
                    spill.add(_escaped(pid), f"{n}:{line}")
        for _pid, places in spill.groups():
            for place in places[1:]:
                n, _, line = place.partition(":")
                repeats[int(n)].add(int(line))
    return repeats


def _escaped(key: str) -> str:
    """A key with no tab or new line (KeyedSpill's file format), one to one."""
    return key.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _rereadable(stream: IO[bytes], stack: contextlib.ExitStack) -> IO[bytes]:
    """The stream, if it can be read again from the start; else a temporary copy of it that can."""
    if getattr(stream, "seekable", lambda: False)():
        return stream
    copy = stack.enter_context(tempfile.TemporaryFile(prefix="spineprompt-extract-"))  # noqa: SIM115 (the stack closes it)
    shutil.copyfileobj(stream, copy, 1024 * 1024)
    copy.seek(0)
    return copy


def ndjson_tasks(streams: Iterable[IO[bytes]], assessed_on: dt.date, problems: list) -> Iterator[tuple]:
    """Chunks of patients from FHIR bulk NDJSON (core.fhir groups each patient's resources across the files).
    Lines that are not JSON resources go to ``problems`` and the rest goes on; a file whose last line is cut
    off is unusable."""
    from core.fhir.bundles import iter_ndjson_lines

    lines = [_Named(f"file {i}", _ndjson_lines(s, i)) for i, s in enumerate(streams, 1)]
    for chunk in _chunked(iter(iter_ndjson_lines(lines, problems=problems)), CHUNK_ROWS):
        yield ("ndjson", None, chunk, assessed_on, _taken(problems))
    if problems:
        yield ("ndjson", None, [], assessed_on, _taken(problems))


def _taken(problems: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """NDJSON lines the grouping could not use ("file:line", why), as skipped rows; the list is emptied."""
    taken = [{"line": where, "field": "(resource)", "message": why} for where, why in problems]
    problems.clear()
    return taken


class _Named:
    """Lines with a name, so core.fhir says "file 2:14" for a bad line (uploads have no path to show)."""

    def __init__(self, name: str, lines: Iterator[str]) -> None:
        self.name, self._lines = name, lines

    def __iter__(self) -> Iterator[str]:
        return self._lines


def _ndjson_lines(stream: IO[bytes], number: int) -> Iterator[str]:
    """The file's lines, one behind, so that a last line cut off mid-resource (no newline, not JSON) makes the
    whole upload unusable instead of silently losing a resource."""
    held: str | None = None
    for line in text_lines(stream):
        if not line.strip():
            continue
        if held is not None:
            yield held
        held = line
    if held is None:
        raise UnusableInput(f"File {number} is empty.")
    if not held.endswith("\n"):
        try:
            boundary.json_parse(held)
        except boundary.BoundaryError:
            raise UnusableInput(f"File {number} ends part-way through a resource: it looks truncated.") from None
    yield held


# --- a whole run ----------------------------------------------------------------------------------------------------


@dataclass
class Summary:
    input_format: str
    assessed_on: dt.date
    rulebook_version: str = RULEBOOK_VERSION
    rows_read: int = 0
    rows_skipped: int = 0
    patients_assessed: int = 0
    patients_listed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    skipped_by_field: Counter[str] = field(default_factory=Counter)
    rows_with_problems: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    problems_by_field: Counter[str] = field(default_factory=Counter)
    group_in: Counter[str] = field(default_factory=Counter)
    group_not_assessed: Counter[str] = field(default_factory=Counter)
    not_assessed_why: Counter[tuple[str, str]] = field(default_factory=Counter)
    deceased_excluded: int = 0

    def add(self, chunk: ChunkResult) -> None:
        self.rows_read += chunk.rows_read
        self.deceased_excluded += chunk.deceased
        self.patients_assessed += chunk.assessed
        self.patients_listed += len(chunk.listed)
        skipped_lines = {e["line"] for e in chunk.errors}
        self.rows_skipped += len(skipped_lines)
        for e in chunk.errors:
            self.skipped_by_field[e["field"]] += 1
            if len(self.errors) < ERRORS_KEPT:
                self.errors.append(e)
        # Rows assessed although a value in them was not used (out of range, undated, future, in conflict): the
        # patient may be missing from a group for that reason, so it is never silent (H-50).
        self.rows_with_problems += len({p["line"] for p in chunk.problems})
        for p in chunk.problems:
            self.problems_by_field[p["field"]] += 1
            if len(self.problems) < ERRORS_KEPT:
                self.problems.append(p)
        self.group_in.update(chunk.group_in)
        self.group_not_assessed.update(chunk.group_not_assessed)
        self.not_assessed_why.update(chunk.not_assessed_why)

    def as_dict(self) -> dict[str, Any]:
        """Counts, group ids, field names and line numbers only: what a run stores and the audit may count."""
        why: dict[str, dict[str, int]] = {}
        for (group, label), n in sorted(self.not_assessed_why.items()):
            why.setdefault(group, {})[label] = n
        return {
            "input_format": self.input_format,
            "assessed_on": self.assessed_on.isoformat(),
            "rulebook_version": self.rulebook_version,
            "rows_read": self.rows_read,
            "rows_skipped": self.rows_skipped,
            "patients_assessed": self.patients_assessed,
            "patients_listed": self.patients_listed,
            "deceased_excluded": self.deceased_excluded,
            "skipped_by_field": dict(sorted(self.skipped_by_field.items())),
            "errors": self.errors,
            "errors_not_listed": max(sum(self.skipped_by_field.values()) - len(self.errors), 0),
            "rows_with_problems": self.rows_with_problems,
            "problems_by_field": dict(sorted(self.problems_by_field.items())),
            "problems": self.problems,
            "problems_not_listed": max(sum(self.problems_by_field.values()) - len(self.problems), 0),
            "groups": {
                g.id: {
                    "in": self.group_in.get(g.id, 0),
                    "not_assessed": self.group_not_assessed.get(g.id, 0),
                    "why": why.get(g.id, {}),
                }
                for g in GROUPS
            },
        }


def run(
    streams: Iterable[IO[bytes]],
    *,
    input_format: str,
    assessed_on: dt.date,
    store: Callable[[list[ListedPatient]], None],
    workers: int = 1,
    progress: Callable[[Summary], None] | None = None,
) -> Summary:
    """Read every stream, evaluate every patient, hand each chunk's worklist rows to ``store`` and return the
    summary. Raises UnusableInput (from anywhere in the files) for input that cannot be used at all: the caller
    must then store nothing (services.casefinding_run removes the incomplete run)."""
    summary = Summary(input_format, assessed_on)
    if input_format == "csv":
        tasks = csv_tasks(streams, assessed_on)
    elif input_format == "ndjson":
        problems: list[tuple[str, str]] = []
        tasks = ndjson_tasks(streams, assessed_on, problems)
    else:
        raise UnusableInput(f"Unknown format {input_format!r}: use csv or ndjson.")
    for chunk in _results(tasks, workers):
        summary.add(chunk)
        if chunk.listed:
            store(chunk.listed)
        if progress is not None:
            progress(summary)
    if summary.rows_read == 0:
        raise UnusableInput("The file has no patient rows.")
    if summary.patients_assessed == 0:
        first = summary.errors[0] if summary.errors else {"line": "?", "field": "?", "message": "?"}
        raise UnusableInput(
            f"None of the {summary.rows_read} rows could be used (the first: line {first['line']}, "
            f"{first['field']}: {first['message']}). Is this the right file and format?"
        )
    return summary


def _results(tasks: Iterator[tuple], workers: int) -> Iterator[ChunkResult]:
    if workers <= 1:
        for task in tasks:
            yield _work(task)
        return
    # Pool.imap reads its input as fast as it can; the semaphore keeps only a few chunks in flight, so a long
    # extract is never all in memory. Forked workers share the parent's loaded code.
    slots = threading.BoundedSemaphore(workers * IN_FLIGHT_PER_WORKER)
    failure: list[BaseException] = []

    def bounded() -> Iterator[tuple]:
        try:
            for task in tasks:
                slots.acquire()
                yield task
        except BaseException as exc:  # UnusableInput while reading: re-raised in the caller's thread below
            failure.append(exc)

    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        for result in pool.imap(_work, bounded()):
            slots.release()
            yield result
            if failure:
                break
    if failure:
        raise failure[0]
