"""Cards from an evaluation: one card per prompt, in the result's order (emergency and urgent first).

The evaluation is the same ``assessment_evaluate`` the web form and the JSON API use; a card adds nothing clinical
of its own. Summary, detail, sources and codes are the rule's; suggestions only turn what the prompt already says
into FHIR resources the clinician may accept:

- ``diagnosis.record_vertebral_fracture``: a Condition for each of the prompt's SNOMED CT codes (all [V]; the rules
  offer only verified codes), at most one to be chosen;
- ``imaging.spine_xray``: draft ServiceRequests for lateral thoracic and lumbar spine X-rays, as the prompt says.
  ``code.text`` only: the SNOMED CT codes for these X-rays are unverified ([U] in treatment-and-coding.md 4), and a
  guessed code must never be offered;
- ``bone.oral_bisphosphonate``: a draft MedicationRequest for each of alendronic acid 70 mg weekly and risedronate
  35 mg weekly that the prompt's title names (the title names only the drugs their eligibility checks allow), text
  only: no dm+d code is verified.

CDS Hooks 2.0 card attributes: https://cds-hooks.hl7.org/2.0/#card-attributes
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from apps.assessments.models import Decision
from apps.assessments.selectors import CATEGORY_WORDS

SOURCE_LABEL_MAX = 200
SUMMARY_MAX = 139  # "<140-character summary"

# SpinePrompt's own code systems (URNs: no web address is claimed for them).
OVERRIDE_REASON_SYSTEM = "urn:spineprompt:cds-hooks:override-reason"
TOPIC_SYSTEM = "urn:spineprompt:cds-hooks:topic"

# The web app's "not now" reasons, so the feedback dashboard counts both channels alike.
OVERRIDE_REASONS = [{"system": OVERRIDE_REASON_SYSTEM, "code": r.value, "display": r.label} for r in Decision.Reason]

CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"

# Text-only orders, each taken from its prompt's title (tests/cdshooks/test_cards.py checks the words still appear
# there, so a change to the rule cannot leave a stale suggestion behind).
SPINE_XRAYS = ("Lateral thoracic spine X-ray", "Lateral lumbar spine X-ray")
SPINE_XRAY_REASON = "Suspected osteoporotic vertebral fracture"
BISPHOSPHONATES = (
    ("Alendronic acid 70 mg", "70 mg once a week"),
    ("Risedronate 35 mg", "35 mg once a week"),
)


def indicator(prompt: dict[str, Any]) -> str:
    """critical for emergency; warning for urgent, imaging and treatment (bone.*) prompts; info otherwise."""
    if prompt["priority"] == "emergency":
        return "critical"
    if prompt["priority"] == "urgent" or prompt["category"] == "imaging" or prompt["id"].startswith("bone."):
        return "warning"
    return "info"


def summary(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= SUMMARY_MAX else title[: SUMMARY_MAX - 1].rstrip() + "…"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def md(text: Any) -> str:
    """Text from the record (or the rules) made inert in Markdown: no links, HTML or emphasis sneak in."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def derivation_line(d: dict[str, Any]) -> str:
    """One derivation from the FHIR mapping: the contract field and the sentence saying where it came from."""
    return f"`{md(d.get('field', ''))}`: {md(d.get('because', d.get('value', '')))}"


def detail(prompt: dict[str, Any], derivations: list[dict[str, Any]], problems: list[str]) -> str:
    lines = [md(prompt["detail"]), ""]
    if prompt["because"]:
        lines += ["**Because:**", *[f"- {md(b)}" for b in prompt["because"]], ""]
    if prompt["actions"]:
        lines += ["**What to do:**", *[f"- {md(a)}" for a in prompt["actions"]], ""]
    if prompt["unknowns"]:
        lines += ["**Not known in the record, and could change this:** " + ", ".join(map(md, prompt["unknowns"])), ""]
    sources = [f"- [{md(s['label'])}]({s['url']}) ({s['status']})" for s in prompt["sources"]]
    if sources:
        lines += ["**Sources:**", *sources, ""]
    if derivations:
        lines += ["**How SpinePrompt read the record:**", *[f"- {derivation_line(d)}" for d in derivations], ""]
    if problems:
        lines += ["**Record entries SpinePrompt could not use:**", *[f"- {md(p)}" for p in problems], ""]
    lines.append(f"Rule `{prompt['id']}` version {prompt['rule_version']}. Decision support: use clinical judgement.")
    return "\n".join(lines).strip()


def _patient(patient_id: str) -> dict[str, str]:
    return {"reference": f"Patient/{patient_id}"}


def _suggestion(label: str, actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"label": label, "uuid": str(uuid.uuid4()), "actions": actions}


def suggestions(prompt: dict[str, Any], patient_id: str) -> list[dict[str, Any]]:
    """The card's suggestions: the FHIR resources the GP system can draft for this prompt (none for most)."""
    make = _SUGGESTIONS.get(prompt["id"])
    return make(prompt, patient_id) if make else []


def _create(description: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"type": "create", "description": description, "resource": resource}


def _draft_request(text: str, reason: str, patient_id: str) -> dict[str, Any]:
    """A ServiceRequest the GP system keeps as a draft proposal for the clinician to complete and sign."""
    return {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "proposal",
        "code": {"text": text},
        "reasonCode": [{"text": reason}],
        "subject": _patient(patient_id),
    }


def _record_fracture(prompt: dict[str, Any], patient_id: str) -> list[dict[str, Any]]:
    return [
        _suggestion(
            f"Record {c['display']} ({c['code']})",
            [
                _create(
                    f"Add {c['display']} (SNOMED CT {c['code']}) to the problem list",
                    {
                        "resourceType": "Condition",
                        "clinicalStatus": {"coding": [{"system": CONDITION_CLINICAL, "code": "active"}]},
                        "category": [{"coding": [{"system": CONDITION_CATEGORY, "code": "problem-list-item"}]}],
                        "code": {"coding": [dict(c)], "text": c["display"]},
                        "subject": _patient(patient_id),
                    },
                )
            ],
        )
        for c in prompt["codes"]
        if c.get("system") == "http://snomed.info/sct"
    ]


def _fls_referral(prompt: dict[str, Any], patient_id: str) -> list[dict[str, Any]]:
    # No SNOMED CT concept for the referral is verified (apps/assessments/fls.py), so the request is by its
    # words only; the GP system codes it with its own referral term.
    reason = "; ".join(prompt["because"])[:500]
    return [
        _suggestion(
            "Refer to the fracture liaison service",
            [
                _create(
                    "Draft referral to the fracture liaison service",
                    _draft_request("Referral to fracture liaison service", reason, patient_id),
                )
            ],
        )
    ]


def _spine_xrays(prompt: dict[str, Any], patient_id: str) -> list[dict[str, Any]]:
    return [
        _suggestion(
            "Request lateral thoracic and lumbar spine X-rays",
            [
                _create(
                    f"Draft request: {text} ({SPINE_XRAY_REASON.lower()})",
                    _draft_request(text, SPINE_XRAY_REASON, patient_id),
                )
                for text in SPINE_XRAYS
            ],
        )
    ]


def _bisphosphonate_drafts(prompt: dict[str, Any], patient_id: str) -> list[dict[str, Any]]:
    return [
        _suggestion(
            f"Draft prescription: {name} weekly",
            [
                _create(
                    f"Draft prescription for {name} once a week, for the prescriber to complete",
                    {
                        "resourceType": "MedicationRequest",
                        "status": "draft",
                        "intent": "proposal",
                        "medicationCodeableConcept": {"text": name},
                        "dosageInstruction": [{"text": dose}],
                        "subject": _patient(patient_id),
                    },
                )
            ],
        )
        for name, dose in BISPHOSPHONATES
        # Only the drugs the prompt names: its title takes them from each drug's eligibility check, so a drug
        # the patient's data rules out (alendronic acid below a creatinine clearance of 35) is never drafted.
        if name.split(" ")[0].lower() in prompt["title"].lower()
    ]


_SUGGESTIONS = {
    "diagnosis.record_vertebral_fracture": _record_fracture,
    "referral.fls": _fls_referral,
    "imaging.spine_xray": _spine_xrays,
    "bone.oral_bisphosphonate": _bisphosphonate_drafts,
}


def card(
    prompt: dict[str, Any],
    *,
    patient_id: str,
    derivations: list[dict[str, Any]],
    problems: list[str],
    link: dict[str, str] | None,
) -> dict[str, Any]:
    """One card. ``link``: the card's link without its label (:func:`assessment_link`), or None."""
    first = prompt["sources"][0] if prompt["sources"] else None
    source: dict[str, Any] = {
        "label": first["label"][:SOURCE_LABEL_MAX] if first else "SpinePrompt rulebook",
        "topic": {
            "system": TOPIC_SYSTEM,
            "code": prompt["category"],
            "display": CATEGORY_WORDS.get(prompt["category"], prompt["category"]),
        },
    }
    if first and first.get("url"):
        source["url"] = first["url"]
    out: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "summary": summary(prompt["title"]),
        "indicator": indicator(prompt),
        "detail": detail(prompt, derivations, problems),
        "source": source,
        "overrideReasons": OVERRIDE_REASONS,
    }
    offered = suggestions(prompt, patient_id)
    if offered:
        out["suggestions"] = offered
        out["selectionBehavior"] = "at-most-one"
    if link:
        out["links"] = [{"label": "Open the full assessment in SpinePrompt", **link}]
    return out


def assessment_link(site: str, draft_id: str, *, smart: bool) -> dict[str, str]:
    """Where the card opens the prefilled assessment. For a GP system registered for SMART App Launch, a SMART
    link (the EHR launches /smart/launch, and appContext names the draft, opened only for the same patient:
    apps/smart), so there is no second login; otherwise the draft's page, behind SpinePrompt's own login."""
    if smart:
        return {"url": f"{site}/smart/launch", "type": "smart", "appContext": json.dumps({"draft": draft_id})}
    return {"url": f"{site}/assessments/new/?draft={draft_id}", "type": "absolute"}


UNAVAILABLE_SUMMARY = "SpinePrompt decision support is unavailable for this record"


def unavailable_card(reason: str) -> dict[str, Any]:
    """The one card sent when the evaluation could not run: never an empty list that reads as "nothing to do".

    Warning, not info: clients may fold info cards away, and this one must be seen. No uuid: there is nothing to
    give feedback on (CDS Hooks: without a card uuid the client sends no feedback).
    """
    return {
        "summary": UNAVAILABLE_SUMMARY,
        "indicator": "warning",
        "detail": (
            f"SpinePrompt could not work out its prompts ({md(reason)}). No prompts are shown because none could be "
            "worked out, not because none apply. Use clinical judgement and the guidelines directly, or open "
            "SpinePrompt and assess the patient there."
        ),
        "source": {"label": "SpinePrompt"},
    }


def not_read_card(what: list[str]) -> dict[str, Any]:
    """A card saying what SpinePrompt could not read, sent with whatever else it could say: a selected order it
    cannot identify, a record it received only in part. Never silence that reads as "nothing to say". Warning, as
    the unavailable card is; no uuid (nothing to give feedback on)."""
    return {
        "summary": "SpinePrompt could not read all of this"[:140],
        "indicator": "warning",
        "detail": (
            "SpinePrompt did not check everything: "
            + "; ".join(md(w) for w in what)
            + ". Any prompts it shows are from what it could read. Check what it could not, or open SpinePrompt and "
            "assess the patient there."
        ),
        "source": {"label": "SpinePrompt"},
    }
