"""Case-finding pages: upload an extract, read the worklist, export it, open a prefilled assessment.

Uploads and worklists are for GPs and practice admins (the people who run practice searches); opening an
assessment is clinical work, so it is for GPs, nurses and physiotherapists only. Pages read runs through
``selectors.live_runs()``, so an expired worklist is never shown; deleting it is the purge command's job.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.permissions import REFUSED, Can, can, require
from core.casefinding import extract
from core.casefinding.groups import GROUPS_BY_ID

from . import selectors, services
from .forms import FilterForm, StatusForm, UploadForm
from .models import Patient, PatientStatus, Run

PAGE_SIZE = 25

casefinding_role_required = require(Can.CASEFINDING)


@require_http_methods(["GET", "HEAD", "POST"])
@casefinding_role_required
def run_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            # Stored and queued: the import runs in the background (tasks.import_extract) and the run page shows
            # its progress, so the request returns at once however large the extract.
            run = services.casefinding_start(
                user=request.user,
                files=form.cleaned_data["files"],
                input_format=form.cleaned_data["input_format"],
            )
            return redirect("casefinding:run", pk=run.pk)
    else:
        form = UploadForm()
    runs = selectors.live_runs()[:20]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "casefinding/runs.html",
        {"form": form, "runs": runs, "retention_days": settings.CASEFINDING_RETENTION_DAYS},
        status=status,
    )


@require_safe
@casefinding_role_required
def formats(request: HttpRequest) -> HttpResponse:
    """The extract formats: every CSV column, from the parser's own tables, and the NDJSON resource types."""
    tables = [
        ("Required columns", "Type", "Format and meaning", list(extract.REQUIRED_COLUMN_HELP.items())),
        (
            "Record facts, with their dates",
            "Type and unit",
            "Format and meaning",
            list(extract.FACT_COLUMN_HELP.items()),
        ),
        (
            "Answers stated directly (the assessment's questions, by their field names)",
            "Question",
            "Values",
            [(c, (spec.label, extract.answer_format(spec))) for c, spec in sorted(extract.ANSWER_COLUMNS.items())],
        ),
    ]
    return render(
        request,
        "casefinding/formats.html",
        {
            "tables": [{"caption": c, "second": s, "third": t, "rows": rows} for c, s, t, rows in tables],
            "separators": (extract.ITEM_SEPARATOR, extract.PART_SEPARATOR),
        },
    )


def _filters(request: HttpRequest) -> tuple[FilterForm, dict[str, Any]]:
    """The worklist filters from the query string: the bound form and the worklist's keyword arguments."""
    filters = FilterForm(request.GET or None)
    if not filters.is_valid():
        return filters, {}
    c = filters.cleaned_data
    return filters, {
        "tab": c["tab"] or "act",
        "group": c["group"],
        "at_least": c["at_least"] or 0,
        "age_band": c["age_band"],
        "sex": c["sex"],
        "status": c["status"],
        "sort": c["sort"] or "priority",
    }


def _run(request: HttpRequest, pk: uuid.UUID) -> Run:
    return get_object_or_404(selectors.live_runs(), pk=pk)


def _progress(run: Run) -> dict[str, Any]:
    percent = round(100 * run.bytes_read / run.bytes_total) if run.bytes_total else 0
    return {
        "status": run.status,
        "status_text": run.get_status_display(),
        "rows_read": run.rows_read,
        "patients_assessed": run.patients_assessed,
        "patients_listed": run.patients_listed,
        "percent": min(percent, 100),
        "error": run.error,
    }


@require_safe
@casefinding_role_required
def run_progress(request: HttpRequest, pk: uuid.UUID) -> JsonResponse:
    """The import's progress, for the run page's script (static/js/casefinding-progress.js)."""
    return JsonResponse(_progress(_run(request, pk)))


@require_safe
@casefinding_role_required
def run_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    run = _run(request, pk)
    if run.status != Run.Status.COMPLETE:
        return render(request, "casefinding/progress.html", {"run": run, "progress": _progress(run)})
    filters, options = _filters(request)
    options.setdefault("tab", "act")
    patients = selectors.worklist(run, **options)
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    changes = selectors.changes(run)
    known = selectors.statuses(p.pseudonymous_id for p in page.object_list)
    rows = [_row(p, known.get(p.pseudonymous_id), changes) for p in page.object_list]
    services.worklist_viewed(user=request.user, run=run, shown=len(rows), page="worklist")
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = query.copy()
    tab_query.pop("tab", None)
    return render(
        request,
        "casefinding/run.html",
        {
            "run": run,
            "expires": selectors.run_expires(run),
            "groups": selectors.group_rows(run),
            "filters": filters,
            "tab": options["tab"],
            "counts": {
                "act": run.patients.filter(group_count__gte=1).count(),
                "not_assessed": run.patients.filter(group_count=0).count(),
            },
            "changes": changes,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
            "can_assess": can(request.user, Can.ASSESS),
            "summary": run.summary,
            # By field name: PostgreSQL's jsonb does not keep the stored key order.
            "skipped_by_field": sorted(run.summary.get("skipped_by_field", {}).items()),
            "problems_by_field": sorted(run.summary.get("problems_by_field", {}).items()),
        },
    )


def _row(p: Patient, status: PatientStatus | None, changes: dict[str, Any] | None) -> dict:
    reasons = []
    for r in p.reasons:
        group = GROUPS_BY_ID[r["group"]]
        reasons.append({**r, "title": group.title, "recommendation": group.recommendation})
    return {
        "patient": p,
        "reasons": reasons,
        "status": status,
        "new": changes is not None and p.pseudonymous_id in changes["new"],
    }


@require_http_methods(["GET", "HEAD", "POST"])
@casefinding_role_required
def patient_status(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Where the practice is with one worklist patient: invited, assessed, done, or not now (with why and when to
    look again). Kept across runs by pseudonymous id."""
    patient = get_object_or_404(
        Patient.objects.select_related("run"), pk=pk, run__in=selectors.live_runs(), run__status=Run.Status.COMPLETE
    )
    back = request.POST.get("back") or request.GET.get("back") or ""
    back_url = f"{reverse('casefinding:run', args=[patient.run_id])}?{back}#patient-{patient.pk}"
    current = selectors.statuses([patient.pseudonymous_id]).get(patient.pseudonymous_id)
    if request.method == "POST":
        form = StatusForm(request.POST)
        if form.is_valid():
            services.status_set(
                user=request.user,
                patient=patient,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                look_again_on=form.cleaned_data["look_again_on"],
            )
            messages.success(request, f"Status of {patient.pseudonymous_id} saved.")
            return redirect(back_url)
    else:
        initial = {"status": current.status if current else PatientStatus.Status.OPEN}
        if current is not None:
            initial.update(reason=current.reason, look_again_on=current.look_again_on)
        form = StatusForm(initial=initial)
    return render(
        request,
        "casefinding/status.html",
        {"patient": patient, "form": form, "back": back, "back_url": back_url},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_safe
@casefinding_role_required
def run_export(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    run = _run(request, pk)
    if run.status != Run.Status.COMPLETE:
        raise Http404("This run has no worklist yet.")
    _, options = _filters(request)
    options.setdefault("tab", "all")
    text = services.export_csv(
        user=request.user,
        run=run,
        patients=selectors.worklist(run, **options),
        filters={k: v for k, v in options.items() if v},
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="worklist-{run.created_at:%Y%m%d}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def patient_assess(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Open the assessment prefilled from this worklist patient's extract (age, sex and every fact behind the
    reasons), through the same short-lived draft CDS Hooks uses; it posts to the ordinary new assessment page, so
    the consultation is evaluated and stored exactly as any other."""
    if not can(request.user, Can.ASSESS):
        raise PermissionDenied(REFUSED[Can.ASSESS])
    patient = get_object_or_404(Patient.objects.select_related("run"), pk=pk, run__in=selectors.live_runs())
    draft = services.patient_draft(patient)
    services.worklist_viewed(user=request.user, run=patient.run, shown=1, page="assess")
    return redirect(f"{reverse('assessments:new')}?draft={draft.pk}")
