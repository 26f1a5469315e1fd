"""Recommendation 14 (reconstructed): plain explanations of the words in reports, and encouragement to ask."""

from ..facts import Facts
from ..logic import NO, Tri, any_of, yes
from ..recommendation import Recommendation, Rule, acts

_REPORT_GIVEN = yes("a radiology report was given")


def _condition(f: Facts) -> Tri:
    return any_of(_REPORT_GIVEN if f.report_given else NO, f.confirmed)


UNDERSTANDING = Rule(
    id="patient_info.understanding_reports",
    version=2,
    category="patient_info",
    priority="info",
    title="Explain the report's words in plain language",
    title_kind="advise",
    fires_when="report text given, or confirmed fracture",
    effect="explaining the report",
    recommendations=(14,),
    sources=("bennett-reconstructed", "erohub-patient"),
    condition=_condition,
    detail=lambda f: (
        "Words such as 'wedging', 'collapse', 'loss of height' or 'compression' in a report usually mean a "
        "broken bone in the spine. Explain them, and encourage the patient to ask about their results and what "
        "happens next."
    ),
    actions=acts(("advise", "Explain the report in plain words and invite questions")),
)

RECOMMENDATION = Recommendation(
    number=14,
    version=1,
    title="Explain the medical words in reports and letters, and encourage patients to ask about results",
    audience="patients",
    status="reconstructed",
    citations=("bennett-reconstructed",),
    product="Glossary and an 'understanding your results' section.",
    rules=(UNDERSTANDING,),
)
