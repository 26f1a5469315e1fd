"""Report screening in the app: a report with each match highlighted by class, its levels and the resulting prompt,
and the clinician's review of a probable fracture (stored, audited, and fed back into the coding prompt)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.evaluation.services import DecisionSupportUnavailable
from apps.web.forms import NamedErrorsMixin
from core.rules.catalogue import rulebook_data
from core.rules.contract import REPORT_TEXT_MAX
from core.rules.report import screen_report

from .models import Assessment, ReportReview
from .selectors import own_assessment
from .services import assessment_viewed, report_review_record
from .views import clinician_required

CLASS_WORDS = {
    "explicit": "fracture stated",
    "probable": "probable fracture wording",
    "urgent": "urgent feature",
    "mimic": "mimic, not a fracture on its own",
    "exclusion": "not about a vertebra",
    "negated": "negated",
}
# The report.* prompt each classification leads to (../shared/spec/prompts.md).
PROMPT_FOR = {
    "explicit": "report.explicit_fracture",
    "probable": "report.probable_fracture",
    "urgent": "report.urgent_features",
}


def highlighted(text: str, matches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The report as segments: plain text, and each match with its class (matches are ordered and disjoint)."""
    segments: list[dict[str, Any]] = []
    pos = 0
    for m in sorted(matches, key=lambda m: m["start"]):
        if m["start"] < pos:  # overlapping (not produced by the screener): keep the first
            continue
        if m["start"] > pos:
            segments.append({"text": text[pos : m["start"]]})
        segments.append({"text": text[m["start"] : m["end"]], "cls": m["class"], "words": CLASS_WORDS[m["class"]], **m})
        pos = m["end"]
    if pos < len(text):
        segments.append({"text": text[pos:]})
    return segments


def _prompt_title(prompt_id: str) -> str:
    return next(r["title"] for r in rulebook_data()["rules"] if r["id"] == prompt_id)


class ReportForm(NamedErrorsMixin, forms.Form):
    report_text = forms.CharField(
        label="Radiology report text",
        help_text="Paste the report. Remove names, NHS numbers and dates of birth first. Nothing is stored.",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        error_messages={"required": "Radiology report text is required"},
    )

    def clean_report_text(self) -> str:
        text = self.cleaned_data["report_text"]
        if not text.strip():
            raise forms.ValidationError("Radiology report text is required")
        if len(text) > REPORT_TEXT_MAX:
            raise forms.ValidationError(f"Radiology report text must be at most {REPORT_TEXT_MAX:,} characters")
        return text


@require_http_methods(["GET", "HEAD", "POST"])
@clinician_required
def report_screen(request: HttpRequest) -> HttpResponse:
    """Paste a report and see what the screener finds. Nothing is stored or logged."""
    form = ReportForm(request.POST or None)
    screening = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["report_text"]
        screening = screen_report(text).as_dict()
        screening["segments"] = highlighted(text, screening["matches"])
        prompt_id = PROMPT_FOR.get(screening["classification"])
        screening["prompt"] = {"id": prompt_id, "title": _prompt_title(prompt_id)} if prompt_id else None
    return render(request, "assessments/report_screen.html", {"form": form, "screening": screening})


@require_safe
@clinician_required
def assessment_report(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The report stored with an assessment, highlighted, with the report prompts that were shown."""
    assessment = own_assessment(request.user, pk)
    assessment_viewed(user=request.user, assessment=assessment, page="report")
    return render(request, "assessments/report.html", _report_context(assessment))


def _report_context(assessment: Assessment) -> dict[str, Any]:
    text = (assessment.input_snapshot.get("spine_imaging") or {}).get("report_text") or ""
    screening = assessment.result.get("report")
    reviews = list(assessment.report_reviews.select_related("reassessment").order_by("-created_at", "-id"))
    return {
        "assessment": assessment,
        "screening": screening,
        "segments": highlighted(text, screening["matches"]) if screening else [],
        "report_prompts": [p for p in assessment.prompts if p["id"].startswith("report.")],
        "reviews": reviews,
        # Only while the prompt asking for it is shown: once the fracture is confirmed, nothing is left to confirm.
        "can_review": bool(
            screening
            and screening["classification"] == "probable"
            and not reviews
            and any(p["id"] == "report.probable_fracture" for p in assessment.prompts)
        ),
        "outcomes": ReportReview.Outcome.choices,
    }


@require_POST
@clinician_required
def assessment_report_review(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    assessment = own_assessment(request.user, pk)
    outcome = request.POST.get("outcome")
    context = _report_context(assessment)
    if not context["can_review"]:
        context["error"] = "This report has already been reviewed, or has no probable fracture wording to review"
    elif outcome not in ReportReview.Outcome.values:
        context["error"] = "Select whether the radiologist confirmed a vertebral fracture"
    else:
        try:
            review = report_review_record(user=request.user, assessment=assessment, outcome=outcome)
        except DecisionSupportUnavailable:
            context["unavailable"] = True
            return render(request, "assessments/report.html", context, status=500)
        if review.reassessment is not None:
            return redirect("assessments:detail", pk=review.reassessment.pk)
        return redirect("assessments:report", pk=assessment.pk)
    assessment_viewed(user=request.user, assessment=assessment, page="report")  # the page shows the report again
    return render(request, "assessments/report.html", context, status=400)
