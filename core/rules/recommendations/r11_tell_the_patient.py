"""Recommendation 11 (reconstructed): tell the patient about the fracture and what it means."""

from ..facts import Facts
from ..logic import Tri, all_of, fact, not_known_true
from ..recommendation import Recommendation, Rule, acts


def _condition(f: Facts) -> Tri:
    # prompts.md: an unknown record is treated as "not told" and said so.
    told = fact(f.inp.record.patient_told_diagnosis, "record.patient_told_diagnosis")
    return all_of(f.confirmed, not_known_true(told))


def _detail(f: Facts) -> str:
    lead = "If not already done: t" if f.inp.record.patient_told_diagnosis is None else "T"
    return (
        f"{lead}ell the patient that the imaging shows a broken bone in the spine (a vertebral fracture), that "
        "this usually means the bones have become fragile, that another fracture is more likely without "
        "treatment (about 1 in 5 women have another vertebral fracture within a year of a new one), and that "
        "treatment lowers that risk. Record that they have been told."
    )


TELL = Rule(
    id="diagnosis.tell_patient",
    version=3,
    category="diagnosis",
    priority="routine",
    title="Tell the patient about the fracture and what it means",
    title_kind="advise",
    fires_when="confirmed fracture and the patient is not recorded as told (unknown counts as not told)",
    effect="telling the patient",
    recommendations=(11,),
    sources=("bennett-reconstructed", "lindsay-2001"),
    condition=_condition,
    detail=_detail,
    actions=acts(("advise", "Explain the fracture and what it means, and record that the patient was told")),
)

RECOMMENDATION = Recommendation(
    number=11,
    version=1,
    title="Tell the patient about the fracture and what it means",
    audience="clinicians",
    status="reconstructed",
    citations=("bennett-reconstructed",),
    product="A prompt until the record says the patient has been told.",
    rules=(TELL,),
)
