"""Recommendation 2: tell patients the risk factors, such as the menopause and steroid tablets.

It has no prompt of its own: patient_info.about_vertebral_fracture (recommendations 1-3) carries the patient's own
risk factors.
"""

from ..recommendation import Recommendation

RECOMMENDATION = Recommendation(
    number=2,
    version=1,
    title="Tell patients the risk factors, such as the menopause and steroid tablets",
    audience="patients",
    status="verified",
    citations=("bennett-t6",),
    product="The patient leaflet, personalised with the patient's own risk factors "
    "(prompt patient_info.about_vertebral_fracture).",
)
