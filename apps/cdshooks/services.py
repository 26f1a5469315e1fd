"""The CDS Hooks services: what each one is, how a call becomes cards, and how feedback is stored.

Views bind the request and call ``cds_call`` or ``cds_feedback_record``; everything else is here.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.assessments.services import assessment_draft_create, draft_subject
from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.evaluation.services import DecisionSupportUnavailable, assessment_evaluate
from apps.smart import config as smart_config
from core.fhir import valuesets
from core.fhir.mapping import patient_named
from core.rules import RULEBOOK_VERSION, InputError
from core.rules.codes import SNOMED_SYSTEM

from . import cards as card_builder
from . import schemas
from .mapping import record_input
from .models import CardFeedback, IssuedCard
from .prefetch import PREFETCH, PrefetchUnavailable, prefetch_complete
from .security import Client

logger = logging.getLogger(__name__)

CHANNEL = "cds-hooks"


@dataclass(frozen=True)
class Service:
    id: str
    hook: str
    title: str
    description: str
    context_schema: str


SERVICES: dict[str, Service] = {
    s.id: s
    for s in (
        Service(
            id="spineprompt-patient-view",
            hook="patient-view",
            title="SpinePrompt: osteoporotic vertebral fracture prompts",
            description=(
                "On opening the record: the SpinePrompt prompts (Bennett et al. 2024 recommendations) for recognising, "
                "imaging, coding and treating osteoporotic vertebral fractures, worked out from the patient's "
                "conditions, observations, medicines and radiology reports."
            ),
            context_schema="patientViewContext",
        ),
        Service(
            id="spineprompt-order-select",
            hook="order-select",
            title="SpinePrompt: bone health when ordering glucocorticoids or spine imaging",
            description=(
                "On selecting an oral glucocorticoid prescription or a spine imaging request: the SpinePrompt prompts "
                "about bone protection, spine imaging and red flags for this patient. Other orders get no cards."
            ),
            context_schema="orderSelectContext",
        ),
        Service(
            id="spineprompt-order-sign",
            hook="order-sign",
            title="SpinePrompt: bone health before signing glucocorticoids or spine imaging",
            description=(
                "On signing orders, the final check: for an oral glucocorticoid prescription or a spine imaging "
                "request among them, the SpinePrompt prompts about bone protection, spine imaging and red flags for "
                "this patient. Other orders get no cards."
            ),
            context_schema="orderSignContext",
        ),
        Service(
            id="spineprompt-encounter-start",
            hook="encounter-start",
            title="SpinePrompt: osteoporotic vertebral fracture prompts at the start of the consultation",
            description=(
                "At the start of a consultation: the SpinePrompt prompts (Bennett et al. 2024 recommendations) for "
                "recognising, imaging, coding and treating osteoporotic vertebral fractures, as on opening the record."
            ),
            context_schema="encounterStartContext",
        ),
        Service(
            id="spineprompt-problem-list-item-create",
            hook="problem-list-item-create",
            title="SpinePrompt: what follows a fracture or osteoporosis just added to the problem list",
            description=(
                "On adding a problem: for a vertebral or fragility fracture, osteoporosis or kyphosis among the new "
                "problems, the SpinePrompt prompts that follow (bone protection, referral, investigations, telling "
                "the patient, spine imaging for a suspected fracture). Other problems get no cards."
            ),
            context_schema="problemListItemCreateContext",
        ),
    )
}
# The hooks about orders: the orders the clinician is choosing (order-select: the selections) or signing
# (order-sign: every draft order) decide which prompts are carded.
ORDER_HOOKS = ("order-select", "order-sign")

# order-select: which prompts each kind of selected order brings. Emergency and urgent prompts always come too: a
# red flag is never hidden because the order was about something else.
ORDER_CATEGORIES = {
    "glucocorticoid": frozenset({"bone", "imaging"}),
    "spine_imaging": frozenset({"safety", "imaging", "investigations"}),
}
# problem-list-item-create: which prompts each kind of new problem brings (the FHIR mapping's condition kinds,
# core/fhir/valuesets/conditions.csv). Emergency and urgent prompts always come too.
PROBLEM_HOOK = "problem-list-item-create"
PROBLEM_CATEGORIES = {
    "vertebral_fracture": frozenset({"diagnosis", "bone", "referral", "investigations", "patient_info", "assessment"}),
    "fragility_fracture": frozenset({"bone", "referral", "investigations", "imaging", "assessment"}),
    "osteoporosis": frozenset({"bone", "investigations", "assessment"}),
    "kyphosis": frozenset({"imaging", "assessment", "education"}),
}
_SPINE = re.compile(r"\b(spine|spinal|vertebra|vertebrae|vertebral|thoracic|lumbar|thoracolumbar)\b", re.IGNORECASE)
_IMAGING = re.compile(
    r"\b(x-?rays?|radiographs?|radiography|mri|ct|dxa|vfa|imaging|scan|vertebral fracture assessment)\b",
    re.IGNORECASE,
)


class RequestInvalid(Exception):
    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("invalid CDS Hooks request")
        self.errors = errors


def discovery() -> dict[str, Any]:
    return {
        "services": [
            {"hook": s.hook, "title": s.title, "description": s.description, "id": s.id, "prefetch": dict(PREFETCH)}
            for s in SERVICES.values()
        ]
    }


def request_validate(service: Service, body: Any) -> None:
    """Raise RequestInvalid naming every malformed field (the request must be for this service's hook)."""
    errors = schemas.errors("request", body)
    if not errors:
        if body["hook"] != service.hook:
            errors.append({"field": "hook", "message": f"must be {service.hook} for this service"})
        errors += schemas.errors(service.context_schema, body["context"], prefix="context")
    if errors:
        raise RequestInvalid(errors)


def _resources_in(bundle: Any) -> list[dict[str, Any]]:
    return [
        e["resource"]
        for e in (bundle.get("entry") or [] if isinstance(bundle, dict) else [])
        if isinstance(e, dict) and isinstance(e.get("resource"), dict)
    ]


def _check_patient(prefetch: dict[str, Any], patient_id: str) -> None:
    """The prefetched Patient must be the patient in context: cards for another patient are a hazard (H-45)."""
    patient = prefetch.get("patient")
    if patient is None:
        return
    if patient.get("resourceType") != "Patient" or patient.get("id") != patient_id:
        raise RequestInvalid([{"field": "prefetch.patient", "message": "is not the patient in context.patientId"}])


def _order_text(resource: dict[str, Any]) -> str:
    code = resource.get("code") or {}
    parts = [code.get("text") or ""] + [c.get("display") or "" for c in code.get("coding") or [] if isinstance(c, dict)]
    return " ".join(p for p in parts if isinstance(p, str))


def _check_selections(context: dict[str, Any]) -> None:
    """Every selection must name a draft order sent in the call: a selection that matches none would otherwise be
    read as "no order SpinePrompt cares about" and answered with silence."""
    drafts = {f"{r.get('resourceType')}/{r.get('id')}" for r in _resources_in(context["draftOrders"])}
    errors = [
        {"field": f"context.selections[{i}]", "message": "names no order in context.draftOrders"}
        for i, selection in enumerate(context["selections"])
        if selection not in drafts
    ]
    if errors:
        raise RequestInvalid(errors)


def _unidentified(orders: list[dict[str, Any]]) -> list[str]:
    """Selected orders SpinePrompt cannot tell anything about: no words (code.text, a display, medicationCodeableConcept
    text) to read, and no coding in its value sets. Named by type and code, never by patient data."""
    out = []
    for order in orders:
        rtype = order.get("resourceType")
        if rtype not in ("MedicationRequest", "ServiceRequest"):
            continue  # a diet, a vision prescription: never a glucocorticoid or spine imaging, whatever it says
        concept = order.get("medicationCodeableConcept") if rtype == "MedicationRequest" else order.get("code")
        if rtype == "MedicationRequest" and concept is None and isinstance(order.get("medicationReference"), dict):
            continue  # read through the referenced Medication, as the mapping does
        concept = concept if isinstance(concept, dict) else {}
        codings = [c for c in concept.get("coding") or [] if isinstance(c, dict)]
        words = [concept.get("text")] + [c.get("display") for c in codings]
        if any(isinstance(w, str) and w.strip() for w in words):
            continue
        if rtype == "MedicationRequest" and any(valuesets.medicine(c.get("system"), c.get("code")) for c in codings):
            continue  # a dm+d code in the medicines value set (oral prednisolone): known by its code
        codes = ", ".join(f"{c.get('system') or 'no system'} {c.get('code')}" for c in codings[:3]) or "no code"
        out.append(
            f"the selected {rtype} has only a code SpinePrompt does not know ({codes}), so it could not tell "
            "whether it is a glucocorticoid or spine imaging"
        )
    return out


def _paged(prefetch: dict[str, Any]) -> list[str]:
    """Prefetch searchsets with a "next" link: more of the record exists than was sent."""
    out = []
    for key, value in prefetch.items():
        links = value.get("link") if isinstance(value, dict) else None
        if isinstance(links, list) and any(isinstance(x, dict) and x.get("relation") == "next" for x in links):
            out.append(f"the prefetch {key} was sent one page at a time and only its first page was read")
    return out


def _selected_orders(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The selected draft orders, as sent. The mapping skips draft statuses (not yet therapy), except for the orders
    named by :func:`_planned`: on order-select the selected order is exactly the therapy about to start, and its
    intended period counts as planned use (treatment-and-coding.md 1.7, "planned or taken")."""
    drafts = _resources_in(context["draftOrders"])
    if "selections" not in context:  # order-sign: every draft order is being signed
        return drafts
    selections = set(context["selections"])
    return [r for r in drafts if f"{r.get('resourceType')}/{r.get('id')}" in selections]


def _planned(orders: list[dict[str, Any]]) -> frozenset[str]:
    return frozenset(f"MedicationRequest/{r.get('id')}" for r in orders if r.get("resourceType") == "MedicationRequest")


def _collection(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def order_kinds(context: dict[str, Any], *, patient: dict | None, patient_id: str) -> set[str]:
    """What the selected orders are, as far as SpinePrompt cares: an oral glucocorticoid (as the FHIR mapping reads
    it, with the same value sets and routes it uses for the record) and/or spine imaging (by the order's words)."""
    kinds: set[str] = set()
    for order in _selected_orders(context):
        if order.get("resourceType") == "MedicationRequest":
            data, _, _ = record_input(
                {"patient": patient, "order": _collection([order])},
                patient_id=patient_id,
                assessed_on=timezone.localdate(),
                assessor_role=settings.CDS_HOOKS_ASSESSOR_ROLE,
                planned=_planned([order]),
            )
            if (data.get("glucocorticoids") or {}).get("current_or_recent") is True:
                kinds.add("glucocorticoid")
        elif order.get("resourceType") == "ServiceRequest":
            text = _order_text(order)
            if _SPINE.search(text) and _IMAGING.search(text):
                kinds.add("spine_imaging")
    return kinds


_CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"


def _new_problems(context: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """The new Conditions (context.conditions), as R4 reads them, and what was read leniently. The hook's own R4
    example gives ``category`` as a bare string and STU3's ``assertedDate``: read as the category code and as
    ``recordedDate``, and said, rather than losing the problem the hook is about.

    Raises RequestInvalid when a new problem's subject is not the patient in context: the request contradicts
    itself, and cards about one patient must never come from another's problem (H-45)."""
    out, notes, errors = [], [], []
    for i, c in enumerate(_resources_in(context["conditions"])):
        if c.get("resourceType") != "Condition":
            continue
        ref = (c.get("subject") or {}).get("reference") if isinstance(c.get("subject"), dict) else None
        if isinstance(ref, str) and ref and not ref.startswith("#") and patient_named(ref) != context["patientId"]:
            errors.append(
                {
                    "field": f"context.conditions.entry[{i}].resource.subject",
                    "message": "is not the patient in context.patientId",
                }
            )
            continue
        c, name = dict(c), f"Condition/{c.get('id')}"
        category = c.get("category")
        if isinstance(category, str) or (isinstance(category, list) and any(isinstance(x, str) for x in category)):
            codes = [category] if isinstance(category, str) else category
            c["category"] = [
                {"coding": [{"system": _CONDITION_CATEGORY, "code": x}]} if isinstance(x, str) else x for x in codes
            ]
            notes.append(f"{name}.category: given as a string, read as the category code (R4 has a CodeableConcept)")
        if "assertedDate" in c:
            asserted = c.pop("assertedDate")
            c.setdefault("recordedDate", asserted)
            notes.append(f"{name}.assertedDate: an STU3 element, read as R4's recordedDate")
        out.append(c)
    if errors:
        raise RequestInvalid(errors)
    return out, notes


def problem_kinds(conditions: list[dict[str, Any]]) -> tuple[set[str], list[str]]:
    """What the new problems are, as the FHIR mapping's condition value sets read them (a vertebral or fragility
    fracture, osteoporosis, kyphosis), and the problems SpinePrompt could not tell anything about: no SNOMED CT
    code at all (only words, or only another code system's codes). A SNOMED CT code outside the value sets is a
    problem SpinePrompt has nothing to say about, not one it failed to read."""
    table = valuesets.by_code("conditions")
    kinds: set[str] = set()
    unread = []
    for c in conditions:
        status = {x.get("code") for x in (c.get("verificationStatus") or {}).get("coding") or [] if isinstance(x, dict)}
        if status & {"refuted", "entered-in-error"}:
            continue
        codings = [x for x in (c.get("code") or {}).get("coding") or [] if isinstance(x, dict)]
        found = {
            table[(x.get("system"), x.get("code"))].maps_to
            for x in codings
            if (x.get("system"), x.get("code")) in table
        }
        kinds |= found
        if not found and not any(x.get("system") == SNOMED_SYSTEM and x.get("code") for x in codings):
            codes = ", ".join(f"{x.get('system') or 'no system'} {x.get('code')}" for x in codings[:3]) or "no code"
            unread.append(
                f"the new problem Condition/{c.get('id')} has no SNOMED CT code ({codes}), so SpinePrompt could not "
                "tell whether it is a fracture or osteoporosis"
            )
    return kinds, unread


def base_url(request_base: str) -> str:
    return settings.CDS_HOOKS_BASE_URL or request_base.rstrip("/")


def cds_call(*, service: Service, body: dict[str, Any], client: Client, site: str) -> dict[str, Any]:
    """Answer one hook call: validate, complete the prefetch (or raise PrefetchUnavailable, 412), map, evaluate,
    build cards, and store the issued cards, the prefilled draft and the audit event in one transaction.

    Anything failing after validation gives the single "decision support unavailable" card, audited as such."""
    request_validate(service, body)
    context = body["context"]
    patient_id = context["patientId"]
    prefetch = prefetch_complete(
        prefetch=body.get("prefetch"),
        context=context,
        fhir_server=body.get("fhirServer"),
        authorization=body.get("fhirAuthorization"),
        allowed_servers=client.fhir_servers,
    )
    _check_patient(prefetch, patient_id)
    if service.hook == "order-select":
        _check_selections(context)
    new, notes = _new_problems(context) if service.hook == PROBLEM_HOOK else ([], [])
    not_read = _paged(prefetch)
    if reason := _not_applicable(prefetch.get("patient")):
        _audit(service, client, outcome="not_applicable", cards=[], reason=reason)
        return {"cards": []}
    try:
        scope, unread = _scope(service, context, prefetch, new, patient_id)
        not_read += unread
        if scope is None:
            _audit(service, client, outcome="not_applicable", cards=[])
            return {"cards": [card_builder.not_read_card(not_read)] if not_read else []}
        wanted = scope.wanted
        data, derivations, problems = record_input(
            scope.resources,
            patient_id=patient_id,
            assessed_on=timezone.localdate(),
            assessor_role=settings.CDS_HOOKS_ASSESSOR_ROLE,
            planned=scope.planned,
        )
        problems += notes
        if reason := _not_applicable(None, data):
            _audit(service, client, outcome="not_applicable", cards=[], reason=reason)
            return {"cards": []}
        result = assessment_evaluate(
            data=data, on_unavailable=lambda: _audit(service, client, outcome="unavailable", cards=[])
        )
    except DecisionSupportUnavailable:
        return {"cards": [card_builder.unavailable_card("an internal error")]}
    except InputError as exc:
        fields = sorted({e["field"] for e in exc.as_dict()["errors"]})
        logger.warning("CDS Hooks: the mapped record is not valid input (fields: %s)", ", ".join(fields))
        _audit(service, client, outcome="unavailable", cards=[])
        return {"cards": [card_builder.unavailable_card("the record gave values it cannot use: " + ", ".join(fields))]}
    except Exception:
        # Reading the record failed before the rules ran (the rules' own failures are DecisionSupportUnavailable,
        # logged and audited there). Never log the prefetch or the input: they are patient data.
        logger.exception("CDS Hooks: the record could not be read")
        _audit(service, client, outcome="unavailable", cards=[])
        return {"cards": [card_builder.unavailable_card("an internal error")]}
    prompts = result["prompts"]
    if wanted is not None:
        prompts = [p for p in prompts if p["category"] in wanted or p["priority"] in ("emergency", "urgent")]
    cards = _issue(service, client, site, result, prompts, data, derivations, problems, patient_id)
    if not_read:
        cards.insert(0, card_builder.not_read_card(not_read))
    return {"cards": cards}


@transaction.atomic
def _issue(
    service: Service,
    client: Client,
    site: str,
    result: dict[str, Any],
    prompts: list[dict[str, Any]],
    data: dict[str, Any],
    derivations: Any,
    problems: list[Any],
    patient_id: str,
) -> list[dict[str, Any]]:
    """The cards for the prompts, stored with the prefilled draft they link to and the audit event, in one
    transaction."""
    link = None
    if prompts:
        draft = assessment_draft_create(data=data, source=CHANNEL, subject=draft_subject(patient_id))
        smart = smart_config.for_cds_issuer(client.iss) is not None
        link = card_builder.assessment_link(site, str(draft.pk), smart=smart)
    cards = [
        card_builder.card(p, patient_id=patient_id, derivations=derivations, problems=problems, link=link)
        for p in prompts
    ]
    IssuedCard.objects.bulk_create(
        IssuedCard(
            id=c["uuid"],
            service=service.id,
            issuer=client.iss[:255],
            rule_id=p["id"],
            rule_version=p["rule_version"],
            rulebook_version=result["rulebook_version"],
            suggestion_ids=[s["uuid"] for s in c.get("suggestions", [])],
        )
        for p, c in zip(prompts, cards, strict=True)
    )
    _audit(service, client, outcome="evaluated", cards=prompts, rulebook_version=result["rulebook_version"])
    return cards


class _Scope(NamedTuple):
    wanted: frozenset[str] | None  # the prompt categories carded (None: all)
    resources: dict[str, Any]  # the prefetch, with what the hook adds (new problems, selected orders)
    planned: frozenset[str]  # glucocorticoids the selected orders start


def _scope(
    service: Service, context: dict[str, Any], prefetch: dict[str, Any], new: list[Any], patient_id: str
) -> tuple[_Scope | None, list[Any]]:
    """What this hook asks about, and what in the request could not be identified; None when nothing it carries
    (no new problem, no order) is one the rules have prompts for."""
    if service.hook == PROBLEM_HOOK:
        kinds, unread = problem_kinds(new)
        if not kinds:
            return None, unread
        wanted = frozenset().union(*(PROBLEM_CATEGORIES[k] for k in kinds))
        return _Scope(wanted, {**prefetch, "newProblems": _collection(new)}, frozenset()), unread
    if service.hook in ORDER_HOOKS:
        orders = _selected_orders(context)
        kinds = order_kinds(context, patient=prefetch.get("patient"), patient_id=patient_id)
        unread = _unidentified(orders)
        if not kinds:
            return None, unread
        wanted = frozenset().union(*(ORDER_CATEGORIES[k] for k in kinds))
        # The selected orders are part of the picture: a planned glucocorticoid counts as the mapping reads it.
        resources = {
            **prefetch,
            "selectedOrders": {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [{"resource": r} for r in orders],
            },
        }
        return _Scope(wanted, resources, _planned(orders)), unread
    return _Scope(None, prefetch, frozenset()), []


def _audit(
    service: Service,
    client: Client,
    *,
    outcome: str,
    cards: list[dict],
    rulebook_version: str = RULEBOOK_VERSION,
    reason: str = "",
) -> None:
    """One API evaluation event per call: the issuer, the service, the rule ids and versions carded, and counts.
    Never patient data (no FHIR ids, no hookInstance)."""
    audit_record(
        event=AuditEvent.Event.API_EVALUATION,
        actor=client.iss,
        target_type="cds_service",
        target_id=service.id,
        rulebook_version=rulebook_version,
        rules=[{"id": p["id"], "version": p["rule_version"]} for p in cards],
        detail={"channel": CHANNEL, "service": service.id, "outcome": outcome, "cards": len(cards)}
        | ({"reason": reason} if reason else {}),
    )


# Adults only: the recommendations, NOGG and the contract (age 18-120) are about adults. A child's record gets the
# empty card list the spec gives a service with nothing to say, not a "decision support unavailable" warning.
ADULT_FROM_AGE = 18


def _not_applicable(patient: Any, data: dict[str, Any] | None = None) -> str:
    """Why SpinePrompt has nothing to say about this patient at all ("" when it may have): the patient has died
    (Patient.deceased[x]: no bone protection or imaging prompts for someone who has died), or is a child."""
    if isinstance(patient, dict) and (
        patient.get("deceasedBoolean") is True or isinstance(patient.get("deceasedDateTime"), str)
    ):
        return "deceased"
    age = (data or {}).get("age")
    if isinstance(age, int) and age < ADULT_FROM_AGE:
        return "child"
    return ""


# --- feedback ---------------------------------------------------------------------------------------------------


def _timestamp(value: str) -> datetime | None:
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed


@transaction.atomic
def cds_feedback_record(*, service: Service, body: Any, client: Client) -> list[CardFeedback]:
    """Store each feedback item (append-only) and audit it as a decision; all or nothing. Returns the items stored.

    The same card, outcome and outcomeTimestamp is one piece of feedback: an item already stored (a client's retry),
    or repeated within the request, is accepted but not stored, audited or returned again, so the dashboard counts
    it once. The card rows are locked first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers), so
    two concurrent identical posts cannot both store it.

    Raises RequestInvalid naming the field when the body is malformed, a card was not issued by this service to
    this client, an accepted suggestion is not one of the card's, or the timestamp is not an ISO time with zone."""
    errors = schemas.errors("feedbackRequest", body)
    if errors:
        raise RequestInvalid(errors)
    items = body["feedback"]
    ids = {i["card"] for i in items}
    issued = {
        str(c.pk): c
        for c in IssuedCard.objects.select_for_update().filter(
            pk__in=[i for i in ids if _is_uuid(i)], service=service.id, issuer=client.iss[:255]
        )
    }
    # Feedback already stored for these cards, by (card, outcome, outcome time): a repeat is not stored again.
    seen = set(CardFeedback.objects.filter(card__in=issued.values()).values_list("card_id", "outcome", "outcome_at"))
    stored = []
    for n, item in enumerate(items):
        feedback = _feedback_item(f"feedback[{n}]", item, issued, client, errors)
        if feedback is None or errors:
            continue
        key = (feedback.card.pk, feedback.outcome, feedback.outcome_at)
        if key in seen:
            continue
        seen.add(key)
        stored.append(feedback)
    if errors:
        raise RequestInvalid(errors)
    for fb in stored:
        fb.save()
        _audit_feedback(fb, service, client)
    return stored


def _feedback_item(
    where: str, item: dict[str, Any], issued: dict[str, IssuedCard], client: Client, errors: list[dict[str, str]]
) -> CardFeedback | None:
    """One feedback item as an unsaved row, or None with its errors appended (naming ``where``)."""
    card = issued.get(item["card"].lower()) if _is_uuid(item["card"]) else None
    if card is None:
        errors.append({"field": f"{where}.card", "message": "is not a card this service issued to you"})
        return None
    found = len(errors)
    when = _timestamp(item["outcomeTimestamp"])
    if when is None:
        errors.append({"field": f"{where}.outcomeTimestamp", "message": "must be an ISO 8601 time with a zone"})
    accepted = [s["id"] for s in item.get("acceptedSuggestions", [])]
    if any(s not in card.suggestion_ids for s in accepted):
        errors.append({"field": f"{where}.acceptedSuggestions", "message": "names a suggestion not on this card"})
    if len(errors) > found:
        return None
    override = item.get("overrideReason") or {}
    return CardFeedback(
        card=card,
        issuer=client.iss[:255],
        outcome=item["outcome"],
        reason=_override_reason(item["outcome"], override),
        accepted_suggestions=len(accepted) if item["outcome"] == "accepted" else 0,
        comment_given=bool(override.get("userComment")),
        outcome_at=when,
    )


def _override_reason(outcome: str, override: dict[str, Any]) -> str:
    """An override's reason code when it is one of ours, "unlisted" for any other, "" for none."""
    if outcome != "overridden" or not override.get("reason"):
        return ""
    coding = override["reason"]
    known = coding.get("system") == card_builder.OVERRIDE_REASON_SYSTEM and coding["code"] in {
        r["code"] for r in card_builder.OVERRIDE_REASONS
    }
    return coding["code"] if known else "unlisted"


def _audit_feedback(fb: CardFeedback, service: Service, client: Client) -> None:
    """A stored feedback item as a decision event: the card's rule and versions, the outcome, never patient data."""
    audit_record(
        event=AuditEvent.Event.DECISION,
        actor=client.iss,
        target_type="cds_card",
        target_id=str(fb.card_id),
        rulebook_version=fb.card.rulebook_version,
        rules=[{"id": fb.card.rule_id, "version": fb.card.rule_version}],
        detail={
            "channel": CHANNEL,
            "service": service.id,
            "outcome": fb.outcome,
            "reason": fb.reason,
            "accepted_suggestions": fb.accepted_suggestions,
        },
    )


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _is_uuid(value: str) -> bool:
    return bool(_UUID.match(value))


__all__ = ["SERVICES", "PrefetchUnavailable", "RequestInvalid", "cds_call", "cds_feedback_record", "discovery"]
