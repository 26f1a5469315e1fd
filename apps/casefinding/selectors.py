"""Case-finding reads: the runs still within retention, a run's worklist (filtered and sorted), the patients'
statuses as they hold today, what changed since the last run, and the words of a reason and a group's counts. No
writes and no audit events here: those are services.py's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from core.casefinding.groups import GROUPS, GROUPS_BY_ID

from .models import Patient, PatientStatus, Run


def retention_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.CASEFINDING_RETENTION_DAYS)


def live_runs() -> QuerySet[Run]:
    """The runs still within the retention period: the only ones any page shows or compares with. Deleting the
    expired ones is the purge command's job (run daily from cron); until it runs they are kept but never shown."""
    return Run.objects.filter(created_at__gte=retention_cutoff())


def run_expires(run: Run) -> dt.datetime:
    return run.created_at + dt.timedelta(days=settings.CASEFINDING_RETENTION_DAYS)


AGE_BANDS = {"under_50": (0, 49), "50_64": (50, 64), "65_74": (65, 74), "75_plus": (75, 200)}


SORTS = {
    "priority": ("-priority", "-age", "pseudonymous_id"),
    "age": ("-age", "-priority", "pseudonymous_id"),
    "id": ("pseudonymous_id",),
}


def _statuses_now() -> QuerySet[PatientStatus]:
    """Statuses that still hold today: a "not now" whose look-again date has come is open again."""
    today = timezone.localdate()
    return PatientStatus.objects.exclude(status=PatientStatus.Status.NOT_NOW, look_again_on__lte=today)


def worklist(
    run: Run,
    *,
    group: str = "",
    at_least: int = 0,
    tab: str = "all",
    age_band: str = "",
    sex: str = "",
    status: str = "",
    sort: str = "priority",
) -> QuerySet[Patient]:
    """The run's patients: the "act" tab (in at least one group) or the "not_assessed" tab (in none, but not
    assessable for one), filtered by group (or "not_assessed:<group>"), least number of groups, age band, sex and
    status, sorted by priority (the weightiest group's clinical weight, then age), age or id."""
    patients = run.patients.all()
    if tab == "not_assessed":
        patients = patients.filter(group_count=0)
    elif tab == "act":
        patients = patients.filter(group_count__gte=1)
    if group.startswith("not_assessed:") and group.removeprefix("not_assessed:") in GROUPS_BY_ID:
        patients = patients.filter(not_assessed__contains=f"|{group.removeprefix('not_assessed:')}|")
    elif group in GROUPS_BY_ID:
        patients = patients.filter(groups__contains=f"|{group}|")
    if at_least > 0:
        patients = patients.filter(group_count__gte=at_least)
    if age_band in AGE_BANDS:
        lo, hi = AGE_BANDS[age_band]
        patients = patients.filter(age__gte=lo, age__lte=hi)
    if sex in ("female", "male", "unknown"):
        patients = patients.filter(sex=sex)
    if status == PatientStatus.Status.OPEN:
        patients = patients.exclude(pseudonymous_id__in=_statuses_now().values("pseudonymous_id"))
    elif status in PatientStatus.Status.values:
        patients = patients.filter(pseudonymous_id__in=_statuses_now().filter(status=status).values("pseudonymous_id"))
    return patients.order_by(*SORTS.get(sort, SORTS["priority"]))


def statuses(ids: Iterable[str]) -> dict[str, PatientStatus]:
    """The status of each of these patients (absent: open), with "not now" past its date shown as open again."""
    today = timezone.localdate()
    found = {s.pseudonymous_id: s for s in PatientStatus.objects.filter(pseudonymous_id__in=list(ids))}
    return {
        pid: s
        for pid, s in found.items()
        if not (s.status == PatientStatus.Status.NOT_NOW and s.look_again_on and s.look_again_on <= today)
    }


def previous_run(run: Run) -> Run | None:
    return (
        live_runs()
        .filter(status=Run.Status.COMPLETE, created_at__lt=run.created_at)
        .exclude(pk=run.pk)
        .order_by("-created_at")
        .first()
    )


def changes(run: Run) -> dict[str, Any] | None:
    """What changed since the last complete run: patients new to the worklist, still on it, and no longer on it
    (resolved, or no longer found by the search). None when there is no earlier run."""
    before = previous_run(run)
    if before is None:
        return None
    now_ids = set(run.patients.filter(group_count__gte=1).values_list("pseudonymous_id", flat=True))
    then_ids = set(before.patients.filter(group_count__gte=1).values_list("pseudonymous_id", flat=True))
    return {
        "since": before,
        "new": now_ids - then_ids,
        "still_open": len(now_ids & then_ids),
        "resolved": len(then_ids - now_ids),
    }


def reason_line(reason: dict[str, Any]) -> tuple[str, str, str]:
    """(group title, in or could not be assessed, the words): one reason as the export and the page give it."""
    title = GROUPS_BY_ID[reason["group"]].title
    if reason["status"] == "in":
        return title, "in", "; ".join([*reason["because"], *reason["evidence"]])
    return title, "could not be assessed", f"{', '.join(reason['missing'])} not known"


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
