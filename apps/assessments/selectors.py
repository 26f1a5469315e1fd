"""Reading assessments back for the pages: the current decisions, the prompts grouped and worded for display, the
answers in words, the consultation summary and the feedback dashboard. Reads only (HackSoft style: writes and their
audit events are services.py)."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.models import Role
from core.rules.catalogue import rulebook_data
from core.rules.contract import RED_FLAGS, field_label, get_path
from core.rules.facts import RED_FLAG_WORDS
from core.rules.figures import exactly
from core.rules.rulebook import CATALOGUE_ORDER

from .forms import QUESTIONS, REVEALED_BY, SECTIONS, words
from .models import Assessment, AssessmentDraft, Decision, ShownPrompt
from .plan import build as build_plan
from .plan import summary_lines as plan_summary_lines

PRIORITY_WORDS = {"emergency": "Emergency", "urgent": "Urgent", "routine": "Routine", "info": "For information"}
CATEGORY_WORDS = {
    "safety": "Safety",
    "assessment": "Assessment",
    "imaging": "Spine imaging",
    "report": "The radiology report",
    "diagnosis": "Diagnosis and coding",
    "bone": "Bone protection",
    "investigations": "Investigations",
    "referral": "Referral",
    "patient_info": "Information for the patient",
    "education": "Guidance for you",
}


def current_decisions(assessment: Assessment) -> dict[str, Decision]:
    """The newest decision for each prompt of the assessment."""
    latest: dict[str, Decision] = {}
    for d in assessment.decisions.select_related("user").order_by("-created_at", "-id"):
        latest.setdefault(d.prompt_id, d)
    return latest


# --- what the pages show ---------------------------------------------------------------------------------------


def prompt_anchor(prompt_id: str) -> str:
    return "prompt-" + prompt_id.replace(".", "-").replace("_", "-")


def for_display(prompt: dict[str, Any]) -> dict[str, Any]:
    """A stored prompt with its page anchor and the catalogue anchors of its recommendations."""
    return {
        **prompt,
        "anchor": prompt_anchor(prompt["id"]),
        "recommendation_links": [(n, f"R{n:02d}") for n in prompt["recommendations"]],
    }


def result_groups(result: dict[str, Any]) -> dict[str, Any]:
    """Prompts for the results page: emergency and urgent first and apart, then by priority and category."""
    prompts = [for_display(p) for p in result["prompts"]]
    urgent = [p for p in prompts if p["priority"] in ("emergency", "urgent")]
    groups: list[dict[str, Any]] = []
    for priority in ("routine", "info"):
        by_category: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for p in prompts:
            if p["priority"] == priority:
                by_category[p["category"]].append(p)
        if by_category:
            groups.append(
                {
                    "priority": priority,
                    "title": "What to do" if priority == "routine" else "For information",
                    "categories": [
                        {"category": c, "title": CATEGORY_WORDS.get(c, c), "prompts": ps}
                        for c, ps in by_category.items()
                    ],
                }
            )
    return {"urgent": urgent, "groups": groups}


def field_anchor(path: str) -> str:
    """The id of the form control that answers ``path`` (the first option for radios and checkboxes).

    A follow-up question links to the question that reveals it, which is visible whatever was answered.
    """
    if path in REVEALED_BY:
        path = REVEALED_BY[path][0]
    q = QUESTIONS.get(path)
    name = path.replace(".", "__")
    if q is None:
        return ""
    if q.kind in ("tri", "enum", "list"):
        return f"id_{name}_0"
    return f"id_{name}"


def _answer_words(path: str, value: Any) -> str:
    q = QUESTIONS[path]
    if q.kind == "tri":
        return "yes" if value else "no"
    if q.kind in ("enum", "select"):
        return words(value).lower() if path != "sex" else value
    if q.kind == "list":
        return ", ".join(words(v).lower() for v in value) if value else "none recorded"
    if q.kind == "number":
        return f"{exactly(value)} {q.suffix}".strip()
    return "given"


def findings(snapshot: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The answered inputs, by form section, in words (report text is summarised, not repeated)."""
    out: list[tuple[str, list[str]]] = []
    for section in SECTIONS:
        lines: list[str] = []
        for q in section.questions:
            value = get_path(snapshot, q.path)
            if value is None or (q.kind == "list" and not value and section.id != "red-flags"):
                continue
            if q.path == "red_flags_none_present" and value:
                continue  # said on the red flags line itself
            if q.path == "red_flags" and not value and snapshot.get("red_flags_none_present"):
                asked = ", ".join(RED_FLAG_WORDS[f] for f in RED_FLAGS)
                lines.append(f"{field_label(q.path)}: none present (asked about each: {asked})")
                continue
            if q.kind == "text":
                lines.append(f"{field_label(q.path)}: screened ({len(value):,} characters)")
                continue
            lines.append(f"{field_label(q.path)}: {_answer_words(q.path, value)}")
        if lines:
            out.append((section.title, lines))
    return out


# The role as a sentence names it ("assessed by a practice nurse"), not by its code.
_ROLE_IN_SUMMARY = {Role.GP: "GP", Role.NURSE: "practice nurse", Role.PHYSIO: "physiotherapist"}


# Prompts whose advice itself belongs in the record, not only their title: recommendation 3 puts the safety-netting
# advice "in the consultation summary" (../shared/clinical/recommendations.md), so what the patient was told to look
# out for, and where to go, is documented.
_SUMMARY_DETAIL = {"safety_net.advice": "Advice"}


def summary_text(assessment: Assessment, decisions: dict[str, Decision] | None = None) -> str:
    """Plain text to paste into the GP record (EMIS Web, SystmOne): findings, prompts, codes, version, date."""
    result = assessment.result
    lines = [
        f"SpinePrompt decision support, {assessment.assessed_on:%d %b %Y}",
        f"Rulebook {result['rulebook_version']}, input version {result['input_version']}, "
        f"assessed by a {_ROLE_IN_SUMMARY.get(result['assessor_role'], result['assessor_role'])}",
        "",
        "Findings:",
    ]
    for title, items in findings(assessment.input_snapshot):
        lines.append(f"- {title}: " + "; ".join(items))
    report = result.get("report")
    if report and report.get("classification"):
        phrases = [m["text"] for m in report.get("matches", []) if m["class"] in ("explicit", "probable", "urgent")]
        screen = f"- Report screening: {report['classification'].replace('_', ' ')}"
        if phrases:
            screen += " (" + ", ".join(f"'{t}'" for t in phrases[:5]) + ")"
        lines.append(screen)
    plan = build_plan(result, assessment.input_snapshot)
    if plan["items"]:
        lines += ["", *plan_summary_lines(plan)]
    lines += ["", "Prompts:"]
    if not result["prompts"] and result["unknowns"]:
        # Not a clear result while answers are missing: it must not read as reassurance in the notes (H-61).
        lines.append(
            "- None yet, but this is not a clear result: no prompt's conditions were met by the answers given, and "
            + (
                "1 answer that could change this is not known (below)."
                if len(result["unknowns"]) == 1
                else f"{len(result['unknowns'])} answers that could change this are not known (below)."
            )
        )
    elif not result["prompts"]:
        lines.append(
            "- None: no prompt's conditions were met by the answers given, and every answer that could change this "
            "was given."
        )
    for p in result["prompts"]:
        lines.append(f"- [{PRIORITY_WORDS.get(p['priority'], p['priority'])}] {p['title']}")
        if p["because"]:
            lines.append("  Because: " + "; ".join(p["because"]))
        if p["id"] in _SUMMARY_DETAIL:
            lines.append(f"  {_SUMMARY_DETAIL[p['id']]}: {p['detail']}")
        decision = (decisions or {}).get(p["id"])
        if decision is not None:
            text = decision.get_choice_display()
            if decision.reason:
                text += f" ({decision.get_reason_display().lower()})"
            lines.append(f"  Decision: {text}")
    codes = {c["code"]: c for p in result["prompts"] for c in p["codes"]}
    if codes:
        lines += ["", "SNOMED CT codes to consider:"]
        lines += [f"- {c['code']} |{c['display']}|" for c in codes.values()]
    if result["unknowns"]:
        lines += ["", "Not known, and could change these prompts: " + ", ".join(u["label"] for u in result["unknowns"])]
    lines += ["", "Decision support only: it does not replace clinical judgement."]
    return "\n".join(lines)


# --- feedback dashboard -----------------------------------------------------------------------------------------


def feedback_by_rule() -> list[dict[str, Any]]:
    """Per rule: how often it fired, and for how many of those the current decision was acted on or set aside
    (and why). The evidence for tuning rules and fighting alert fatigue."""
    fired = Counter(ShownPrompt.objects.values_list("prompt_id", flat=True))
    latest: dict[tuple[str, str], tuple[str, str]] = {}
    rows = Decision.objects.order_by("assessment_id", "prompt_id", "-created_at", "-id").values_list(
        "assessment_id", "prompt_id", "choice", "reason"
    )
    for assessment_id, prompt_id, choice, reason in rows:
        latest.setdefault((str(assessment_id), prompt_id), (choice, reason))
    acted: Counter[str] = Counter()
    set_aside: dict[str, Counter[str]] = defaultdict(Counter)
    for (_a, prompt_id), (choice, reason) in latest.items():
        if choice == Decision.Choice.DONE:
            acted[prompt_id] += 1
        else:
            set_aside[prompt_id][reason] += 1
    titles = {r["id"]: r["title"] for r in rulebook_data()["rules"]}
    categories = {r["id"]: r["category"] for r in rulebook_data()["rules"]}
    cds = _cds_feedback_by_rule()
    out = []
    for rule_id in CATALOGUE_ORDER:
        n = fired.get(rule_id, 0)
        aside = set_aside.get(rule_id, Counter())
        decided = acted[rule_id] + sum(aside.values())
        out.append(
            {
                "id": rule_id,
                "title": titles.get(rule_id, rule_id),
                "category": categories.get(rule_id, ""),
                "fired": n,
                "acted": acted[rule_id],
                "set_aside": sum(aside.values()),
                "reasons": [(Decision.Reason(r).label, c) for r, c in aside.most_common()],
                "undecided": max(n - decided, 0),
                "acted_percent": round(100 * acted[rule_id] / n) if n else None,
                "cds": cds.get(rule_id, {"shown": 0, "accepted": 0, "overridden": 0, "reasons": []}),
            }
        )
    return out


def _cds_feedback_by_rule() -> dict[str, dict[str, Any]]:
    """Cards sent to GP systems through CDS Hooks (apps/cdshooks), per rule: how many, and the latest outcome
    reported for each (accepted, or overridden and why). Read through the app registry: cdshooks builds on this
    app, not the other way round."""
    from django.apps import apps

    issued = apps.get_model("cdshooks", "IssuedCard")
    feedback = apps.get_model("cdshooks", "CardFeedback")
    shown = Counter(issued.objects.values_list("rule_id", flat=True))
    latest: dict[str, tuple[str, str, str]] = {}
    rows = feedback.objects.order_by("card_id", "-created_at", "-id").values_list(
        "card_id", "card__rule_id", "outcome", "reason"
    )
    for card_id, rule_id, outcome, reason in rows:
        latest.setdefault(str(card_id), (rule_id, outcome, reason))
    out: dict[str, dict[str, Any]] = {
        rule_id: {"shown": n, "accepted": 0, "overridden": 0, "reasons": Counter()} for rule_id, n in shown.items()
    }
    for rule_id, outcome, reason in latest.values():
        row = out[rule_id]
        row[outcome] += 1
        if outcome == "overridden":
            row["reasons"][reason] += 1
    labels = {
        **dict(Decision.Reason.choices),
        "unlisted": "A reason from the GP system's own list",
        "": "No reason given",
    }
    for row in out.values():
        row["reasons"] = [(labels.get(r, r), c) for r, c in row["reasons"].most_common()]
    return out


def own_assessment(user: Any, pk: uuid.UUID) -> Assessment:
    """One of the user's own assessments: anyone else's is "not found" (404), so ids reveal nothing."""
    return get_object_or_404(Assessment, pk=pk, user=user)


def assessment_draft_get(*, draft_id: str) -> AssessmentDraft | None:
    """The unexpired draft with this id, or None (malformed, unknown and expired ids alike)."""
    try:
        return AssessmentDraft.objects.filter(pk=draft_id, expires_at__gt=timezone.now()).first()
    except (ValueError, ValidationError):
        return None
