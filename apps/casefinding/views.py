"""Case-finding pages: upload an extract, read the worklist, export it, open a prefilled assessment.

Uploads and worklists are for GPs and practice admins (the people who run practice searches); opening an
assessment is clinical work, so it is for GPs, nurses and physiotherapists only. Every page purges expired runs
first, so an expired worklist is never shown.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.permissions import REFUSED, Can, can, require
from apps.assessments.forms import AssessmentForm, initial_from_contract
from apps.assessments.views import form_layout

from . import extract, services
from .forms import FilterForm, UploadForm
from .groups import GROUPS_BY_ID
from .models import Patient, Run

PAGE_SIZE = 100

casefinding_role_required = require(Can.CASEFINDING)


@require_http_methods(["GET", "HEAD", "POST"])
@casefinding_role_required
def run_list(request: HttpRequest) -> HttpResponse:
    services.casefinding_purge()
    problem = ""
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                run = services.casefinding_run(
                    user=request.user,
                    streams=[f.open("rb") for f in form.cleaned_data["files"]],
                    input_format=form.cleaned_data["input_format"],
                    source="upload",
                )
            except services.UnusableInput as exc:
                problem = str(exc)
                form.add_error("files", f"Nothing was stored. {problem}")
            else:
                messages.success(request, "Extract read: the worklist is below.")
                return redirect("casefinding:run", pk=run.pk)
    else:
        form = UploadForm()
    runs = Run.objects.filter(complete=True)[:20]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "casefinding/runs.html",
        {"form": form, "runs": runs, "retention_days": services.settings.CASEFINDING_RETENTION_DAYS},
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


def _filters(request: HttpRequest) -> tuple[FilterForm, str, int]:
    """The worklist filters from the query string: the bound form, the group id ("" for all) and "in at least"."""
    filters = FilterForm(request.GET or None)
    if not filters.is_valid():
        return filters, "", 0
    return filters, filters.cleaned_data["group"], filters.cleaned_data["at_least"] or 0


def _run(request: HttpRequest, pk: uuid.UUID) -> Run:
    services.casefinding_purge()
    return get_object_or_404(Run, pk=pk, complete=True)


@require_safe
@casefinding_role_required
def run_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    run = _run(request, pk)
    filters, group, at_least = _filters(request)
    patients = services.worklist(run, group=group, at_least=at_least)
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(p) for p in page.object_list]
    services.worklist_viewed(user=request.user, run=run, shown=len(rows), page="worklist")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casefinding/run.html",
        {
            "run": run,
            "expires": services.run_expires(run),
            "groups": services.group_rows(run),
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "can_assess": can(request.user, Can.ASSESS),
            "summary": run.summary,
            # By field name: PostgreSQL's jsonb does not keep the stored key order.
            "skipped_by_field": sorted(run.summary.get("skipped_by_field", {}).items()),
            "problems_by_field": sorted(run.summary.get("problems_by_field", {}).items()),
        },
    )


def _row(p: Patient) -> dict:
    reasons = []
    for r in p.reasons:
        group = GROUPS_BY_ID[r["group"]]
        reasons.append({**r, "title": group.title, "recommendation": group.recommendation})
    return {"patient": p, "reasons": reasons}


@require_safe
@casefinding_role_required
def run_export(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    run = _run(request, pk)
    filters, group, at_least = _filters(request)
    text = services.export_csv(
        user=request.user,
        run=run,
        patients=services.worklist(run, group=group, at_least=at_least),
        filters={"group": group, "at_least": at_least},
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="worklist-{run.created_at:%Y%m%d}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@login_required
def patient_assess(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The assessment form, prefilled from this worklist patient's stored reasons; it posts to the ordinary new
    assessment page, so the consultation is evaluated and stored exactly as any other."""
    if not can(request.user, Can.ASSESS):
        raise PermissionDenied(REFUSED[Can.ASSESS])
    services.casefinding_purge()
    patient = get_object_or_404(Patient, pk=pk)
    initial = initial_from_contract(services.prefill(patient))
    initial["practice_reference"] = patient.pseudonymous_id[:40]
    form = AssessmentForm(initial=initial, role=request.user.role)
    services.worklist_viewed(user=request.user, run=patient.run, shown=1, page="assess")
    return render(
        request,
        "assessments/new.html",
        {"form": form, "layout": form_layout(form), "unavailable": False, "from_worklist": True},
    )
