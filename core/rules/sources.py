"""Every source the rules cite, with how sure we are of the passage relied on.

Status marks follow ../shared/clinical/: ``V`` checked against the source; ``P`` the right primary source, passage
not seen (re-check before release; each is in the hazard log); ``R`` reconstructed wording (Bennett et al. 2024
recommendations 9-14, whose Table 6 rows could not be read).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    label: str
    url: str
    status: str  # V, P or R

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "label": self.label, "url": self.url, "status": self.status}


_BENNETT = "https://bmcmusculoskeletdisord.biomedcentral.com/articles/10.1186/s12891-024-07281-9"
_NOGG = "https://www.nogg.org.uk/full-guideline/"

SOURCES: dict[str, Source] = {
    s.id: s
    for s in (
        Source(
            "bennett-t6",
            "Bennett et al. 2024, BMC Musculoskelet Disord 25:165, Table 6",
            f"{_BENNETT}/tables/6",
            "V",
        ),
        Source(
            "bennett-reconstructed",
            "Bennett et al. 2024, BMC Musculoskelet Disord 25:165 (recommendations 9-14 reconstructed "
            "from the abstract and results; Table 6 wording not seen)",
            _BENNETT,
            "R",
        ),
        Source(
            "nogg-s3-r4",
            "NOGG 2022, section 3, recommendation 4 (who needs vertebral fracture assessment)",
            f"{_NOGG}section-3-fracture-risk-assessment-and-case-finding",
            "V",
        ),
        Source(
            "nogg-s3-r4-gc",
            "NOGG 2022, section 3, recommendation 4: 'long-term' oral glucocorticoids (duration not defined; "
            "3 months or more is the usual convention)",
            f"{_NOGG}section-3-fracture-risk-assessment-and-case-finding",
            "P",
        ),
        Source(
            "nogg-s4",
            "NOGG 2022, section 4, intervention thresholds and strategy",
            f"{_NOGG}section-4-intervention-thresholds-and-strategy",
            "V",
        ),
        Source(
            "nogg-s4-very-high",
            "NOGG 2022, section 4, very-high-risk criteria and specialist referral",
            f"{_NOGG}section-4-intervention-thresholds-and-strategy",
            "P",
        ),
        Source(
            "nogg-summary",
            "NOGG 2022 (updated 2024), summary of main recommendations",
            "https://nogg.org.uk/full-guideline/summary-main-recommendations",
            "V",
        ),
        Source(
            "nogg-drugs",
            "NOGG 2022, first-line drugs (summary of main recommendations, later part)",
            "https://nogg.org.uk/full-guideline/summary-main-recommendations",
            "P",
        ),
        Source(
            "nogg-duration",
            "NOGG 2022, treatment review and duration (continue or pause)",
            "https://nogg.org.uk/full-guideline/summary-main-recommendations",
            "P",
        ),
        Source(
            "nogg-giop",
            "NOGG 2022, glucocorticoid-induced osteoporosis",
            "https://nogg.org.uk/full-guideline/summary-main-recommendations",
            "P",
        ),
        Source(
            "nogg-investigations",
            "NOGG 2022, investigations for secondary causes and mimics",
            "https://nogg.org.uk/full-guideline/summary-main-recommendations",
            "P",
        ),
        Source(
            "nogg-tool",
            "NOGG threshold tool (FRAX without BMD): what each risk band triggers",
            "https://www.nogg.org.uk/manual-data-entry/not-measured-bmd",
            "V",
        ),
        Source(
            "nogg-s8",
            "NOGG 2022, section 8, management of symptomatic vertebral fractures",
            f"{_NOGG}section-8-management-symptomatic-osteoporotic-vertebral-fractures",
            "V",
        ),
        Source(
            "nogg-s9-r6",
            "NOGG 2022, section 9, recommendation 6 (consider vertebral fracture in acute back pain)",
            f"{_NOGG}section-9-models-care-fracture-prevention",
            "V",
        ),
        Source(
            "nogg-s12",
            "NOGG 2022, section 12, audit criteria (denosumab dose timing, 5- and 10-year reviews)",
            f"{_NOGG}section-12-review-criteria-audit-and-quality-improvement",
            "V",
        ),
        Source(
            "nogg-2017-calcium",
            "NOGG 2017, calcium and vitamin D (2022 wording similar)",
            "https://www.sheffield.ac.uk/NOGG/mainrecommendations.html",
            "V",
        ),
        Source(
            "nogg-s1",
            "NOGG 2022 (updated 2024), section 1: fractures in premenopausal women and men under 50 need thorough "
            "investigation for secondary causes; specialist referral is usually required",
            f"{_NOGG}section-1-scope-guideline",
            "V",
        ),
        Source(
            "nice-ng12-hypercalcaemia",
            "NICE NG12, myeloma: very urgent (within 48 hours) protein electrophoresis and Bence Jones protein for "
            "people aged 60 and over with hypercalcaemia and a presentation consistent with myeloma (as quoted by "
            "GatewayC; NICE's page not read)",
            "https://www.gatewayc.org.uk/cancer-keys/myeloma-investigations/",
            "P",
        ),
        Source(
            "nice-ng132",
            "NICE NG132, hyperparathyroidism (primary): repeat albumin-adjusted calcium of 2.6 mmol/L or more, with "
            "PTH (as summarised elsewhere; NICE's page not read)",
            "https://www.nice.org.uk/guidance/ng132",
            "P",
        ),
        Source(
            "cks-hypercalcaemia",
            "NICE CKS, hypercalcaemia: severe or symptomatic hypercalcaemia is admitted for urgent treatment "
            "(3.5 mmol/L or above, or above 3.0 with symptoms: thresholds from secondary summaries)",
            "https://cks.nice.org.uk/topics/hypercalcaemia/",
            "P",
        ),
        Source(
            "ng234-mscc-timing",
            "NICE NG234 (2023) spinal metastases and MSCC: contact the MSCC coordinator immediately for cancer with "
            "symptoms or signs of cord compression (BMJ 2023;383:p1973, NICE's summary [V]); within 24 hours for "
            "cancer with spinal pain suggestive of metastases, as the guideline it replaced said (CG75 [V]; NG234's "
            "own wording of this time not read)",
            "https://www.nice.org.uk/guidance/ng234/chapter/recommendations",
            "P",
        ),
        Source(
            "spinal-infection-same-day",
            "Suspected spinal infection (fever, immunosuppression, intravenous drug use): same-day assessment "
            "(../shared/clinical/identification.md 5.5: the red-flag list is CKS [V], the same-day action [P])",
            "https://g-care.glos.nhs.uk/pathway/72/resource/3",
            "P",
        ),
        Source(
            "girft-ces",
            "GIRFT national suspected cauda equina syndrome pathway (2023): a spinal emergency, seen without delay "
            "for emergency MRI",
            "https://gettingitrightfirsttime.co.uk/pathway-supports-clinicians-to-diagnose-and-treat-cauda-equina-"
            "syndrome-without-delay/",
            "P",
        ),
        Source(
            "nice-cg146",
            "NICE CG146, osteoporosis: assessing the risk of fragility fracture",
            "https://www.nice.org.uk/guidance/cg146",
            "V",
        ),
        Source(
            "nice-ng59",
            "NICE NG59, low back pain and sciatica: exclude specific causes; no routine imaging",
            "https://www.nice.org.uk/guidance/ng59/chapter/Recommendations",
            "V",
        ),
        Source(
            "nice-ng12",
            "NICE NG12, suspected cancer: myeloma (age 60+, persistent bone or back pain)",
            "https://www.nice.org.uk/guidance/ng12",
            "P",
        ),
        Source(
            "nice-ng234",
            "NICE NG234, spinal metastases and metastatic spinal cord compression",
            "https://www.nice.org.uk/guidance/ng234/chapter/recommendations",
            "P",
        ),
        Source(
            "cks-red-flags",
            "NICE CKS back pain red flags (as reproduced by NHS Gloucestershire)",
            "https://g-care.glos.nhs.uk/pathway/72/resource/3",
            "V",
        ),
        Source(
            "nice-ta279",
            "NICE TA279, vertebroplasty and kyphoplasty",
            "https://www.nice.org.uk/guidance/ta279/chapter/1-Guidance",
            "V",
        ),
        Source(
            "nice-ta791",
            "NICE TA791, romosozumab after a major osteoporotic fracture within 24 months",
            "https://nice.org.uk/guidance/ta791/chapter/1-Recommendations",
            "V",
        ),
        Source(
            "nice-ta464",
            "NICE TA464, bisphosphonates",
            "https://www.nice.org.uk/guidance/ta464/chapter/1-Recommendations",
            "V",
        ),
        Source(
            "nice-ta204",
            "NICE TA204, denosumab",
            "https://nice.org.uk/guidance/ta204/chapter/1-guidance",
            "V",
        ),
        Source(
            "nice-qs149-s1",
            "NICE QS149 statement 1, fracture risk assessment",
            "https://nice.org.uk/guidance/qs149/chapter/quality-statement-1-assessment-of-fragility-fracture-risk",
            "V",
        ),
        Source(
            "nice-qs149-s4",
            "NICE QS149 statement 4, review of long-term bisphosphonate treatment",
            "https://nice.org.uk/guidance/qs149/chapter/Quality-statement-4-Long-term-follow-up",
            "V",
        ),
        Source(
            "cks-osteoporosis",
            "NICE CKS, osteoporosis: pre-treatment checks",
            "https://cks.nice.org.uk/topics/osteoporosis-prevention-of-fragility-fractures/",
            "P",
        ),
        Source(
            "ros-vitamin-d",
            "Royal Osteoporosis Society (then NOS), Vitamin D and bone health, 2018: serum 25-hydroxyvitamin D "
            "below 25 nmol/L is deficient (as reported by Prescriber; the guideline itself not read; "
            "docs/clinical-sources.md)",
            "https://www.prescriber.co.uk/news/national-osteoporosis-society-publishes-new-guidance-on-vitamin-d/",
            "P",
        ),
        Source(
            "nhs-adjusted-calcium",
            "NHS hypocalcaemia guideline (reviewed August 2022): the reference range for adjusted calcium is "
            "2.2-2.6 mmol/L (docs/clinical-sources.md)",
            "https://aaamedicines.org.uk/guidelines/electrolyte-disturbances/management-of-hypocalcaemia/",
            "V",
        ),
        Source(
            "smpc-denosumab-hypocalcaemia",
            "Denosumab (Prolia) SmPC: hypocalcaemia must be corrected by adequate intake of calcium and vitamin D "
            "before initiating therapy (the maker's copy of the EU SmPC)",
            "https://www.prolia.eu/treat-with-prolia/precautions",
            "V",
        ),
        Source(
            "nhs-cauda-equina",
            "Cauda equina warning signs: go to the Emergency Department or call 111 straight away "
            "(Chesterfield Royal Hospital NHS Foundation Trust; docs/clinical-sources.md)",
            "https://chesterfieldroyal.nhs.uk/all-services-and-wards/physiotherapy-services/"
            "musculoskeletal-and-rheumatology-services/cauda-equina",
            "V",
        ),
        Source(
            "smpc-alendronate",
            "Alendronic acid SmPC: how to take it; renal limit (creatinine clearance 35)",
            "https://medthority.com/drugs/m-musculo-skeletal-system/m05/m05b/m05ba/m05ba04/alendronic-acid-10mg-tablets",
            "V",
        ),
        Source(
            "smpc-risedronate",
            "Risedronate 35 mg SmPC (MHRA), 4.3: contraindicated in hypocalcaemia, pregnancy and lactation, and "
            "severe renal impairment (creatinine clearance below 30 mL/min)",
            "https://www.rxreasoner.com/monographs/risedronate-sodium/usage",
            "V",
        ),
        Source(
            "smpc-zoledronate",
            "Zoledronic acid 5 mg (Aclasta) prescribing information: contraindicated with creatinine clearance below "
            "35 mL/min; pre-existing hypocalcaemia treated before starting; creatinine clearance before each dose",
            "https://sit.mimsdev.com/thailand/drug/info/aclasta/special-precautions",
            "V",
        ),
        Source(
            "nhs-alendronic-acid",
            "NHS.UK, alendronic acid: who can and cannot take it",
            "https://www.nhs.uk/medicines/alendronic-acid/who-can-and-cannot-take-alendronic-acid",
            "V",
        ),
        Source(
            "mhra-denosumab",
            "MHRA Drug Safety Update: denosumab 60 mg, multiple vertebral fractures after "
            "stopping or delaying treatment",
            "https://www.gov.uk/drug-safety-update/denosumab-60mg-prolia-increased-risk-of-multiple-vertebral-fractures-after-stopping-or-delaying-ongoing-treatment",
            "V",
        ),
        Source(
            "rcr-2023",
            "RCR 2023, recognition and reporting of osteoporotic vertebral fragility fractures",
            "https://www.rcr.ac.uk/publication/radiological-guidance-recognition-and-reporting-osteoporotic-vertebral-fragility",
            "V",
        ),
        Source(
            "isr-audit",
            "ISR audit: only 2 of 9 vertebral fractures were called fractures in reports",
            "https://isr.ie/abstracts/breaking-bad-reporting-of-vertebral-fragility-fractures-and-the-impact-to-management-of-bone-health/",
            "V",
        ),
        Source(
            "opencodelists-ff",
            "NHS Digital FF_COD and OSTEO_COD refsets (QOF osteoporosis register, OST004)",
            "https://www.opencodelists.org/codelist/nhsd-primary-care-domain-refsets/ff_cod/20241205",
            "V",
        ),
        Source(
            "erohub-patient",
            "Spinal fracture patient guide co-produced with the Bennett et al. study",
            "https://erohub.co.uk/resources/information-about-spinal-fractures",
            "V",
        ),
        Source(
            "bnssg-imaging",
            "BNSSG Remedy: osteoporotic vertebral fracture (separate thoracic and lumbar views; state the suspicion)",
            "https://remedy.bnssg.icb.nhs.uk/adults/rheumatology/osteoporotic-vertebral-fracture",
            "V",
        ),
        Source(
            "bnssg-patient",
            "BNSSG My Joint Health: vertebral fractures (symptoms, when to seek help)",
            "https://myjointhealthhub.bnssg.nhs.uk/vertebral-fractures/",
            "V",
        ),
        Source(
            "clark-2016",
            "Clark et al. 2016: back pain features that predict vertebral fracture",
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC4791465",
            "V",
        ),
        Source(
            "siminoski-2006",
            "Siminoski et al. 2006: historical height loss and vertebral fracture",
            "https://link.springer.com/article/10.1007%2Fs00198-005-2017-y",
            "V",
        ),
        Source(
            "lindsay-2001",
            "Lindsay et al. 2001: 19.2% new vertebral fracture within a year of one",
            "https://eprints.soton.ac.uk/25762/",
            "V",
        ),
    )
}
