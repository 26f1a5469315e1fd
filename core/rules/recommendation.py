"""The shapes of the rulebook: a :class:`Recommendation` (one of the 14) holds the :class:`Rule` objects that
produce its prompts. Clinical rationale is data on these objects, so it reaches the UI, the API and the docs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from .codes import SnomedCode
from .facts import Facts
from .logic import Tri

CATEGORIES = (
    "safety",
    "assessment",
    "imaging",
    "report",
    "diagnosis",
    "bone",
    "investigations",
    "referral",
    "patient_info",
    "education",
)
PRIORITIES = ("emergency", "urgent", "routine", "info")


class Action(NamedTuple):
    """Something to do. ``kind`` decides how it is worded for nurses and physiotherapists."""

    kind: str  # emergency, prescribe, refer, image, test, record, advise, assess
    text: str  # imperative, as for a GP ("Request ...")


_ASK_GP_FCP = "Ask the GP or first-contact practitioner to "
_DEFER: dict[str, dict[str, str]] = {
    "gp": {},
    "nurse": {
        "prescribe": "Ask a prescriber (the GP or a nurse prescriber) to ",
        "refer": "Ask the GP to ",
        "image": "Ask the GP to ",
    },
    # prompts.md: a physiotherapist is told to ask the GP or first-contact practitioner to arrange imaging or
    # treatment. Emergencies are never deferred: the physiotherapist sends the patient directly.
    "physio": dict.fromkeys(("prescribe", "refer", "image", "test", "record"), _ASK_GP_FCP),
}


# The title kind of a title that is a heading or a statement ("Calcium and vitamin D", "The report confirms a
# vertebral fracture"), not an instruction: it reads the same for every role, and the prompt's actions carry the
# role's wording. Only a title that starts with an instruction ("Refer to ...") may have an action kind, so that
# "Ask the GP to refer to ..." reads as a sentence (tests/rules/test_wording.py).
HEADING = "heading"


def worded(kind: str, text: str, role: str) -> str:
    prefix = _DEFER.get(role, {}).get(kind)
    if not prefix:
        return text
    return prefix + text[0].lower() + text[1:]


Detail = Callable[[Facts], str]
Actions = Callable[[Facts], tuple[Action, ...]]
PatientTitle = Callable[[Facts], tuple[str, str]]


class Timeframe(NamedTuple):
    """When to act, as a cited guideline gives it ("within 48 hours", NICE NG12). A prompt with no timeframe has
    none because no guideline gives one: none is ever invented (docs/clinical-sources.md, "Timeframes")."""

    text: str
    source: str  # a source id (core/rules/sources.py)


Timing = Callable[[Facts], Timeframe | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """One prompt and the condition that fires it. ``id`` is the stable prompt id of prompts.md."""

    id: str
    version: int
    category: str
    priority: str
    title: str
    title_kind: str  # the action kind of an instruction title, for role wording; HEADING for any other title
    fires_when: str  # the condition in words (prompts.md, "fires when")
    effect: str  # what an unknown input could change, in a few words ("spine imaging")
    recommendations: tuple[int, ...]
    sources: tuple[str, ...]
    condition: Callable[[Facts], Tri]
    detail: Detail
    actions: Actions
    codes: tuple[SnomedCode, ...] = ()
    status: str = "active"
    # A title that depends on the patient (a drug prompt names only the drugs its checks allow), as (title kind,
    # title worded for a GP); ``title`` is then the title in general, for the catalogue and the docs.
    patient_title: PatientTitle | None = None
    # When to act, for this patient, where a cited guideline gives a time (None: no guideline gives one).
    timeframe: Timing | None = None
    # The codes for this patient, when they depend on the patient (the vertebral level found); ``codes`` is then
    # every code the rule can offer, for the catalogue and the docs.
    patient_codes: Callable[[Facts], tuple[SnomedCode, ...]] | None = None

    @property
    def fracture_based(self) -> bool:
        """prompts.md "non-osteoporotic causes first": diagnosis.*, bone.* and referral.fls."""
        return self.id.startswith(("diagnosis.", "bone.")) or self.id == "referral.fls"

    def title_for(self, role: str) -> str:
        return worded(self.title_kind, self.title, role)

    def title_for_patient(self, facts: Facts) -> str:
        if self.patient_title is None:
            return worded(self.title_kind, self.title, facts.inp.assessor_role)
        kind, title = self.patient_title(facts)
        return worded(kind, title, facts.inp.assessor_role)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One of the 14 co-produced recommendations (Bennett et al. 2024), in our paraphrase."""

    number: int
    version: int
    title: str
    audience: str
    status: str  # verified (checked against Table 6) or reconstructed (9-14)
    citations: tuple[str, ...]
    product: str  # what SpinePrompt does for it
    rules: tuple[Rule, ...] = ()

    @property
    def id(self) -> str:
        return f"R{self.number:02d}"


def static(text: str) -> Detail:
    return lambda _facts: text


class FixedActions:
    """Actions that do not depend on the patient (``acts``), so the engine can word them once per role."""

    __slots__ = ("actions",)

    def __init__(self, actions: tuple[Action, ...]) -> None:
        self.actions = actions

    def __call__(self, _facts: Facts) -> tuple[Action, ...]:
        return self.actions


def acts(*actions: tuple[str, str]) -> Actions:
    return FixedActions(tuple(Action(kind, text) for kind, text in actions))
