"""The sources the resources cite: the rules' sources plus the facts added in docs/clinical-sources.md.

Every fact on a leaflet, decision aid or guidance page names one of these. Status marks follow ../shared/clinical/:
``V`` checked against the source, ``P`` right source but passage not seen, ``R`` reconstructed (Bennett et al.
recommendations 9-14). The ids added here (not in ``core.rules.sources``) are listed with their URL and mark in
docs/clinical-sources.md, or come from ../shared/clinical/ (the section is named in ``where``).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.rules.sources import SOURCES as RULE_SOURCES


@dataclass(frozen=True, slots=True)
class Cite:
    id: str
    short: str  # a few words, shown on printed pages
    label: str
    url: str
    status: str  # V, P or R
    where: str  # where the fact is recorded: ../shared/clinical/... or docs/clinical-sources.md


_SHARED_ID = "../shared/clinical/identification.md"
_SHARED_TR = "../shared/clinical/treatment-and-coding.md"
_ADDED = "docs/clinical-sources.md"

# Short names for the rules' sources used here (the rules keep their own labels and marks).
_RULE_SHORT = {
    "bennett-t6": ("Bennett et al. 2024, Table 6", _SHARED_ID + " section 1"),
    "bennett-reconstructed": ("Bennett et al. 2024 (recommendations 9-14 reconstructed)", _SHARED_ID + " section 1"),
    "nogg-s3-r4": ("NOGG 2022 section 3", _SHARED_ID + " section 4"),
    "nogg-s3-r4-gc": ("NOGG 2022 section 3, 'long-term' glucocorticoids", _SHARED_ID + " section 4"),
    "nogg-s4": ("NOGG 2022 section 4", _SHARED_TR + " section 1.2"),
    "nogg-s4-very-high": ("NOGG 2022 section 4, very high risk", _SHARED_TR + " section 1.4"),
    "nogg-summary": ("NOGG 2022 summary", _SHARED_TR + " section 1.9"),
    "nogg-drugs": ("NOGG 2022 first-line drugs", _SHARED_TR + " section 1.5"),
    "nogg-investigations": ("NOGG 2022 investigations", _SHARED_TR + " section 1.8"),
    "nogg-tool": ("NOGG threshold tool", _SHARED_TR + " section 1.3"),
    "nogg-s8": ("NOGG 2022 section 8", _SHARED_ID + " section 2.2"),
    "nogg-s9-r6": ("NOGG 2022 section 9", _SHARED_ID + " section 4"),
    "nogg-2017-calcium": ("NOGG 2017 calcium and vitamin D", _SHARED_TR + " section 1.9"),
    "nice-cg146": ("NICE CG146", _SHARED_TR + " section 2.1"),
    "nice-ng59": ("NICE NG59", _SHARED_ID + " section 5.1"),
    "nice-ng12": ("NICE NG12", _SHARED_ID + " section 5.4"),
    "nice-ng234": ("NICE NG234", _SHARED_ID + " section 5.5"),
    "cks-red-flags": ("NICE CKS red flags", _SHARED_ID + " section 5.2"),
    "nice-ta279": ("NICE TA279", _SHARED_ID + " section 2.2"),
    "nice-ta204": ("NICE TA204", _SHARED_TR + " section 2.3"),
    "nice-qs149-s4": ("NICE QS149", _SHARED_TR + " section 2.6"),
    "smpc-alendronate": ("Alendronic acid SmPC", _SHARED_TR + " section 2.7"),
    "nhs-alendronic-acid": ("NHS.UK alendronic acid", _SHARED_TR + " section 2.7"),
    "mhra-denosumab": ("MHRA denosumab", _SHARED_TR + " section 3.2"),
    "rcr-2023": ("RCR 2023", _SHARED_ID + " section 6.1"),
    "isr-audit": ("ISR audit", _SHARED_ID + " section 6.3"),
    "erohub-patient": ("Spinal fracture patient guide (EROHub)", _SHARED_ID + " section 1"),
    "bnssg-imaging": ("BNSSG Remedy", _SHARED_ID + " section 4"),
    "bnssg-patient": ("BNSSG My Joint Health", _SHARED_ID + " section 3.1"),
    "clark-2016": ("Clark et al. 2016", _SHARED_ID + " section 3.1"),
    "siminoski-2006": ("Siminoski et al. 2006", _SHARED_ID + " section 4"),
    "lindsay-2001": ("Lindsay et al. 2001", _SHARED_ID + " section 7"),
}

_EXTRA = (
    Cite(
        "bennett-t3",
        "Bennett et al. 2024, Table 3",
        "Bennett et al. 2024, Table 3: barriers and facilitators (pain mistaken for other problems; not wanting to "
        "bother anyone)",
        "https://bmcmusculoskeletdisord.biomedcentral.com/articles/10.1186/s12891-024-07281-9/tables/3",
        "V",
        _SHARED_ID + " section 1",
    ),
    Cite(
        "coshiba",
        "COSHIBA",
        "COSHIBA: about two-thirds of vertebral fractures are never diagnosed",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC3378696",
        "V",
        _SHARED_ID + " section 7",
    ),
    Cite(
        "falls-vf",
        "Osteoporosis International 2019",
        "About a quarter of vertebral fractures follow a fall; most follow bending, lifting or stairs",
        "https://link.springer.com/article/10.1007%2Fs11657-019-0558-5",
        "V",
        _SHARED_ID + " section 7",
    ),
    Cite(
        "klotzbuecher-2000",
        "Klotzbuecher et al. 2000",
        "Klotzbuecher et al., J Bone Miner Res 2000: a prior vertebral fracture about quadruples the risk of another",
        "https://pubmed.ncbi.nlm.nih.gov/10780864/",
        "V",
        _SHARED_ID + " section 7",
    ),
    Cite(
        "nos-2017",
        "NOS 2017 (press summary)",
        "National Osteoporosis Society 2017 guidance, as summarised in the press: treatment cuts further-fracture "
        "risk by 50-80% within 6-12 months; 20% of women with a recent vertebral fracture have another within a year",
        "https://speciality.medicaldialogues.in/amp/nos-uk-releases-guidance-for-effective-identification-of-vertebral-fractures",
        "V",
        _SHARED_ID + " section 2.1 (secondary source)",
    ),
    Cite(
        "aomrc-ebi",
        "AoMRC EBI",
        "Academy of Medical Royal Colleges, Evidence-Based Interventions: vertebral fractures heal in 2-12 weeks; "
        "no benefit shown from bracing or manual therapy",
        "https://www.aomrc.org.uk/ebi/clinicians/vertebral-augmentation-vertebroplasty-or-kyphoplasty-for-painful-osteoporotic-vertebral-fractures/",
        "V",
        _SHARED_ID + " section 2.2",
    ),
    Cite(
        "kernow-imaging",
        "Kernow referral criteria",
        "Kernow (Cornwall) referral criteria: suspected low-trauma vertebral fracture, DXA vertebral fracture "
        "assessment from 50 to 80, plain films otherwise",
        "http://rms.kernowccg.nhs.uk/primary_care_clinical_referral_criteria/primary_care_clinical_referral_criteria/diagnostics_and_imaging/suspected_low_no_trauma_vertebral_fracture",
        "V",
        _SHARED_ID + " section 4",
    ),
    Cite(
        "dg-atraumatic",
        "NHS Dumfries and Galloway",
        "NHS Dumfries and Galloway: atraumatic vertebral fracture (bloods, myeloma screen, red flags to urgent MRI)",
        "https://www.rightdecisions.scot.nhs.uk/dgrefhelp-nhs-dumfries-galloway/osteoporosis/atraumatic-vertebral-fracture/",
        "V",
        _SHARED_ID + " section 5.4",
    ),
    Cite(
        "radiopaedia-genant",
        "Radiopaedia: Genant",
        "Radiopaedia: Genant semi-quantitative grades and fracture shapes (wedge, biconcave, crush)",
        "https://www.radiopaedia.org/articles/genant-classification-of-vertebral-fractures",
        "V",
        _SHARED_ID + " section 6.2",
    ),
    Cite(
        "iof-fractured",
        "IOF teaching programme",
        "IOF vertebral fracture teaching programme: write 'fracture' to avoid ambiguity",
        "https://www.iofbonehealth.org/what-we-do/training-and-education/educational-slide-kits/vertebral-fracture-teaching-program",
        "V",
        _SHARED_ID + " section 6.1",
    ),
    Cite(
        "rcr-audit",
        "RCR audit standards",
        "RCR audit standards for reporting vertebral fragility fractures",
        "https://rcr.ac.uk/career-development/audit-quality-improvement/auditlive-radiology/radiological-guidance-for-the-recognition-and-reporting-of-osteoporotic-vertebral-fragility-fractures-vffs",
        "V",
        _SHARED_ID + " section 6.1",
    ),
    Cite(
        "mitchell-2017",
        "Mitchell et al. 2017",
        "Mitchell et al. 2017: 41% of hip-fracture patients with earlier spine imaging had a vertebral fracture; "
        "54% of those were unreported",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC5547187",
        "V",
        _SHARED_ID + " section 7",
    ),
    Cite(
        "ros-prevalence",
        "ROS",
        "Royal Osteoporosis Society: more than 1 in 10 women over 50, and 1 in 5 over 70, have a spinal fracture",
        "https://theros.org.uk/healthcare-sector-news/new-report-identifies-huge-opportunity-for-radiologists-to-refer-patients-with-spinal-fractures",
        "V",
        _SHARED_ID + " section 7",
    ),
    Cite(
        "downie-bmj",
        "Downie et al. (BMJ)",
        "Downie et al., BMJ: red flags for fracture and malignancy in low back pain",
        "https://pubmed.ncbi.nlm.nih.gov/25257627/",
        "V",
        _SHARED_ID + " section 5.2",
    ),
    Cite(
        "mhra-ear",
        "MHRA 2015 ear osteonecrosis",
        "MHRA Drug Safety Update (December 2015): bisphosphonates and osteonecrosis of the external auditory canal",
        "https://www.mims.co.uk/bisphosphonates-rare-risk-ear-osteonecrosis/endocrine/article/1377213",
        "V",
        _SHARED_TR + " section 3.2",
    ),
    Cite(
        "nogg-s1",
        "NOGG 2022 section 1",
        "NOGG 2022, section 1, scope: postmenopausal women and men aged 50 and over; younger people with fractures "
        "need a secondary-cause work-up and usually specialist referral",
        "https://nogg.org.uk/full-guideline/section-1-scope-guideline",
        "V",
        _SHARED_TR + " section 1.1",
    ),
    Cite(
        "vfrac-men",
        "Vfrac in men",
        "Applicability of Vfrac in men: no gender-specific barriers",
        "https://www.springermedicine.com/back-pain/back-pain/applicability-of-vfrac-in-men-a-qualitative-study-of-an-osteopor/50224590",
        "V",
        _SHARED_ID + " section 3.1",
    ),
    Cite(
        "vfrac-face",
        "Vfrac self-completion study",
        "Vfrac: its physical measurements must be taken face to face (self-report agreement kappa 0.53)",
        "https://research-information.bris.ac.uk/en/publications/acceptability-of-self-completion-versus-face-to-face-use-of-a-ver/",
        "V",
        _SHARED_ID + " section 3.1",
    ),
    Cite(
        "clark-2010",
        "Clark et al. 2010",
        "Clark et al. 2010: lateral waist-area pain on a pain diagram, odds ratio 4.48 for vertebral fracture",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC2895162",
        "V",
        _SHARED_ID + " section 3.1",
    ),
    Cite(
        "mimics",
        "Normal variants (PMC4519278)",
        "Normal variants and Schmorl nodes can mimic vertebral fractures",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC4519278/",
        "V",
        _SHARED_ID + " section 6.3",
    ),
    Cite(
        "ifompt",
        "IFOMPT red-flag framework",
        "Finucane et al., JOSPT 2020: international framework for red flags (single red flags are weak; use "
        "clinical reasoning)",
        "https://researchers.mq.edu.au/en/publications/international-framework-for-red-flags-for-potential-serious-spina",
        "V",
        _SHARED_ID + " section 5.3",
    ),
    Cite(
        "nice-qs155",
        "NICE QS155",
        "NICE QS155 statement 2: no imaging for low back pain in non-specialist settings unless serious pathology "
        "is suspected",
        "https://nice.org.uk/guidance/qs155/chapter/Quality-statement-2-Referrals-for-imaging",
        "V",
        _SHARED_ID + " section 5.1",
    ),
    Cite(
        "rcr-audit-2019",
        "UK audit 2019",
        "2019 UK audit: only 5.5% of reports of vertebral fracture recommended further investigation",
        "https://cdn.auntminnieeurope.com/clinical-news/article/15655926/radiologists-urged-to-cover-spinal-fractures-in-alerts",
        "V",
        _SHARED_ID + " section 6.1",
    ),
    Cite(
        "frax-inputs",
        "FRAX inputs",
        "FRAX (UK model) inputs: prior fragility fracture, parental hip fracture, current smoking, oral "
        "glucocorticoids, rheumatoid arthritis, secondary osteoporosis, alcohol 3 units a day or more",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC4176573/table/Tab3",
        "V",
        _SHARED_TR + " section 6",
    ),
    # --- added by this work: docs/clinical-sources.md ------------------------------------------------------
    Cite(
        "nhs-osteoporosis-diagnosis",
        "NHS.UK osteoporosis diagnosis",
        "NHS.UK, osteoporosis: diagnosis (DXA scan; T-score against a healthy young adult; below -2.5 is osteoporosis)",
        "http://www.nhs.uk/Conditions/Osteoporosis/Pages/Diagnosis.aspx",
        "V",
        _ADDED,
    ),
    Cite(
        "nhs-alendronic-acid-about",
        "NHS.UK alendronic acid",
        "NHS.UK, alendronic acid: about, key facts and how to take it",
        "https://www.nhs.uk/medicines/alendronic-acid/",
        "V",
        _ADDED,
    ),
    Cite(
        "nhs-osteoporosis-causes",
        "NHS.UK osteoporosis causes",
        "NHS.UK, osteoporosis: causes (women are at greater risk with an early menopause, before the age of 45); "
        "passage seen only in copies of the NHS text",
        "https://www.nhs.uk/conditions/osteoporosis/causes/",
        "P",
        _ADDED,
    ),
    Cite(
        "nhs-alendronic-acid-questions",
        "NHS.UK alendronic acid questions",
        "NHS.UK, common questions about alendronic acid (takes months to work; rare ear and thigh-bone harms "
        "after 2 years; review after 3 to 5 years)",
        "https://www.nhs.uk/medicines/alendronic-acid/common-questions-about-alendronic-acid",
        "V",
        _ADDED,
    ),
    Cite(
        "nice-decision-aid",
        "NICE decision support 2017",
        "NICE decision support, bisphosphonates for treating osteoporosis (TA464, September 2017)",
        "https://www.evidence.nhs.uk/document?id=1907345",
        "V",
        _ADDED,
    ),
    Cite(
        "nhs-cauda-equina",
        "Chesterfield Royal Hospital NHS",
        "Chesterfield Royal Hospital NHS Foundation Trust: cauda equina syndrome warning signs and what to do",
        "https://chesterfieldroyal.nhs.uk/all-services-and-wards/physiotherapy-services/musculoskeletal-and-rheumatology-services/cauda-equina",
        "V",
        _ADDED,
    ),
    Cite(
        "mhra-aff",
        "MHRA 2011 thigh-bone fractures",
        "MHRA Drug Safety Update (June 2011): bisphosphonates and atypical femoral fractures (thigh or groin pain "
        "may come first)",
        "https://www.gov.uk/drug-safety-update/bisphosphonates-atypical-femoral-fractures",
        "V",
        _ADDED,
    ),
    Cite(
        "fukui-2008",
        "Fukui cohort 2008",
        "Fukui Osteoporosis Cohort, BMC Musculoskelet Disord 2008;9:157: wall-occiput distance, rib-pelvis "
        "distance and arm span-height difference as screens for vertebral deformity",
        "https://bmcmusculoskeletdisord.biomedcentral.com/articles/10.1186/1471-2474-9-157",
        "V",
        _ADDED,
    ),
    Cite(
        "siminoski-2003",
        "Siminoski et al. 2003",
        "Siminoski et al. 2003: rib-pelvis distance for lumbar vertebral fractures (2 fingerbreadths, 3.6 cm)",
        "http://www.medicalalgorithms.com/detecting-compression-fracture-of-a-lumbar-vertebra-based-on-the-rib-to-pelvis-distance-in-the-midaxillary-line",
        "P",
        _ADDED,
    ),
)


def _from_rules(source_id: str) -> Cite:
    s = RULE_SOURCES[source_id]
    short, where = _RULE_SHORT[source_id]
    return Cite(s.id, short, s.label, s.url, s.status, where)


CITES: dict[str, Cite] = {**{i: _from_rules(i) for i in _RULE_SHORT}, **{c.id: c for c in _EXTRA}}


def cite(source_id: str) -> Cite:
    return CITES[source_id]
