"""The decision aid for bone protection: its figures (each with source and date), the icon-array counts, and the
patient words. The uncertain figures are hazard H-30 in docs/clinical-safety/hazard-log.md.

Figures are chosen conservatively: the benefit shown in the "with medicine" array is the *smallest* reported
(50% fewer further fractures), and the largest (80%) is given in words beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from .icon_array import people_in_100
from .personal import Personal

# New vertebral fracture within one year of an incident vertebral fracture: 19.2% (95% CI 13.6-24.8).
# Lindsay et al., JAMA 2001 [V] (../shared/clinical/identification.md section 7).
NEW_FRACTURE_IN_A_YEAR = Decimal("19.2")
# Treatment cuts further-fracture risk by 50-80% within 6-12 months. NOS 2017 via a press summary [V, secondary]
# (identification.md sections 2.1 and 7).
SMALLEST_REDUCTION = Decimal("50")
LARGEST_REDUCTION = Decimal("80")


def with_reduction(percent: Decimal, reduction: Decimal) -> Decimal:
    return percent * (Decimal(100) - reduction) / Decimal(100)


@dataclass(frozen=True)
class Figure:
    value: str
    what: Any  # patient words
    source_id: str | None  # None: our own calculation, explained in ``what``
    date: str
    mark: str  # V, V (secondary), P, or "calculated"


WITHOUT = people_in_100(NEW_FRACTURE_IN_A_YEAR)  # 19
WITH_SMALLEST = people_in_100(with_reduction(NEW_FRACTURE_IN_A_YEAR, SMALLEST_REDUCTION))  # 9.6 -> 10
WITH_LARGEST = people_in_100(with_reduction(NEW_FRACTURE_IN_A_YEAR, LARGEST_REDUCTION))  # 3.84 -> 4

FIGURES: tuple[Figure, ...] = (
    Figure(
        f"{NEW_FRACTURE_IN_A_YEAR}%",
        _("Women who had a new spine fracture and had another one within a year."),
        "lindsay-2001",
        "2001",
        "V",
    ),
    Figure(
        f"{SMALLEST_REDUCTION}% to {LARGEST_REDUCTION}%",
        _("How many fewer fractures people had within 6 to 12 months of starting medicine."),
        "nos-2017",
        "2017",
        "V (secondary)",
    ),
    Figure(
        f"{WITH_SMALLEST} and {WITH_LARGEST} in 100",
        _("Our sum: 19.2 in 100 made half as big, and made a fifth as big, each rounded to a whole person."),
        None,
        "",
        "calculated",
    ),
    Figure(
        _("4 times"),
        _("How much more likely a spine fracture is for people who have already had one."),
        "klotzbuecher-2000",
        "2000",
        "V",
    ),
    Figure(
        _("2 years; 3 to 5 years"),
        _("Rare ear and thigh-bone harms are seen after 2 years. Treatment is checked after 3 to 5 years."),
        "nhs-alendronic-acid-questions",
        _("page seen November 2026"),
        "V",
    ),
)

TITLE = _("Medicine to protect your bones: your choice")
INTRO = _(
    "This page helps you and your clinician talk about medicine to protect your bones. It shows what might happen "
    "with and without it. The choice is yours. You do not have to take it."
)
ARRAYS_TITLE = _("What might happen in the next year")
WITHOUT_CAPTION = _(
    "Without medicine: about %(n)s in 100 women have another spine fracture within a year. These women had just "
    "had one."
)
WITH_CAPTION = _(
    "With medicine: about %(n)s in 100 women have another one. This uses the smallest benefit found, which is "
    "half as many fractures. With the largest benefit found, it would be about %(m)s in 100."
)
KEY = _("Dark figures are people who have another spine fracture. Light figures are people who do not.")
NOTE_NO_FRACTURE = _(
    "Your assessment does not show a spine fracture. These numbers are for people who have had one. People who "
    "have not had one are less likely to break a bone in their spine."
)
NOTE_FRACTURE = _(
    "Your assessment shows a spine fracture. These numbers come from studies of women in the year after a new spine "
    "fracture."
)
# After a fracture the risk bands do not apply: treatment is advised without waiting for DXA (NOGG 2022 section 4,
# recommendations 2 and 3 [V]). A "low" band with "a new check within 5 years" beside a confirmed fracture told the
# patient the opposite of the clinician's prompt (found by a content review).
NOTE_AFTER_FRACTURE = _(
    "After a spine fracture, the national guideline advises medicine to protect your bones. You do not need to "
    "wait for a DXA scan first."
)
NOTE_NOT_KNOWN = _(
    "Your assessment does not yet show if you have a spine fracture. Your X-ray or report may still need checking. "
    "Your GP will explain it. These numbers are for people who have had one."
)
# Denosumab must not be stopped or delayed without a planned switch: multiple spine fractures can follow (MHRA Drug
# Safety Update [V], treatment-and-coding.md section 3.2; 60 mg every 6 months, section 3.1 [V]).
NOTE_DENOSUMAB = _(
    "Have your injection every 6 months, on time. Stopping or delaying it can lead to several spine fractures. Do "
    "not stop it unless your specialist plans a switch to another medicine."
)
# The aid weighs alendronic acid; when the rules' drug checks allow neither oral bisphosphonate for this patient, it
# says so rather than suggest tablets (H-81).
NOTE_NOT_THESE_TABLETS = _(
    "The tablets in this aid may not be right for you. Your clinician will tell you why and talk about other choices."
)
# The figures are from women in the year after a new spine fracture (Lindsay 2001; NOS 2017): for anyone else the aid
# says it has no numbers for their group rather than show someone else's.
NO_FIGURES_MEN = _(
    "The numbers in this aid come from studies of women. There are no numbers here for men. Your clinician can "
    "talk to you about your own risk."
)
NO_FIGURES_SEX_UNKNOWN = _(
    "The numbers in this aid come from studies of women, so they may not apply to you. Your clinician can talk to "
    "you about your own risk."
)
NO_FIGURES_NO_FRACTURE = _(
    "The numbers in this aid are for women who have had a spine fracture. There are none here for women who have "
    "not had one. Your clinician can talk to you about your own risk."
)
BAND_VERY_HIGH_NO_TABLETS = _("a referral to a bone specialist, who may offer an injection.")
NOTE_ON_TREATMENT = _("You already take medicine for your bones. Talk to your clinician before you stop or change it.")
NOTE_BAND = _(
    "Your clinician has worked out your risk with a tool called FRAX. Your risk is in the %(band)s group. For "
    "this group, the national guideline says: %(advice)s"
)
BANDS = {
    "low": (_("low"), _("advice on keeping your bones healthy, and a new check within 5 years.")),
    "intermediate": (_("middle"), _("a DXA scan, then a new check of your risk.")),
    "high": (_("high"), _("medicine to protect your bones, and a DXA scan.")),
    "very_high": (
        _("very high"),
        _("a referral to a bone specialist, who may offer an injection. You may start tablets while you wait."),
    ),
}
BENEFITS_TITLE = _("Possible benefits")
BENEFITS = (
    (_("Fewer spine fractures and fewer hip fractures."), "nice-decision-aid"),
    (_("It has not been shown to change the chance of breaking a wrist or an arm."), "nice-decision-aid"),
    (_("It takes a few months to start working."), "nhs-alendronic-acid-questions"),
    (_("You could still have a fracture while you take it."), "nhs-alendronic-acid-questions"),
)
HARMS_TITLE = _("Possible downsides")
HARMS = (
    (_("You need to take it in a set way each week, first thing in the morning."), "smpc-alendronate"),
    (_("It can hurt your food pipe if you do not take it the right way."), "nhs-alendronic-acid-about"),
    (_("Rarely, it can damage the jaw bone. Good care of your teeth helps."), "nhs-alendronic-acid-about"),
    (
        _(
            "A very small number of people who take it for more than 2 years get damage to a bone in the ear, or "
            "an odd break in the thigh bone."
        ),
        "nhs-alendronic-acid-questions",
    ),
    (_("Your doctor will check after 3 to 5 years if you still need it."), "nhs-alendronic-acid-questions"),
)
FOOT = _("This page supports, and does not replace, a talk with your GP, nurse or pharmacist.")
RECOMMENDATIONS = (13,)
SOURCES = (
    "lindsay-2001",
    "nos-2017",
    "klotzbuecher-2000",
    "nogg-tool",
    "nogg-s4",
    "nice-decision-aid",
    "nhs-alendronic-acid-about",
    "nhs-alendronic-acid-questions",
    "smpc-alendronate",
    "mhra-denosumab",
)


def notes(personal: Personal | None) -> list[str]:
    """What the aid says about this patient (nothing for the blank aid), as translated text."""
    if personal is None:
        return []
    said = [str({"yes": NOTE_FRACTURE, "no": NOTE_NO_FRACTURE}.get(personal.fracture, NOTE_NOT_KNOWN))]
    if personal.fracture == "yes":
        said.append(str(NOTE_AFTER_FRACTURE))
    elif personal.nogg_category in BANDS:
        band, advice = BANDS[personal.nogg_category]
        if personal.nogg_category == "very_high" and not personal.tablets_allowed:
            advice = BAND_VERY_HIGH_NO_TABLETS
        said.append(str(NOTE_BAND) % {"band": band, "advice": advice})
    if not personal.tablets_allowed and not personal.on_treatment:
        said.append(str(NOTE_NOT_THESE_TABLETS))
    if personal.on_treatment:
        said.append(str(NOTE_ON_TREATMENT))
    if personal.on_denosumab:
        said.append(str(NOTE_DENOSUMAB))
    return said


def no_figures(personal: Personal | None) -> str:
    """Why the aid shows no numbers for this patient (they are not from the patient's group), or "" if it does."""
    if personal is None:
        return ""  # the blank aid: its captions say whose numbers they are
    if personal.male:
        return str(NO_FIGURES_MEN)
    if not personal.female:
        return str(NO_FIGURES_SEX_UNKNOWN)
    if personal.fracture == "no":
        return str(NO_FIGURES_NO_FRACTURE)
    return ""


def captions() -> dict[str, str]:
    """The two arrays' captions with their numbers, in the active language."""
    return {
        "without": str(WITHOUT_CAPTION) % {"n": WITHOUT},
        "treated": str(WITH_CAPTION) % {"n": WITH_SMALLEST, "m": WITH_LARGEST},
    }


def text_blocks() -> dict[str, str]:
    """Every patient-facing block of the aid as plain text, for the readability test and docs/resources.md."""
    blocks = {
        "intro": str(INTRO),
        "without-caption": captions()["without"],
        "with-caption": captions()["treated"],
        "key": str(KEY),
        "benefits": " ".join(str(t) for t, _s in BENEFITS),
        "downsides": " ".join(str(t) for t, _s in HARMS),
        "figures": " ".join(str(f.what) for f in FIGURES),
        "note-no-fracture": str(NOTE_NO_FRACTURE),
        "note-fracture": str(NOTE_FRACTURE),
        "note-after-fracture": str(NOTE_AFTER_FRACTURE),
        "note-not-known": str(NOTE_NOT_KNOWN),
        "note-denosumab": str(NOTE_DENOSUMAB),
        "note-on-treatment": str(NOTE_ON_TREATMENT),
        "note-not-these-tablets": str(NOTE_NOT_THESE_TABLETS),
        "no-figures-men": str(NO_FIGURES_MEN),
        "no-figures-no-fracture": str(NO_FIGURES_NO_FRACTURE),
        "footer": str(FOOT),
    }
    for key, (band, advice) in BANDS.items():
        blocks[f"note-band-{key}"] = str(NOTE_BAND) % {"band": band, "advice": advice}
    blocks["note-band-very_high-no-tablets"] = str(NOTE_BAND) % {
        "band": BANDS["very_high"][0],
        "advice": BAND_VERY_HIGH_NO_TABLETS,
    }
    return blocks
