"""Case-finding writes: make a run (in short transactions, audited), purge expired runs, record a patient's status,
audit a worklist viewed, export it as CSV (audited), and build a prefilled assessment from a patient's stored
reasons. The reads are in selectors.py."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import logging
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.assessments.models import AssessmentDraft
from apps.assessments.services import assessment_draft_create
from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from core.casefinding import pipeline
from core.casefinding.extract import UnusableInput
from core.casefinding.groups import GROUPS_BY_ID, priority
from core.rules.contract import set_path

from .models import Patient, PatientStatus, Run
from .selectors import reason_line, retention_cutoff, statuses

logger = logging.getLogger(__name__)

CHANNEL = "casefinding"
# Patients stored per transaction: about 20 ms of SQLite's write lock each (bench/casefinding.py).
STORE_BATCH = 1000
# A run still incomplete after this long was left by a process that died mid-import.
INCOMPLETE_STALE = dt.timedelta(hours=1)

__all__ = [
    "UnusableInput",
    "casefinding_run",
    "casefinding_start",
    "casefinding_import",
    "casefinding_purge",
    "export_csv",
]


def _bars(ids: Iterable[str]) -> str:
    ids = list(ids)
    return "|" + "|".join(ids) + "|" if ids else ""


class _Counting:
    """A binary stream that says how far it has been read (the run page's progress): its position where it has one
    (a file: re-reads after a seek, as the gzip check makes, are not counted twice), else the bytes read."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self._read = 0

    @property
    def count(self) -> int:
        try:
            return self.stream.tell()
        except (OSError, AttributeError, ValueError):
            return self._read

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self._read += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        n = self.stream.readinto(buffer)  # type: ignore[attr-defined]
        self._read += n or 0
        return n

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _new_run(*, user: Any, input_format: str, source: str, assessed_on: dt.date, status: str) -> Run:
    return Run.objects.create(
        created_by=getattr(user, "username", "") if user is not None else "",
        source=source,
        input_format=input_format,
        assessed_on=assessed_on,
        rulebook_version=pipeline.RULEBOOK_VERSION,
        complete=False,
        status=status,
    )


def _assessed_on(assessed_on: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if assessed_on is not None and assessed_on > today:
        # As for one assessment (the contract): ages, recency and durations worked out for a day that has not come
        # would put patients on (or off) the worklist wrongly.
        raise UnusableInput(f"the assessment date {assessed_on.isoformat()} is in the future")
    return assessed_on or today


def casefinding_run(
    *,
    user: Any = None,
    streams: Iterable[IO[bytes]],
    input_format: str,
    source: str,
    assessed_on: dt.date | None = None,
    workers: int = 1,
) -> Run:
    """Evaluate an extract now (``manage.py casefind``) and store its worklist in short transactions: input that
    cannot be used raises UnusableInput and leaves nothing behind. Expired runs are purged first. Audited as an
    evaluation with counts."""
    assessed_on = _assessed_on(assessed_on)
    casefinding_purge()
    run = _new_run(
        user=user, input_format=input_format, source=source, assessed_on=assessed_on, status=Run.Status.RUNNING
    )
    try:
        _import(run, streams, actor=user if user is not None else "manage.py casefind", workers=workers)
    except BaseException:
        _discard(run)
        raise
    return run


def casefinding_start(*, user: Any, files: Iterable[Any], input_format: str) -> Run:
    """An upload, stored and queued: the request returns at once to the run page, which shows the progress while a
    worker (``manage.py db_worker``, which ./scripts/run starts) reads it (tasks.import_extract). The files go to
    CASEFINDING_UPLOAD_DIR under the run's id and are deleted when the import ends, whatever its outcome."""
    casefinding_purge()
    run = _new_run(
        user=user,
        input_format=input_format,
        source="upload",
        assessed_on=timezone.localdate(),
        status=Run.Status.QUEUED,
    )
    folder = upload_dir(run)
    folder.mkdir(parents=True, exist_ok=True)
    paths, total = [], 0
    for n, f in enumerate(files):
        suffix = ".gz" if str(getattr(f, "name", "")).endswith(".gz") else ""
        path = folder / f"{n:03d}{suffix}"
        with path.open("wb") as out:
            for block in f.chunks():
                out.write(block)
                total += len(block)
        paths.append(str(path))
    Run.objects.filter(pk=run.pk).update(bytes_total=total)
    from .tasks import import_extract  # the task module imports this one

    import_extract.enqueue(run_id=str(run.pk), paths=paths, username=getattr(user, "username", ""))
    return run


def upload_dir(run: Run) -> Path:
    return Path(settings.CASEFINDING_UPLOAD_DIR) / str(run.pk)


# What a failed run's page says when the failure was not the extract's: never the exception's text, which could
# hold a value from the extract.
INTERNAL_FAILURE = "the import stopped on an internal error (it is in the server log); nothing was kept"


def casefinding_import(*, run_id: str, paths: list[str], username: str = "") -> None:
    """The background import of a queued upload (tasks.import_extract). A run that fails keeps no patients: its
    page says why (the extract's problem, or an internal error); its files are deleted either way."""
    run = Run.objects.filter(pk=run_id, status=Run.Status.QUEUED).first()
    try:
        if run is None:
            return  # purged, or already taken by another worker
        Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING)
        with contextlib.ExitStack() as files:
            streams = [files.enter_context(Path(p).open("rb")) for p in paths]
            _import(run, streams, actor=username or "casefinding upload", workers=settings.CASEFINDING_WORKERS)
    except UnusableInput as exc:
        _fail(run, f"Nothing was stored. {exc}")
    except Exception:
        logger.exception("case-finding import failed (run %s)", run_id)
        _fail(run, INTERNAL_FAILURE)
    finally:
        shutil.rmtree(upload_dir(run) if run is not None else Path(paths[0]).parent, ignore_errors=True)


def _fail(run: Run | None, why: str) -> None:
    if run is None:
        return
    _discard_patients(run)
    Run.objects.filter(pk=run.pk).update(status=Run.Status.FAILED, error=why, complete=False)


def _import(run: Run, streams: Iterable[IO[bytes]], *, actor: Any, workers: int = 1) -> None:
    """Read, evaluate and store: patients in short transactions, the progress after each chunk, the summary and
    the audit event at the end. Raises UnusableInput (audited) for input that cannot be used at all."""
    counted = [_Counting(s) for s in streams]

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
                            age=p.age,
                            sex=p.sex,
                            priority=priority(p.groups),
                            data=p.data,
                        )
                        for p in listed[start : start + STORE_BATCH]
                    ]
                )

    def progress(summary: pipeline.Summary) -> None:
        Run.objects.filter(pk=run.pk).update(
            rows_read=summary.rows_read,
            patients_assessed=summary.patients_assessed,
            patients_listed=summary.patients_listed,
            bytes_read=sum(c.count for c in counted),
        )

    try:
        summary = pipeline.run(
            counted,
            input_format=run.input_format,
            assessed_on=run.assessed_on,
            store=store,
            workers=workers,
            progress=progress,
        )
    except UnusableInput:
        audit_record(
            event=AuditEvent.Event.EVALUATION,
            actor=actor,
            target_type="casefinding_run",
            detail={"channel": CHANNEL, "outcome": "unusable_input"},
        )
        raise
    with transaction.atomic():
        run.refresh_from_db()
        run.rows_read = summary.rows_read
        run.rows_skipped = summary.rows_skipped
        run.patients_assessed = summary.patients_assessed
        run.patients_listed = summary.patients_listed
        run.bytes_read = run.bytes_total or sum(c.count for c in counted)  # all of it, once read to the end
        run.summary = summary.as_dict()
        run.complete = True
        run.status = Run.Status.COMPLETE
        run.save()
        audit_record(
            event=AuditEvent.Event.EVALUATION,
            actor=actor,
            target_type="casefinding_run",
            target_id=str(run.pk),
            rulebook_version=run.rulebook_version,
            detail={"channel": CHANNEL, **_counts(run)},
        )


def _discard_patients(run: Run) -> None:
    """Remove a run's patients in batches (short transactions again)."""
    patients = Patient.objects.filter(run=run)
    while True:
        ids = list(patients.values_list("pk", flat=True)[:STORE_BATCH])
        if not ids:
            break
        Patient.objects.filter(pk__in=ids).delete()


def _discard(run: Run) -> None:
    """Remove a run that did not complete, with its patients and any uploaded files."""
    _discard_patients(run)
    Run.objects.filter(pk=run.pk).delete()
    shutil.rmtree(upload_dir(run), ignore_errors=True)


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


def casefinding_purge() -> int:
    """Delete runs older than the retention period (with their patients); returns how many runs went."""
    # A run still "running" long after it started was left by a process that died mid-import. Queued runs wait for
    # the worker (their page says so); failed runs keep no patients, only why; both go at the retention limit.
    expired = Run.objects.filter(created_at__lt=retention_cutoff()) | Run.objects.filter(
        status=Run.Status.RUNNING, created_at__lt=timezone.now() - INCOMPLETE_STALE
    )
    runs = list(expired)
    for run in runs:
        _discard(run)
    return len(runs)


def status_set(
    *, user: Any, patient: Patient, status: str, reason: str = "", look_again_on: dt.date | None = None
) -> PatientStatus:
    """Record where the practice is with this patient (kept across runs by pseudonymous id); audited, with the
    status and never the reason's words (free text)."""
    with transaction.atomic():
        record, _ = PatientStatus.objects.update_or_create(
            pseudonymous_id=patient.pseudonymous_id,
            defaults={
                "status": status,
                "reason": reason if status == PatientStatus.Status.NOT_NOW else "",
                "look_again_on": look_again_on if status == PatientStatus.Status.NOT_NOW else None,
                "updated_at": timezone.now(),
                "updated_by": getattr(user, "username", ""),
            },
        )
        audit_record(
            event=AuditEvent.Event.DECISION,
            actor=user,
            target_type="casefinding_patient",
            target_id=str(patient.pk),
            detail={"channel": CHANNEL, "status": status, "look_again": bool(record.look_again_on)},
        )
    return record


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


EXPORT_COLUMNS = [
    "patient_id",
    "age",
    "sex",
    "priority",
    "group",
    "in_group",
    "reason",
    "next_step",
    "status",
    "look_again_on",
]


def export_csv(*, user: Any, run: Run, patients: QuerySet[Patient], filters: dict[str, Any]) -> str:
    """The worklist (as filtered) as CSV text, one row per patient and reason, with the patient's status; audited
    with counts only."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    n = 0
    batch: list[Patient] = []

    def flush() -> None:
        known = statuses(p.pseudonymous_id for p in batch)
        for p in batch:
            st = known.get(p.pseudonymous_id)
            for reason in p.reasons:
                title, in_group, words = reason_line(reason)
                writer.writerow(
                    [
                        _cell(p.pseudonymous_id),
                        "" if p.age is None else p.age,
                        p.sex,
                        p.priority,
                        _cell(title),
                        in_group,
                        _cell(words),
                        _cell(reason.get("next") or GROUPS_BY_ID[reason["group"]].recommendation),
                        st.status if st else PatientStatus.Status.OPEN,
                        st.look_again_on.isoformat() if st and st.look_again_on else "",
                    ]
                )
        batch.clear()

    for p in patients.iterator(chunk_size=2000):
        batch.append(p)
        n += 1
        if len(batch) >= 2000:
            flush()
    flush()
    audit_record(
        event=AuditEvent.Event.VIEW,
        actor=user,
        target_type="casefinding_run",
        target_id=str(run.pk),
        detail={"channel": CHANNEL, "page": "export", "patients_exported": n, **filters},
    )
    return out.getvalue()


# --- a prefilled assessment -----------------------------------------------------------------------------------------


def _from_reasons(patient: Patient) -> dict[str, Any]:
    """Contract input from a patient's stored reasons only (their ``facts``), for rows stored before the input was
    kept: unstated answers stay "Not known" for the clinician to fill in."""
    data: dict[str, Any] = {}
    for r in patient.reasons:
        for path, value in r.get("facts", {}).items():
            set_path(data, path, value)
    return data


def patient_draft(patient: Patient) -> AssessmentDraft:
    """A prefilled assessment for this worklist patient, by the short-lived draft CDS Hooks uses: the assessment
    input the extract gave (age, sex and every fact behind the reasons), and the pseudonymous id as the practice
    reference. Nothing is stored as an assessment until the clinician submits it."""
    data = dict(patient.data) if patient.data else _from_reasons(patient)
    if "age" not in data and patient.age is not None:
        data["age"] = patient.age
    if "sex" not in data and patient.sex:
        data["sex"] = patient.sex
    return assessment_draft_create(data=data, source=CHANNEL, reference=patient.pseudonymous_id)
