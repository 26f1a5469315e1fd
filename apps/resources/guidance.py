"""Clinician guidance pages, linked from the prompts that cite them (recommendations 4-9).

Written for GPs, nurses and physiotherapists, in English only (the patient resources are the translated ones).
Every point names its sources (apps/resources/sources.py); a point marked P or R in its source says so on the page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    heading: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    recommendations: tuple[int, ...]
    summary: str
    parts: tuple[Part, ...]
    prompts: tuple[str, ...]  # prompt ids (or "prefix." for a family) whose cards link here

    @property
    def sources(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for part in self.parts:
            for point in part.points:
                seen.update(dict.fromkeys(point.sources))
        return tuple(seen)


P = Point

PAGES: tuple[Page, ...] = (
    Page(
        slug="risk-factors",
        title="Risk factors for osteoporotic vertebral fracture",
        recommendations=(4,),
        summary="Ask about these whenever a postmenopausal woman, or a man aged 50 or over, presents with back pain.",
        parts=(
            Part(
                "The risk factors the prompts use",
                (
                    P(
                        "A fragility fracture (low trauma) at another site since age 50, or a vertebral fracture "
                        "already known.",
                        ("nice-cg146", "nogg-s4"),
                    ),
                    P(
                        "Oral glucocorticoids now or in the last year. 'Long-term' is taken as 3 months or more "
                        "(NOGG does not define it: a convention, marked P); prednisolone 7.5 mg a day or more for 3 "
                        "months or more is a very-high-risk feature (P).",
                        ("nogg-s3-r4", "nogg-s3-r4-gc", "nogg-s4-very-high", "nice-cg146"),
                    ),
                    P(
                        "Parental hip fracture; current smoking; alcohol over 14 units a week (CG146 says over 14 "
                        "units a week for women or over 21 for men; the prompts use 14 for everyone); a secondary "
                        "cause of osteoporosis; BMI under 18.5.",
                        ("nice-cg146",),
                    ),
                    P(
                        "Rheumatoid arthritis: a FRAX input, and an independent risk factor in NICE TA204 (CG146's "
                        "list does not name it).",
                        ("frax-inputs", "nice-ta204"),
                    ),
                    P(
                        "Menopause before 45: NHS.UK names an early menopause as a risk for osteoporosis (passage "
                        "seen only in copies of the NHS text: P).",
                        ("nhs-osteoporosis-causes",),
                    ),
                    P(
                        "A fall in the last year; a woman aged 65 or over or a man aged 75 or over.",
                        ("nice-cg146",),
                    ),
                ),
            ),
            Part(
                "What they change",
                (
                    P(
                        "Acute-onset back pain with any risk factor is a NOGG trigger for spine imaging in "
                        "postmenopausal women and men aged 50 or over; consider a vertebral fracture especially when "
                        "the pain is thoracic.",
                        ("nogg-s3-r4", "nogg-s9-r6"),
                    ),
                    P(
                        "Without a confirmed fracture, calculate FRAX (UK model, without BMD) and read the NOGG band: "
                        "low, intermediate, high or very high.",
                        ("nogg-s4", "nogg-tool"),
                    ),
                    P(
                        "The risk-factor prompt lists which are present and which were not known: an unknown is not "
                        "a 'no'; ask.",
                        ("bennett-t6",),
                    ),
                ),
            ),
        ),
        prompts=("education.risk_factors",),
    ),
    Page(
        slug="atypical-groups",
        title="Who gets missed: men, younger women and people without symptoms",
        recommendations=(5,),
        summary="Vertebral fractures are missed most in people who do not look 'typical'.",
        parts=(
            Part(
                "How often fractures are missed",
                (
                    P("About two-thirds of vertebral fractures are never diagnosed.", ("coshiba", "bennett-t6")),
                    P(
                        "More than 1 in 10 women over 50, and 1 in 5 over 70, have a spinal fracture.",
                        ("ros-prevalence",),
                    ),
                    P(
                        "Of hip-fracture patients with earlier spine imaging, 41% had a vertebral fracture on it and "
                        "54% of those had not been reported.",
                        ("mitchell-2017",),
                    ),
                ),
            ),
            Part(
                "Groups at risk who are easily overlooked",
                (
                    P(
                        "Clinicians miss fractures in people not seen as typical, such as men and younger women, and "
                        "mistake them for other back pain.",
                        ("bennett-t6", "bennett-t3"),
                    ),
                    P(
                        "Men aged 50 or over are in NOGG's population, with the same thresholds and strategy (same "
                        "thresholds: marked P); the Vfrac team found no barriers specific to men.",
                        ("nogg-s1", "vfrac-men"),
                    ),
                    P(
                        "Consider assessing fracture risk in women under 65 and men under 75 with a risk factor.",
                        ("nice-cg146",),
                    ),
                    P(
                        "Premenopausal women and men under 50 with a fracture need a secondary-cause work-up and "
                        "usually a specialist referral.",
                        ("nogg-s1",),
                    ),
                ),
            ),
            Part(
                "People without symptoms",
                (
                    P(
                        "Vertebral fractures can be painless: patients may not know they have one.",
                        ("bennett-t6", "bennett-t3"),
                    ),
                    P(
                        "So use the imaging triggers (height loss, kyphosis, glucocorticoids, a low T-score) even "
                        "without back pain.",
                        ("nogg-s3-r4",),
                    ),
                ),
            ),
        ),
        prompts=("education.atypical_groups",),
    ),
    Page(
        slug="symptoms",
        title="Symptoms of a vertebral fracture",
        recommendations=(6,),
        summary="The features that point to a vertebral fracture rather than other back pain.",
        parts=(
            Part(
                "Features that raise suspicion",
                (
                    P("Severe pain that does not improve with time; curvature of the spine.", ("bennett-t6",)),
                    P("Acute-onset back pain, especially thoracic, with osteoporosis risk factors.", ("nogg-s9-r6",)),
                    P(
                        "In women aged 60 or over with back pain, independent predictors were older age, a previous "
                        "fracture, a shorter duration of pain, pain described as crushing, pain better lying down, "
                        "and pain not spreading down the legs.",
                        ("clark-2016",),
                    ),
                    P("Lateral waist-area pain on a pain diagram (odds ratio 4.48).", ("clark-2010",)),
                    P(
                        "Pain in the mid or upper back; worse sitting leaning back, on straight-backed chairs, or "
                        "standing leaning forward (cooking, washing up); height loss since age 25.",
                        ("bnssg-patient",),
                    ),
                ),
            ),
            Part(
                "What patients think it is",
                (
                    P(
                        "Patients mistake the pain for a kidney infection, arthritis, a broken rib or muscle pain, "
                        "and manage it themselves.",
                        ("bennett-t3",),
                    ),
                    P("Only about a quarter follow a fall; most follow bending, lifting or stairs.", ("falls-vf",)),
                ),
            ),
            Part(
                "Course",
                (
                    P(
                        "Fractures heal in 2 to 12 weeks; bracing and manual therapy have not been shown to help.",
                        ("aomrc-ebi",),
                    ),
                    P(
                        "Analgesia titrated, weakest effective for the shortest time; avoid NSAIDs in older people; "
                        "a laxative with opioids; progressive back-extensor strengthening.",
                        ("nogg-s8",),
                    ),
                ),
            ),
        ),
        prompts=("education.symptoms",),
    ),
    Page(
        slug="examination",
        title="How to examine for a vertebral fracture",
        recommendations=(7,),
        summary="Measure, do not ask: height, posture, tenderness and neurology, and the red flags.",
        parts=(
            Part(
                "Height: measured against tallest",
                (
                    P(
                        "Measure height now and ask for the tallest remembered adult height; historical height loss "
                        "is the difference.",
                        ("siminoski-2006",),
                    ),
                    P("Historical height loss of 4 cm or more is a NOGG trigger for spine imaging.", ("nogg-s3-r4",)),
                    P(
                        "Up to 6 cm largely rules a fracture out; above 6 cm the likelihood ratio is 2.8 (6.1-8 cm) "
                        "and 9.8 (over 8 cm). These figures weigh how likely a fracture is, not whether to image: "
                        "NOGG's trigger of 4 cm or more still applies.",
                        ("siminoski-2006", "nogg-s3-r4"),
                    ),
                    P(
                        "Physical measurements must be taken face to face: self-report agrees poorly (kappa 0.53).",
                        ("vfrac-face",),
                    ),
                ),
            ),
            Part(
                "Kyphosis and posture",
                (
                    P("Kyphosis on examination is a NOGG trigger for spine imaging.", ("nogg-s3-r4",)),
                    P(
                        "Wall-to-occiput distance: the patient stands with heels and back against a wall, looking "
                        "ahead (this method was seen only in teaching material: P); measure the gap between the "
                        "wall and the back of the head. A gap of 5 mm or more was positive (sensitivity 0.70, "
                        "specificity 0.67 for vertebral deformity).",
                        ("fukui-2008",),
                    ),
                    P(
                        "Rib-to-pelvis distance: standing, in the mid-axillary line, between the lowest rib and the "
                        "iliac crest. Two fingerbreadths (about 3.6 cm) or less is positive: sensitivity 0.67 and "
                        "specificity 0.59 in one cohort; 87% and 47% for lumbar fractures in another (P).",
                        ("fukui-2008", "siminoski-2003"),
                    ),
                ),
            ),
            Part(
                "Tenderness and neurology",
                (
                    P(
                        "Note the level of any focal spinal tenderness: before vertebroplasty or kyphoplasty NICE "
                        "requires the level to be confirmed by examination and imaging.",
                        ("nice-ta279",),
                    ),
                    P(
                        "Examine lower-limb neurology and gait, and ask about saddle sensation, bladder and bowel: "
                        "a severe or progressive deficit, gait disturbance, saddle anaesthesia or a lax anal "
                        "sphincter are cauda equina red flags.",
                        ("cks-red-flags",),
                    ),
                    P(
                        "Ask about every red flag: an unticked list is not a 'no' (see the red flags page).",
                        ("cks-red-flags", "nice-ng59"),
                    ),
                ),
            ),
        ),
        prompts=("assessment.examination",),
    ),
    Page(
        slug="imaging",
        title="Who to image, and how to word the request",
        recommendations=(8,),
        summary="NOGG's triggers for spine imaging, the views to ask for and what to write on the request.",
        parts=(
            Part(
                "Who",
                (
                    P(
                        "Postmenopausal women and men aged 50 or over with any of: historical height loss of 4 cm "
                        "or more; kyphosis; current or recent long-term oral glucocorticoids; a T-score of -2.5 or "
                        "below; acute-onset back pain with osteoporosis risk factors.",
                        ("nogg-s3-r4",),
                    ),
                    P(
                        "Not first when there is a red flag: use the red-flag route instead of routine imaging.",
                        ("cks-red-flags", "bnssg-imaging"),
                    ),
                    P(
                        "Do not image low back pain routinely in non-specialist settings; a suspected fracture is the "
                        "reason, so it must be on the request.",
                        ("nice-ng59", "nice-qs155"),
                    ),
                ),
            ),
            Part(
                "How",
                (
                    P(
                        "Separate lateral thoracic and lumbar X-rays: a single thoracolumbar film can miss vertebrae.",
                        ("bnssg-imaging",),
                    ),
                    P(
                        "Or the local DXA vertebral fracture assessment route (Kernow: from 50 to 80; plain films "
                        "over 80).",
                        ("kernow-imaging",),
                    ),
                    P(
                        "A confirmed fracture means bone protection now: DXA is for drug choice and a baseline, and "
                        "must not delay treatment.",
                        ("nogg-s4",),
                    ),
                ),
            ),
            Part(
                "Wording the request",
                (
                    P(
                        "State the suspected osteoporotic vertebral fracture and why (for example: 'sudden thoracic "
                        "back pain after a minor fall, historical height loss 5 cm').",
                        ("bnssg-imaging", "nice-ng59"),
                    ),
                    P(
                        "Ask for any fracture to be reported as a 'fracture', with its level and Genant grade.",
                        ("iof-fractured", "rcr-2023", "radiopaedia-genant"),
                    ),
                ),
            ),
        ),
        prompts=("imaging.spine_xray",),
    ),
    Page(
        slug="report-wording",
        title="Report wording that hides a fracture",
        recommendations=(9,),
        summary="Reports often describe a vertebral fracture without the word 'fracture'. Recommendation 9 is "
        "reconstructed.",
        parts=(
            Part(
                "Why it matters",
                (
                    P(
                        "In one audit only 2 of 9 vertebral fractures were called 'fracture' (the others: wedging, "
                        "compression, loss of height, collapse); both called 'fracture' got full work-up and "
                        "treatment, unlike most of the rest.",
                        ("isr-audit",),
                    ),
                    P(
                        "RCR standards: the word 'vertebral fracture' in every report, and further assessment "
                        "recommended every time; a 2019 UK audit found only 5.5% recommended it.",
                        ("rcr-audit", "rcr-audit-2019"),
                    ),
                ),
            ),
            Part(
                "Words that usually mean a fracture (confirm with the radiologist)",
                (
                    P(
                        "Wedging, wedge deformity, loss of vertebral height, height loss, reduced height, collapse, "
                        "compression, crush, biconcave, codfish, endplate depression, vertebral deformity, vertebra "
                        "plana.",
                        ("isr-audit", "erohub-patient"),
                    ),
                    P(
                        "Genant grades: 1 mild (about 20-25% height loss), 2 moderate (25-40%), 3 severe (over 40%). "
                        "Anterior loss is a wedge; middle, biconcave; posterior, crush.",
                        ("radiopaedia-genant",),
                    ),
                    P(
                        "An old, healed or unchanged fracture is still a prevalent fragility fracture for bone "
                        "protection (standard radiology teaching, no guideline passage seen: P); NOGG advises "
                        "considering treatment after a prior or recent fragility fracture.",
                        ("nogg-s4",),
                    ),
                ),
            ),
            Part(
                "Not a fracture on their own",
                (
                    P(
                        "Schmorl's nodes, degenerative change, disc-space narrowing, Scheuermann's, limbus vertebra "
                        "and Cupid's bow can mimic a fracture; 'mild' or 'physiological' wedging at the "
                        "thoracolumbar junction is ambiguous: ask.",
                        ("mimics",),
                    ),
                    P(
                        "'Compression' of the cord, a nerve root or the thecal sac, and loss of disc height, are not "
                        "vertebral fractures (standard radiology teaching, no guideline passage seen: P); cord "
                        "compression goes by the red-flag route, with cancer the metastatic spinal cord compression "
                        "pathway (P).",
                        ("nice-ng234",),
                    ),
                    P(
                        "Lytic, destructive, pathological, metastasis, myeloma, soft-tissue mass, retropulsion or "
                        "burst: a possible non-osteoporotic cause, so the red-flag route (P).",
                        ("nice-ng234", "dg-atraumatic"),
                    ),
                ),
            ),
        ),
        prompts=("report.",),
    ),
    Page(
        slug="red-flags",
        title="Red flags: when routine imaging is not the route",
        recommendations=(8,),
        summary="Exclude serious spinal pathology before treating back pain as an osteoporotic fracture.",
        parts=(
            Part(
                "The red flags",
                (
                    P(
                        "Fracture: sudden pain after major trauma, or after minor trauma with osteoporosis or "
                        "corticosteroids; structural deformity; severe central pain relieved by lying down.",
                        ("cks-red-flags",),
                    ),
                    P(
                        "Cancer: new pain over 50 (some say 55) or under 20; past cancer; no better after a month; "
                        "night pain not eased by changing position; pain at several sites; unexplained weight loss.",
                        ("cks-red-flags",),
                    ),
                    P(
                        "Infection: fever or rigors; immunosuppression; intravenous drug use; recent bacterial "
                        "infection; a penetrating wound.",
                        ("cks-red-flags",),
                    ),
                    P(
                        "Cauda equina: faecal incontinence or a lax anal sphincter; urinary retention or "
                        "incontinence; a severe or progressive neurological deficit in the legs (weakness or "
                        "numbness) or gait disturbance; saddle anaesthesia.",
                        ("cks-red-flags",),
                    ),
                    P(
                        "Single red flags are weak: weigh them together, with clinical reasoning. Older age, "
                        "prolonged corticosteroids and severe trauma raise the chance of fracture; past cancer "
                        "raises the chance of malignancy.",
                        ("ifompt", "downie-bmj"),
                    ),
                ),
            ),
            Part(
                "What to do",
                (
                    P(
                        "Suspected cauda equina, or a significant or rapidly worsening deficit: emergency referral "
                        "to the emergency department now, for MRI; tell the patient to go to A&E or call 111 "
                        "straight away if signs appear later.",
                        ("kernow-imaging", "dg-atraumatic", "nhs-cauda-equina"),
                    ),
                    P(
                        "Known cancer with new spinal pain: the metastatic spinal cord compression pathway (NICE "
                        "NG234; timings P).",
                        ("nice-ng234",),
                    ),
                    P(
                        "Fever, immunosuppression or intravenous drug use: same-day assessment for infection (P).",
                        ("cks-red-flags",),
                    ),
                    P(
                        "Age 60 or over with persistent back pain or an unexplained fracture: full blood count, "
                        "calcium and ESR or plasma viscosity for myeloma (P).",
                        ("nice-ng12",),
                    ),
                    P("Major trauma or a suspected unstable fracture: emergency department.", ("bnssg-imaging",)),
                ),
            ),
        ),
        prompts=("red_flag.",),
    ),
)

BY_SLUG = {p.slug: p for p in PAGES}


def page_for_prompt(prompt_id: str) -> Page | None:
    """The guidance page a prompt's card links to, if any."""
    for page in PAGES:
        for pattern in page.prompts:
            if prompt_id == pattern or (pattern.endswith(".") and prompt_id.startswith(pattern)):
                return page
    return None
