"""The patient leaflet's words, as data: each section with its blocks, recommendations and sources.

Every string a patient reads is a lazy translation (``gettext_lazy``), so adding a language is a translation file
(docs/resources.md). Every section names the recommendations (Bennett et al. 2024) and the sources its facts come
from; tests/resources/test_content.py checks both, and measures each section's readability.

Block kinds: ``("p", text)``, ``("h3", text)``, ``("ul", (text, ...))``, ``("dl", ((term, meaning), ...))``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    id: str
    title: Any
    blocks: tuple[tuple[str, Any], ...]
    recommendations: tuple[int, ...]
    sources: tuple[str, ...]


# The risk factors as the rules name them (core.rules.facts.Facts._risk_factors), in words for patients. The leaflet's
# "the ones that apply to you" comes from the rules' own facts, so it always agrees with the prompts.
RISK_FACTOR_WORDS = {
    "prior fragility fracture": _("a broken bone after a small fall or knock since the age of 50"),
    "known vertebral fracture": _("a spine fracture that has already been found"),
    # Long-term use, as the source says (nhs-alendronic-acid-about [V]: steroid tablets for 3 months or more); the
    # personal leaflet reads the rules' long-term fact for it, not "any course in the last year" (content review).
    "oral glucocorticoids": _("steroid tablets, such as prednisolone, taken for 3 months or more"),
    "parental hip fracture": _("a parent who broke a hip"),
    "current smoker": _("smoking"),
    "alcohol over 14 units a week": _("drinking more than 14 units of alcohol a week"),
    "rheumatoid arthritis": _("rheumatoid arthritis"),
    "secondary cause of osteoporosis": _("some other health problems and medicines that make bones weak"),
    "BMI under 18.5": _("a very low body weight (a BMI under 18.5)"),
    "menopause before 45": _("going through the menopause before the age of 45"),
    "a fall in the last year": _("a fall in the last year"),
    "woman aged 65+ or man aged 75+": _("being a woman aged 65 or over, or a man aged 75 or over"),
}
MENOPAUSE_WORDS = _("being a woman who has been through the menopause")

LEAFLET_TITLE = _("Spine fractures: information for you")
YOURS_TITLE = _("The ones that apply to you")
YOURS_NONE = _("None of these was recorded for you.")
YOURS_ASK = _("Your GP or nurse may also ask you about:")
LEAFLET_FOOT = _("This leaflet does not replace advice from your GP, nurse or physio.")

SECTIONS: tuple[Section, ...] = (
    Section(
        id="what-it-is",
        title=_("What is a spine fracture?"),
        blocks=(
            (
                "p",
                _(
                    "Your spine is made of small bones stacked on top of each other. A spine fracture is when "
                    "one of these bones breaks. The bone often squashes down rather than snapping."
                ),
            ),
            (
                "p",
                _(
                    "Weak bones can break after a small fall. They can also break when you bend, lift or climb "
                    "stairs. A condition called osteoporosis makes bones weak and more likely to break."
                ),
            ),
            (
                "p",
                _("About 2 in 3 spine fractures are never found. Knowing the signs helps you get the right care."),
            ),
        ),
        recommendations=(1,),
        sources=("bennett-t6", "erohub-patient", "falls-vf", "nhs-alendronic-acid-about", "coshiba"),
    ),
    Section(
        id="signs",
        title=_("Signs of a spine fracture"),
        blocks=(
            ("p", _("A spine fracture often causes back pain that:")),
            (
                "ul",
                (
                    _("starts suddenly"),
                    _("is in the middle or upper back"),
                    _("is bad and does not get better with time"),
                    _("feels better when you lie down"),
                    _("is worse when you stand and lean forward, such as when you cook or wash up"),
                    _("is worse when you sit in a chair with a straight back"),
                ),
            ),
            ("p", _("Other signs are losing height, or your back starting to curve forward.")),
            (
                "p",
                _(
                    "The pain can feel like other things, such as a pulled muscle or a kidney infection. "
                    "Some people have no pain at all."
                ),
            ),
        ),
        recommendations=(1, 5),
        sources=("bennett-t6", "bnssg-patient", "clark-2016", "nogg-s9-r6", "bennett-t3"),
    ),
    Section(
        id="risk-factors",
        title=_("What makes a spine fracture more likely?"),
        blocks=(
            ("p", _("Some things make your bones weaker or make a fracture more likely. They include:")),
            ("ul", (MENOPAUSE_WORDS, *RISK_FACTOR_WORDS.values())),
            ("p", _("Men and younger women can have spine fractures too.")),
        ),
        recommendations=(2, 5),
        sources=(
            "bennett-t6",
            "nice-cg146",
            "nhs-alendronic-acid-about",
            "frax-inputs",
            "nice-ta204",
            "nhs-osteoporosis-causes",
        ),
    ),
    Section(
        id="get-help",
        title=_("When to get help"),
        blocks=(
            (
                "p",
                _(
                    "See your GP if you have more than one or two of these signs and they last a few weeks, even "
                    "if they are mild. This matters most after a fall or an injury. But a fracture can happen "
                    "without one."
                ),
            ),
            ("p", _("Some people wait because they do not want to be a bother. Please do not wait.")),
            ("h3", _("Go to A&E or call 111 straight away if you have back pain and:")),
            (
                "ul",
                (
                    _("numbness or pins and needles around your bottom or genitals"),
                    _("problems peeing, or you cannot control when you pee"),
                    _("you cannot control your bowels"),
                    _("weakness in your legs that is getting worse"),
                ),
            ),
            ("p", _("Go to A&E if the pain started after a serious injury.")),
            (
                "p",
                _(
                    "Contact your GP the same day if you have back pain and a high temperature. Do the same if "
                    "you have had cancer and the back pain is new."
                ),
            ),
            (
                "p",
                _(
                    "See your GP soon if you are losing weight without trying. Do the same if you have pain at "
                    "night that does not ease when you move."
                ),
            ),
        ),
        recommendations=(3,),
        sources=(
            "bennett-t6",
            "bnssg-patient",
            "bennett-t3",
            "nhs-cauda-equina",
            "cks-red-flags",
            "nice-ng234",
            "bnssg-imaging",
        ),
    ),
    Section(
        id="what-next",
        title=_("What happens next"),
        blocks=(
            (
                "ul",
                (
                    _(
                        "Your GP may ask for an X-ray of your back. This shows if a bone is broken. Some areas "
                        "use a special DXA scan of your spine instead."
                    ),
                    _("You may have blood tests. These look for other causes of weak bones."),
                    _(
                        "You may have a DXA scan. This is a quick scan that does not hurt. It measures how strong "
                        "your bones are."
                    ),
                    _(
                        "If a bone in your spine is broken, you may be offered medicine to protect your bones. "
                        "You do not need to wait for the DXA scan to start it."
                    ),
                    _("You may be sent to a team that helps people protect their bones after a fracture."),
                ),
            ),
        ),
        recommendations=(3, 14),
        sources=(
            "nogg-s3-r4",
            "bnssg-imaging",
            "kernow-imaging",
            "nogg-investigations",
            "nhs-osteoporosis-diagnosis",
            "nogg-s4",
            "nogg-s8",
        ),
    ),
    Section(
        id="medicine",
        title=_("Medicine to protect your bones"),
        blocks=(
            (
                "p",
                _(
                    "Medicines called bisphosphonates make bones stronger. They lower the chance of another "
                    "spine or hip break. For most people, the first choice is usually alendronic acid or "
                    "risedronate. You usually take alendronic acid once a week. It takes a few months to work, "
                    "and most people take it for some years."
                ),
            ),
            ("h3", _("How to take alendronic acid")),
            (
                "ul",
                (
                    _("Take it first thing in the morning, before you eat or drink."),
                    _("Swallow it whole with a glass of plain water (at least 200 ml)."),
                    _("Stay sitting or standing for at least 30 minutes, and until after you have eaten."),
                    _("Wait 30 minutes before you eat, drink or take other medicines."),
                    _("Do not take it at bedtime."),
                    _("Take calcium and indigestion medicines at a different time of day."),
                ),
            ),
            ("h3", _("Tell your doctor or pharmacist if you get:")),
            (
                "ul",
                (
                    _("pain when you swallow, heartburn or chest pain"),
                    _("ear pain, fluid coming out of your ear, or an ear infection"),
                    _("new pain in your thigh or groin"),
                    _("problems with your jaw or teeth"),
                ),
            ),
            ("p", _("Look after your teeth and see your dentist for check-ups.")),
        ),
        recommendations=(13,),
        sources=(
            "nhs-alendronic-acid-about",
            "nhs-alendronic-acid-questions",
            "nice-decision-aid",
            "nogg-drugs",
            "smpc-alendronate",
            "mhra-ear",
            "mhra-aff",
        ),
    ),
    Section(
        id="self-care",
        title=_("Looking after yourself"),
        blocks=(
            (
                "ul",
                (
                    _("Calcium: aim for 700 to 1,200 mg a day, from food if you can."),
                    _("Vitamin D: you may be offered 800 units a day."),
                    _(
                        "Exercise: exercises that make your back muscles stronger can help. A physiotherapist "
                        "can show you how. Start gently if it hurts."
                    ),
                    _(
                        "Pain: take pain relief as your doctor or pharmacist tells you. Use the lowest dose that "
                        "works, for the shortest time. Most spine fractures heal in 2 to 12 weeks."
                    ),
                    _(
                        "Falls: if you have had a fall, ask for a falls check. You may be offered exercises for "
                        "strength and balance."
                    ),
                ),
            ),
        ),
        recommendations=(13,),
        sources=("nogg-2017-calcium", "nogg-s8", "aomrc-ebi", "nogg-summary"),
    ),
    Section(
        id="your-results",
        title=_("Understanding your results"),
        blocks=(
            (
                "p",
                _(
                    "Reports often use other words for a spine fracture. Ask your GP or nurse what your results "
                    "mean and what happens next."
                ),
            ),
            (
                "dl",
                (
                    (_("Vertebra"), _("One of the small bones of your spine. More than one are called vertebrae.")),
                    (_("Fracture"), _("A break in a bone. A fracture and a break are the same thing.")),
                    (
                        _("Wedging"),
                        _(
                            "The front of the bone has squashed down more than the back, so it looks like a wedge. "
                            "This usually means a fracture. Your GP can confirm it."
                        ),
                    ),
                    (
                        _("Collapse"),
                        _("The bone has squashed down. This usually means a fracture. Your GP can confirm it."),
                    ),
                    (
                        _("Loss of height"),
                        _(
                            "The bone is not as tall as it should be. This means the height of the bone, not of a "
                            "disc. This usually means a fracture. Your GP can confirm it."
                        ),
                    ),
                    (
                        _("Compression"),
                        _(
                            "The bone has been squashed. This usually means a fracture. Your GP can confirm it. "
                            "But if a report says a nerve or the spinal cord is compressed, that is not a broken "
                            "bone."
                        ),
                    ),
                    (
                        _("Genant grade"),
                        _(
                            "A score for how much a bone has squashed. Grade 1 is mild, grade 2 is moderate and "
                            "grade 3 is severe."
                        ),
                    ),
                    (_("DXA scan"), _("A quick scan that measures how strong your bones are.")),
                    (
                        _("T-score"),
                        _(
                            "The result of a DXA scan. It compares your bones with a healthy young adult's. A "
                            "score of -2.5 or lower means osteoporosis."
                        ),
                    ),
                ),
            ),
        ),
        recommendations=(14,),
        sources=(
            "bennett-reconstructed",
            "erohub-patient",
            "isr-audit",
            "radiopaedia-genant",
            "nhs-osteoporosis-diagnosis",
        ),
    ),
)

# Recommendations 9-14 are reconstructed (../shared/clinical/recommendations.md): say so wherever they are cited.
RECONSTRUCTED = frozenset(range(9, 15))


def block_sentences(block: tuple[str, Any]) -> list[str]:
    """The block's text as sentences, for readability: list items and glossary entries each end a sentence.
    Headings are not prose and are left out."""
    kind, value = block
    if kind == "p":
        return [str(value)]
    if kind == "h3":
        return []
    if kind == "ul":
        return [_sentence(str(v)) for v in value]
    if kind == "dl":
        return [f"{term}. {meaning}" for term, meaning in ((str(t), str(m)) for t, m in value)]
    raise ValueError(f"unknown block kind {kind!r}")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".?!" else text + "."


def section_text(section: Section) -> str:
    return " ".join(s for block in section.blocks for s in block_sentences(block))
