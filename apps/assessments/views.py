"""The consultation workflow: assess, read the prompts, copy the summary, record decisions, reopen, print."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.models import Role
from apps.accounts.permissions import Can, require
from apps.evaluation.services import DecisionSupportUnavailable
from apps.selfcheck.selectors import answer_words as selfcheck_words
from apps.selfcheck.selectors import code_get as selfcheck_code_get
from apps.selfcheck.selectors import prefill as selfcheck_prefill
from apps.web.forms import NamedErrorsMixin
from core.rules.contract import REPORT_TEXT_MAX, field_label

from . import fls
from .forms import SECTIONS, AssessmentForm, conditional_id, initial_from_contract, path_to_name, refuse_identifiers
from .models import Assessment, Decision, FlsService
from .plan import build as build_plan
from .selectors import (
    CATEGORY_WORDS,
    PRIORITY_WORDS,
    assessment_draft_get,
    current_decisions,
    feedback_by_rule,
    field_anchor,
    findings,
    for_display,
    own_assessment,
    prompt_anchor,
    result_groups,
    summary_text,
)
from .services import (
    assessment_create,
    assessment_viewed,
    decision_record,
    fls_referral_create,
    prefill_viewed,
)

# The assessment pages ask the one permissions module (apps/accounts/permissions.py).
clinician_required = require(Can.ASSESS)
admin_role_required = require(Can.FEEDBACK)


def _revised(request: HttpRequest, value: str | None) -> Assessment | None:
    """The user's own assessment that a submitted form revises (the "Change answers" and "Not known" links)."""
    if not value:
        return None
    try:
        return own_assessment(request.user, uuid.UUID(value))
    except ValueError:
        raise Http404 from None


class DecisionForm(NamedErrorsMixin, forms.Form):
    prompt_id = forms.CharField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(
        choices=Decision.Choice.choices,
        widget=forms.RadioSelect,
        label="Your decision",
        error_messages={"required": "Select done or will do, or not now"},
    )
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason"), *Decision.Reason.choices],
        required=False,
        label="Reason for not now",
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        label="Note (optional)",
        help_text="Do not include names or NHS numbers.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, prompt_ids: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.prompt_ids = prompt_ids

    def clean_note(self) -> str:
        note = self.cleaned_data.get("note", "")
        refuse_identifiers("Note", note)
        return note

    def clean_prompt_id(self) -> str:
        value = self.cleaned_data["prompt_id"]
        if value not in self.prompt_ids:
            raise forms.ValidationError("Prompt is not one shown in this assessment")
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("choice") == Decision.Choice.NOT_NOW and not cleaned.get("reason"):
            self.add_error("reason", "Select a reason for not now")
        if cleaned.get("choice") == Decision.Choice.DONE:
            cleaned["reason"] = ""
        return cleaned


# --- pages ------------------------------------------------------------------------------------------------------


def form_layout(form: AssessmentForm) -> list[dict]:
    """Sections of bound fields, with each follow-up group right after the question that reveals it."""
    layout = []
    for section in SECTIONS:
        followups = {child for _p, _a, children in section.reveals for child in children}
        items = []
        for q in section.questions:
            if q.path in followups:
                continue
            items.append({"field": form[q.name]})
            for parent, answer, children in section.reveals:
                if parent != q.path:
                    continue
                current = form[q.name].value()
                items.append(
                    {
                        "conditional": conditional_id(parent, answer),
                        "hidden": current != answer,
                        "fields": [form[path_to_name(c)] for c in children],
                    }
                )
        layout.append({"id": section.id, "title": section.title, "hint": section.hint, "items": items})
    return layout


@require_http_methods(["GET", "HEAD", "POST"])
@clinician_required
def assessment_new(request: HttpRequest) -> HttpResponse:
    unavailable = checked = False
    revises = None
    selfcheck: dict[str, Any] | None = None
    if request.method == "POST" and "prefill_report" in request.POST:
        # "Assess with this report" from the screening page: the report is carried into a new form, not stored.
        form = AssessmentForm(
            initial={"spine_imaging__report_text": request.POST["prefill_report"][:REPORT_TEXT_MAX]},
            role=request.user.role,
        )
    elif request.method == "POST":
        form = AssessmentForm(request.POST, role=request.user.role)
        revises = _revised(request, request.POST.get("revises"))
        # "Check answers" (also what Enter in a field does: it is the form's first submit button) validates and
        # shows the form again; only "Show prompts" assesses and stores.
        if request.POST.get("action") == "check":
            checked = form.is_valid()
        elif form.is_valid():
            try:
                assessment = assessment_create(
                    user=request.user,
                    data=form.contract_data,
                    practice_reference=form.cleaned_data["practice_reference"],
                    revises=revises,
                )
            except DecisionSupportUnavailable:
                unavailable = True
            else:
                return redirect("assessments:detail", pk=assessment.pk)
    else:
        initial, revises, selfcheck = _prefill(request)
        form = AssessmentForm(initial=initial, role=request.user.role)
    response = render(
        request,
        "assessments/new.html",
        {
            "form": form,
            "layout": form_layout(form),
            "unavailable": unavailable,
            "checked": checked,
            "revises": revises,
            "selfcheck": selfcheck,
        },
        # 400 for answers refused (as the decision and case-finding forms answer), 500 when the rules failed.
        status=500 if unavailable else 400 if form.is_bound and form.errors else 200,
    )
    return response


def _prefill(request: HttpRequest) -> tuple[dict[str, Any], Assessment | None, dict[str, Any] | None]:
    """A new form's answers, from where the clinician came: a patient's self-check code, a draft prepared from the
    GP record, or an earlier assessment to assess again (which the new one then revises). Returns the initial
    answers, the assessment revised, and what the page shows about a self-check."""
    code = request.GET.get("selfcheck", "").strip()
    if code:
        initial, selfcheck = _from_selfcheck(request, code)
        return initial, None, selfcheck
    draft_id = request.GET.get("draft")
    if draft_id:
        return _from_draft(request, draft_id), None, None
    source = request.GET.get("from")
    if source:
        try:
            previous = own_assessment(request.user, uuid.UUID(source))
        except ValueError:
            raise Http404 from None
        initial = initial_from_contract(previous.input_snapshot)
        initial["practice_reference"] = previous.practice_reference
        assessment_viewed(user=request.user, assessment=previous, page="assess_again")
        return initial, previous, None
    return {}, None, None


def _from_selfcheck(request: HttpRequest, code: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A patient's self-check (/check/): only the answers that mean exactly a contract answer are filled in, and
    the page says which came from the patient and shows the rest in the patient's words."""
    stored = selfcheck_code_get(code)
    if stored is None:
        return {}, {"error": "This self-check code has expired or does not exist. Codes work for 7 days."}
    data, paths = selfcheck_prefill(stored)
    prefill_viewed(user=request.user, page="selfcheck", target_type="selfcheck_code", target_id="")
    return initial_from_contract(data), {
        "stored": stored,
        "paths": [field_label(p) for p in paths],
        "answers": selfcheck_words(stored.answers, with_flags=True),
    }


def _from_draft(request: HttpRequest, draft_id: str) -> dict[str, Any]:
    """Prepared from the GP record (a CDS Hooks call, a SMART launch, a case-finding worklist row): the clinician
    checks the answers and submits."""
    draft = assessment_draft_get(draft_id=draft_id)
    if draft is None:
        raise Http404("This prefilled assessment has expired or does not exist. Open it again from the record.")
    initial = initial_from_contract(draft.data)
    if draft.reference:
        initial["practice_reference"] = draft.reference
    prefill_viewed(user=request.user, page="draft", target_type="assessment_draft", target_id=str(draft.pk))
    return initial


@require_safe
@clinician_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    assessments = (
        Assessment.objects.filter(user=request.user)
        .select_related("revises")
        .only(
            "id",
            "created_at",
            "practice_reference",
            "assessed_on",
            "rulebook_version",
            "result",
            "input_snapshot",
            "revises__id",
            "revises__created_at",
        )[:50]
    )
    rows = []
    for a in assessments:
        counts = {"urgent": 0, "routine": 0, "info": 0}
        for p in a.prompts:
            counts["urgent" if p["priority"] in ("emergency", "urgent") else p["priority"]] += 1
        plan = build_plan(a.result, a.input_snapshot)
        rows.append({"assessment": a, "counts": counts, "plan": [item["prompt"]["title"] for item in plan["items"]]})
    return render(request, "assessments/list.html", {"rows": rows})


def _detail_context(request: HttpRequest, assessment: Assessment) -> dict:
    decisions = current_decisions(assessment)
    groups = result_groups(assessment.result)
    prompt_ids = tuple(p["id"] for p in assessment.prompts)
    plan = build_plan(assessment.result, assessment.input_snapshot)
    for item in (*plan["items"], *plan["waiting"]):
        item["anchor"] = prompt_anchor(item["prompt"]["id"])
    return {
        "plan": plan,
        "assessment": assessment,
        "role_label": Role(assessment.assessor_role).label,
        "result": assessment.result,
        "urgent": groups["urgent"],
        "groups": groups["groups"],
        "decisions": decisions,
        "decision_choices": Decision.Choice.choices,
        "decision_reasons": Decision.Reason.choices,
        "priority_words": PRIORITY_WORDS,
        "category_words": CATEGORY_WORDS,
        "unknowns": [{**u, "anchor": field_anchor(u["field"])} for u in assessment.result["unknowns"]],
        "summary": summary_text(assessment, decisions),
        "findings": findings(assessment.input_snapshot),
        "prompt_ids": prompt_ids,
        "reassess_url": reverse("assessments:new") + f"?from={assessment.pk}",
    }


def _show(request: HttpRequest, pk: uuid.UUID, *, page: str, template: str) -> HttpResponse:
    """A stored assessment, exactly as stored (never evaluated again); each opening is audited."""
    assessment = own_assessment(request.user, pk)
    assessment_viewed(user=request.user, assessment=assessment, page=page)
    return render(request, template, _detail_context(request, assessment))


@require_safe
@clinician_required
def assessment_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _show(request, pk, page="results", template="assessments/detail.html")


@require_safe
@clinician_required
def assessment_print(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _show(request, pk, page="print", template="assessments/print.html")


@require_POST
@clinician_required
def decision_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    assessment = own_assessment(request.user, pk)
    prompt_ids = tuple(p["id"] for p in assessment.prompts)
    form = DecisionForm(request.POST, prompt_ids=prompt_ids)
    if form.is_valid():
        decision_record(
            user=request.user,
            assessment=assessment,
            prompt_id=form.cleaned_data["prompt_id"],
            choice=form.cleaned_data["choice"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"].strip(),
        )
        messages.success(request, "Decision recorded.")
        anchor = prompt_anchor(form.cleaned_data["prompt_id"])
        return redirect(reverse("assessments:detail", kwargs={"pk": assessment.pk}) + f"#{anchor}")
    context = _detail_context(request, assessment)
    context["decision_form"] = form
    shown = next((p for p in assessment.prompts if p["id"] == request.POST.get("prompt_id")), None)
    context["decision_prompt"] = for_display(shown) if shown else None
    return render(request, "assessments/decision_error.html", context, status=400)


FEEDBACK_SORTS = {
    "catalogue": ("Catalogue order", None),
    "shown": ("Most shown", lambda r: -r["fired"]),
    "set_aside": ("Most often set aside", lambda r: -r["set_aside"]),
    "acted": ("Least often acted on", lambda r: (r["acted_percent"] is None, r["acted_percent"] or 0)),
}


def _feedback_rows(request: HttpRequest) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The dashboard's rows as filtered (category, shown at least once) and sorted; and the choices made."""
    rows = feedback_by_rule()
    category = request.GET.get("category", "")
    if category in {r["category"] for r in rows}:
        rows = [r for r in rows if r["category"] == category]
    else:
        category = ""
    shown_only = request.GET.get("shown") == "1"
    if shown_only:
        rows = [r for r in rows if r["fired"] or r["cds"]["shown"]]
    sort = request.GET.get("sort", "catalogue")
    sort = sort if sort in FEEDBACK_SORTS else "catalogue"
    key = FEEDBACK_SORTS[sort][1]
    if key is not None:
        rows = sorted(rows, key=key)  # stable: ties stay in catalogue order
    return rows, {"category": category, "sort": sort, "shown": "1" if shown_only else ""}


@require_safe
@admin_role_required
def feedback_dashboard(request: HttpRequest) -> HttpResponse:
    """For practice admins: how each rule's prompts fare (shown, acted on, set aside and why), filtered, sorted and
    exportable."""
    rows, chosen = _feedback_rows(request)
    if request.GET.get("format") == "csv":
        return _feedback_csv(rows)
    query = {k: v for k, v in chosen.items() if v and not (k == "sort" and v == "catalogue")}
    return render(
        request,
        "assessments/feedback.html",
        {
            "rows": rows,
            "total": Assessment.objects.count(),
            "now": timezone.now(),
            "categories": sorted({r["category"] for r in feedback_by_rule()}),
            "sorts": [(k, label) for k, (label, _) in FEEDBACK_SORTS.items()],
            "chosen": chosen,
            "export_query": urlencode({**query, "format": "csv"}),
        },
    )


def _feedback_csv(rows: list[dict[str, Any]]) -> HttpResponse:
    """The dashboard as CSV, one row per rule: counts only (no patient data)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["rule", "category", "shown", "done_or_will_do", "acted_percent", "not_now", "not_now_reasons",
         "no_decision", "cds_cards_shown", "cds_accepted", "cds_overridden"]
    )  # fmt: skip
    for r in rows:
        writer.writerow(
            [
                r["id"],
                r["category"],
                r["fired"],
                r["acted"],
                "" if r["acted_percent"] is None else r["acted_percent"],
                r["set_aside"],
                "; ".join(f"{label}: {n}" for label, n in r["reasons"]),
                r["undecided"],
                r["cds"]["shown"],
                r["cds"]["accepted"],
                r["cds"]["overridden"],
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="feedback-on-the-rules.csv"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@clinician_required
def fls_referral(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The fracture liaison service referral letter for this assessment: shown to check, then made (stored with the
    assessment, audited) to print on A4 or copy as plain text into the GP record."""
    assessment = own_assessment(request.user, pk)
    if not fls.eligible(assessment):
        raise Http404("This assessment did not prompt a fracture liaison service referral.")
    service = FlsService.current()
    if request.method == "POST":
        referral = fls_referral_create(
            user=request.user, assessment=assessment, letter=fls.plain_text(assessment, service)
        )
        messages.success(request, "Referral letter made and kept with the assessment: print it or copy it below.")
        return redirect(reverse("assessments:fls_referral", kwargs={"pk": assessment.pk}) + f"?made={referral.pk}")
    made = assessment.fls_referrals.first()
    return render(
        request,
        "assessments/fls_referral.html",
        {
            "assessment": assessment,
            "sections": fls.sections(assessment, service),
            "text": made.letter if made else fls.plain_text(assessment, service),
            "made": made,
            "service_set": bool(service.name),
        },
    )
