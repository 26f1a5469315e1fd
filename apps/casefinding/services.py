"""Case-finding writes and reads: make a run (in short transactions, audited), purge expired runs, read a worklist,
export it as CSV, and build a prefilled assessment from a patient's stored reasons."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record

from . import pipeline
from .extract import UnusableInput
from .groups import GROUPS, GROUPS_BY_ID
from .models import Patient, Run

CHANNEL = "casefinding"
# Patients stored per transaction: about 20 ms of SQLite's write lock each (bench/casefinding.py).
STORE_BATCH = 1000
# A run still incomplete after this long was left by a process that died mid-import.
INCOMPLETE_STALE = dt.timedelta(hours=1)

__all__ = ["UnusableInput", "casefinding_run", "casefinding_purge", "worklist", "export_csv", "prefill"]


def _bars(ids: Iterable[str]) -> str:
    ids = list(ids)
    return "|" + "|".join(ids) + "|" if ids else ""


def casefinding_run(
    *,
    user: Any = None,
    streams: Iterable[IO[bytes]],
    input_format: str,
    source: str,
    assessed_on: dt.date | None = None,
    workers: int = 1,
) -> Run:
    """Evaluate an extract and store its worklist in short transactions: input that cannot be used raises
    UnusableInput and leaves nothing behind. Expired runs are purged first. Audited as an evaluation with counts."""
    today = timezone.localdate()
    if assessed_on is not None and assessed_on > today:
        # As for one assessment (the contract): ages, recency and durations worked out for a day that has not come
        # would put patients on (or off) the worklist wrongly.
        raise UnusableInput(f"the assessment date {assessed_on.isoformat()} is in the future")
    casefinding_purge()
    assessed_on = assessed_on or today
    actor = user if user is not None else "manage.py casefind"
    # Written in short transactions, never one long one: a long import must not hold SQLite's write lock for
    # seconds, while logins and assessments wait and fail (issue 24). The run stays incomplete (never listed or
    # opened) until its last batch and summary are stored; if anything goes wrong it is removed again.
    run = Run.objects.create(
        created_by=getattr(user, "username", "") if user is not None else "",
        source=source,
        input_format=input_format,
        assessed_on=assessed_on,
        rulebook_version=pipeline.RULEBOOK_VERSION,
        complete=False,
    )

    def store(listed: list[pipeline.ListedPatient]) -> None:
        for start in range(0, len(listed), STORE_BATCH):
            with transaction.atomic():
                Patient.objects.bulk_create(
                    [
                        Patient(
                            run=run,
                            pseudonymous_id=p.patient_id,
                            groups=_bars(p.groups),
                            group_count=len(p.groups),
                            not_assessed=_bars(p.not_assessed),
                            reasons=p.reasons,
                        )
                        for p in listed[start : start + STORE_BATCH]
                    ]
                )

    try:
        summary = pipeline.run(
            streams, input_format=input_format, assessed_on=assessed_on, store=store, workers=workers
        )
        with transaction.atomic():
            run.rows_read = summary.rows_read
            run.rows_skipped = summary.rows_skipped
            run.patients_assessed = summary.patients_assessed
            run.summary = summary.as_dict()
            run.complete = True
            run.save()
            audit_record(
                event=AuditEvent.Event.EVALUATION,
                actor=actor,
                target_type="casefinding_run",
                target_id=str(run.pk),
                rulebook_version=run.rulebook_version,
                detail={"channel": CHANNEL, **_counts(run)},
            )
        return run
    except BaseException as exc:
        _discard(run)
        if isinstance(exc, UnusableInput):
            audit_record(
                event=AuditEvent.Event.EVALUATION,
                actor=actor,
                target_type="casefinding_run",
                detail={"channel": CHANNEL, "outcome": "unusable_input"},
            )
        raise


def _discard(run: Run) -> None:
    """Remove a run that did not complete, its patients in batches (short transactions again)."""
    patients = Patient.objects.filter(run=run)
    while True:
        ids = list(patients.values_list("pk", flat=True)[:STORE_BATCH])
        if not ids:
            break
        Patient.objects.filter(pk__in=ids).delete()
    Run.objects.filter(pk=run.pk).delete()


def _counts(run: Run) -> dict[str, Any]:
    groups = run.summary.get("groups", {})
    return {
        "rows_read": run.rows_read,
        "rows_skipped": run.rows_skipped,
        "patients_assessed": run.patients_assessed,
        "patients_listed": run.summary.get("patients_listed", 0),
        "groups": {g: c["in"] for g, c in groups.items()},
        "not_assessed": {g: c["not_assessed"] for g, c in groups.items()},
    }


def retention_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.CASEFINDING_RETENTION_DAYS)


def casefinding_purge() -> int:
    """Delete runs older than the retention period (with their patients); returns how many runs went."""
    expired = Run.objects.filter(created_at__lt=retention_cutoff()) | Run.objects.filter(
        complete=False, created_at__lt=timezone.now() - INCOMPLETE_STALE
    )
    runs = list(expired)
    for run in runs:
        _discard(run)
    return len(runs)


def run_expires(run: Run) -> dt.datetime:
    return run.created_at + dt.timedelta(days=settings.CASEFINDING_RETENTION_DAYS)


def worklist(run: Run, *, group: str = "", at_least: int = 0) -> QuerySet[Patient]:
    """The run's patients, filtered by group (or "not_assessed:<group>") and by the least number of groups."""
    patients = run.patients.all()
    if group.startswith("not_assessed:") and group.removeprefix("not_assessed:") in GROUPS_BY_ID:
        patients = patients.filter(not_assessed__contains=f"|{group.removeprefix('not_assessed:')}|")
    elif group in GROUPS_BY_ID:
        patients = patients.filter(groups__contains=f"|{group}|")
    if at_least > 0:
        patients = patients.filter(group_count__gte=at_least)
    return patients.order_by("-group_count", "pseudonymous_id")


def worklist_viewed(*, user: Any, run: Run, shown: int, page: str) -> None:
    audit_record(
        event=AuditEvent.Event.VIEW,
        actor=user,
        target_type="casefinding_run",
        target_id=str(run.pk),
        detail={"channel": CHANNEL, "page": page, "patients_shown": shown},
    )


# --- CSV export -----------------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula is prefixed with an apostrophe
    (OWASP CSV injection guidance), so a pseudonymous id or reason is always shown, never executed."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def reason_lines(patient: Patient) -> list[str]:
    lines = []
    for r in patient.reasons:
        title = GROUPS_BY_ID[r["group"]].title
        if r["status"] == "in":
            words = "; ".join([*r["because"], *r["evidence"]])
            lines.append(f"{title}: {words}")
        else:
            lines.append(f"{title}: could not be assessed ({', '.join(r['missing'])} not known)")
    return lines


def export_csv(*, user: Any, run: Run, patients: QuerySet[Patient], filters: dict[str, Any]) -> str:
    """The worklist (as filtered) as CSV text, audited with counts only."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["patient_id", "groups", "could_not_be_assessed", "reasons"])
    n = 0
    for p in patients.iterator(chunk_size=2000):
        writer.writerow(
            [
                _cell(p.pseudonymous_id),
                _cell(" | ".join(GROUPS_BY_ID[g].title for g in p.group_ids)),
                _cell(" | ".join(GROUPS_BY_ID[g].title for g in p.not_assessed_ids)),
                _cell(" || ".join(reason_lines(p))),
            ]
        )
        n += 1
    audit_record(
        event=AuditEvent.Event.VIEW,
        actor=user,
        target_type="casefinding_run",
        target_id=str(run.pk),
        detail={"channel": CHANNEL, "page": "export", "patients_exported": n, **filters},
    )
    return out.getvalue()


# --- a prefilled assessment -----------------------------------------------------------------------------------------


def prefill(patient: Patient) -> dict[str, Any]:
    """Contract input for the assessment form from this patient's stored reasons only (their ``facts``): nothing
    that was not stored, so unstated answers stay "Not known" for the clinician to fill in."""
    data: dict[str, Any] = {}
    for r in patient.reasons:
        for path, value in r.get("facts", {}).items():
            head, _, tail = path.partition(".")
            if tail:
                data.setdefault(head, {})[tail] = value
            else:
                data[head] = value
    return data


def group_rows(run: Run) -> list[dict[str, Any]]:
    groups = run.summary.get("groups", {})
    return [
        {
            "group": g,
            "in": groups.get(g.id, {}).get("in", 0),
            "not_assessed": groups.get(g.id, {}).get("not_assessed", 0),
            # Most often missing first; ties by label, since PostgreSQL's jsonb does not keep the stored key order.
            "why": sorted(groups.get(g.id, {}).get("why", {}).items(), key=lambda kv: (-kv[1], kv[0])),
        }
        for g in GROUPS
    ]
