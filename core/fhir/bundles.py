"""Getting resources out of Bundles, CDS Hooks prefetch and FHIR bulk NDJSON.

``iter_ndjson_patients`` memory: bulk export writes one file per resource type, so one patient's resources are
spread over every file. Files are read once, line by line, and each line (as raw text) goes to an
``core.spill.KeyedSpill`` keyed by its patient id: held in memory up to ``bucket_bytes``, then in temporary files
by a hash of the id, read back one file at a time (a file still too big is split again). Peak memory is about
``bucket_bytes`` of raw lines plus the Medication resources (shared by every patient), whatever the number of
patients and whether or not the size of the input is known in advance. Small inputs never touch the disk. Patients
come out in the order first read in memory, grouped by file once spilled, never in a promised order.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from core.boundary import json_parse
from core.spill import KeyedSpill

BUCKET_BYTES = 16 * 1024 * 1024
# Cheap patient-id extraction from a raw line; the JSON is parsed only when this does not match.
_SUBJECT = re.compile(r'"(?:subject|patient)"\s*:\s*\{[^{}]*?"reference"\s*:\s*"(?:[^"]*/)?Patient/([^"/]+)"')
_TYPE = re.compile(r'"resourceType"\s*:\s*"(\w+)"')


def bundle_resources(bundle_or_prefetch: dict) -> list[dict]:
    """The resources in a Bundle (searchset, collection, ...; nested Bundles flattened) or in a CDS Hooks prefetch
    dict whose values are Bundles, single resources or null (a prefetch the EHR could not fill).

    Raises ``ValueError`` naming the place when the structure is not a Bundle or prefetch; the resources themselves
    are checked later by ``resources_to_record``.
    """
    if not isinstance(bundle_or_prefetch, dict):
        raise ValueError("expected a FHIR Bundle or a prefetch object (a JSON object)")
    out: list[dict] = []
    if "resourceType" in bundle_or_prefetch:
        _collect(bundle_or_prefetch, "bundle", out)
    else:
        for key, value in bundle_or_prefetch.items():
            if value is None:
                continue
            if not isinstance(value, dict):
                raise ValueError(f"prefetch.{key}: expected a FHIR resource or Bundle")
            _collect(value, f"prefetch.{key}", out)
    return out


def _collect(resource: dict, where: str, out: list[dict]) -> None:
    if resource.get("resourceType") != "Bundle":
        out.append(resource)
        return
    entries = resource.get("entry", [])
    if entries is None:
        return
    if not isinstance(entries, list):
        raise ValueError(f"{where}.entry: expected a list")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ValueError(f"{where}.entry[{i}]: expected an object")
        inner = entry.get("resource")
        if inner is None:
            continue
        if not isinstance(inner, dict):
            raise ValueError(f"{where}.entry[{i}].resource: expected a FHIR resource")
        _collect(inner, f"{where}.entry[{i}].resource", out)


def _patient_of(line: str) -> tuple[str | None, str | None]:
    """(resourceType, patient id) of one NDJSON line, from a regex when possible, else from the parsed JSON."""
    m_type = _TYPE.search(line)
    rtype = m_type.group(1) if m_type else None
    if rtype == "Patient" or rtype is None:
        data = json_parse(line)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        rtype = data.get("resourceType")
        if rtype == "Patient":
            pid = data.get("id")
            return rtype, pid if isinstance(pid, str) and pid else None
        return _patient_from_data(rtype, data)
    if rtype == "Medication":
        return rtype, None
    m = _SUBJECT.search(line)
    if m:
        return rtype, m.group(1)
    data = json_parse(line)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return _patient_from_data(data.get("resourceType"), data)


def _patient_from_data(rtype: Any, data: dict) -> tuple[str | None, str | None]:
    for key in ("subject", "patient"):
        ref = data.get(key)
        if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
            parts = ref["reference"].rstrip("/").split("/")
            if len(parts) >= 2 and parts[-2] == "Patient":
                return rtype, parts[-1]
    return (rtype if isinstance(rtype, str) else None), None


def _open(f: str | os.PathLike | IO[str]) -> tuple[str, IO[str], bool]:
    if isinstance(f, str | os.PathLike):
        path = Path(f)
        return path.name, path.open(encoding="utf-8"), True
    return getattr(f, "name", "<stream>"), f, False


def iter_ndjson_patients(
    files: Iterable[str | os.PathLike | IO[str]],
    *,
    problems: list[tuple[str, str]] | None = None,
    bucket_bytes: int | None = None,
) -> Iterator[tuple[str, list[dict]]]:
    """Yield (patient id, that patient's resources) from FHIR bulk NDJSON files (paths or open text files).

    Medication resources (not in any patient's compartment) are added to each patient whose MedicationRequest or
    MedicationStatement references them. A malformed line, or one without a patient, is appended to ``problems`` as
    ("file:line", message) and the rest goes on; without a ``problems`` list it raises ``ValueError`` instead.
    """
    for pid, lines, medications in iter_ndjson_lines(files, problems=problems, bucket_bytes=bucket_bytes):
        yield pid, parse_patient_lines(pid, lines, medications, problems=problems)


def parse_patient_lines(
    pid: str, lines: list[str], medications: dict[str, dict], *, problems: list[tuple[str, str]] | None = None
) -> list[dict]:
    """One patient's raw NDJSON lines as resources, with the Medication resources they reference added. A line
    that is not JSON goes to ``problems`` (or raises ``ValueError`` without a list)."""
    resources = []
    for line in lines:
        try:
            resources.append(json_parse(line))
        except ValueError as exc:
            if problems is None:
                raise ValueError(f"patient {pid}: a resource is not valid JSON ({exc})") from None
            problems.append((f"patient {pid}", f"a resource is not valid JSON ({exc})"))
    return _with_medications(resources, medications)


_REFERENCE = re.compile(r'"reference"\s*:\s*"([^"]*)"')


def iter_ndjson_lines(
    files: Iterable[str | os.PathLike | IO[str]],
    *,
    problems: list[tuple[str, str]] | None = None,
    bucket_bytes: int | None = None,
) -> Iterator[tuple[str, list[str], dict[str, dict]]]:
    """As iter_ndjson_patients, but each patient's lines unparsed, with the Medication resources those lines may
    reference (every referenced id's, a superset), so a worker process parses them (parse_patient_lines) and the
    reading process only groups text."""
    medications: dict[str, dict] = {}
    bucket_bytes = BUCKET_BYTES if bucket_bytes is None else bucket_bytes

    def bad(where: str, message: str) -> None:
        if problems is None:
            raise ValueError(f"{where}: {message}")
        problems.append((where, message))

    with KeyedSpill(bucket_bytes) as spill:
        for f in files:
            name, fh, close = _open(f)
            try:
                for lineno, line in enumerate(fh, 1):
                    line = line.strip()
                    if not line:
                        continue
                    where = f"{name}:{lineno}"
                    try:
                        rtype, pid = _patient_of(line)
                    except ValueError as exc:
                        bad(where, f"not a JSON resource ({exc})")
                        continue
                    if rtype == "Medication":
                        try:
                            med = json_parse(line)
                        except ValueError as exc:
                            bad(where, f"not a JSON resource ({exc})")
                            continue
                        if isinstance(med, dict) and isinstance(med.get("id"), str):
                            medications[med["id"]] = med
                        continue
                    if not pid or "\t" in pid or "\n" in pid:
                        bad(where, f"{rtype or 'resource'} without a patient reference; not used")
                        continue
                    spill.add(pid, line)
            finally:
                if close:
                    fh.close()
        for pid, lines in spill.groups():
            yield pid, lines, _referenced(lines, medications)


def _referenced(lines: list[str], medications: dict[str, dict]) -> dict[str, dict]:
    """The Medication resources whose id ends a reference anywhere in these lines (a superset of those a
    medicationReference names: _with_medications picks from it exactly)."""
    if not medications:
        return {}
    found = {}
    for line in lines:
        if "medicationReference" not in line and "\\u" not in line:  # (a key written with \u escapes)
            continue
        for ref in _REFERENCE.findall(line):
            mid = ref.rsplit("/", 1)[-1]
            if mid in medications:
                found[mid] = medications[mid]
    return found


def _with_medications(resources: list[dict], medications: dict[str, dict]) -> list[dict]:
    if not medications:
        return resources
    wanted = []
    for r in resources:
        ref = r.get("medicationReference") if isinstance(r, dict) else None
        if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
            mid = ref["reference"].rsplit("/", 1)[-1]
            if mid in medications and medications[mid] not in wanted:
                wanted.append(medications[mid])
    return resources + wanted


def ndjson_text(resources: Iterable[dict]) -> str:
    """Resources as NDJSON text (one compact JSON object a line); used by tests and the population generator."""
    buf = io.StringIO()
    for r in resources:
        buf.write(json.dumps(r, separators=(",", ":")))
        buf.write("\n")
    return buf.getvalue()
