"""The fracture liaison service referral letter (issue 27, points 2 and 3)."""

from __future__ import annotations

import pytest

from apps.assessments.fls import NOT_SET, REFERRAL_CODE_NOTE, eligible
from apps.assessments.models import FlsReferral, FlsService, ImmutableError
from apps.assessments.services import assessment_create, decision_record
from apps.audit.models import AuditEvent
from tests.rules.conftest import load_vignettes

pytestmark = pytest.mark.django_db

VIGNETTES = {v["name"]: v for v in load_vignettes()}
CONFIRMED = VIGNETTES["man-recent-confirmed-fracture"]["input"]


@pytest.fixture
def gp(client, make_user):
    user = make_user("gp1", role="gp")
    client.force_login(user)
    return user


def test_the_letter_from_a_confirmed_fracture_has_every_part_and_says_what_is_not_set(client, gp):
    assessment = assessment_create(user=gp, data=CONFIRMED)
    decision_record(user=gp, assessment=assessment, prompt_id="investigations.bloods", choice="done")
    assert eligible(assessment)
    detail = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert f'href="/assessments/{assessment.pk}/fls-referral/"' in detail
    page = client.get(f"/assessments/{assessment.pk}/fls-referral/")
    assert page.status_code == 200
    titles = [s.title for s in page.context["sections"]]
    assert titles == [
        "To", "Reason for referral", "The fracture", "Risk factors", "FRAX inputs", "Medicines that matter",
        "Bloods and checks due", "Already done by the practice", "Codes",
    ]  # fmt: skip
    text = page.context["text"]
    assert f"Service: {NOT_SET}" in text and REFERRAL_CODE_NOTE in text
    assert "Blood tests after a vertebral fracture" in text  # the bloods due, from the prompt
    assert "- Blood tests after a vertebral fracture" in text.split("ALREADY DONE BY THE PRACTICE")[1]
    assert "The local service is not set" in page.content.decode()


def test_making_the_letter_keeps_it_with_the_assessment_and_audits_it(client, gp):
    FlsService.objects.create(name="North FLS", email="fls@example.nhs.uk", address="1 High Street")
    assessment = assessment_create(user=gp, data=CONFIRMED)
    response = client.post(f"/assessments/{assessment.pk}/fls-referral/")
    assert response.status_code == 302
    referral = FlsReferral.objects.get()
    assert referral.assessment == assessment and "Service: North FLS" in referral.letter
    assert "Email: fls@example.nhs.uk" in referral.letter
    event = AuditEvent.objects.get(event=AuditEvent.Event.DECISION, target_type="fls_referral")
    assert event.detail == {"assessment": str(assessment.pk), "action": "fls_referral_made"}
    again = client.get(f"/assessments/{assessment.pk}/fls-referral/").content.decode()
    assert "kept with the assessment" in again
    with pytest.raises(ImmutableError):
        referral.delete()


def test_no_letter_without_an_fls_prompt_or_for_someone_elses_assessment(client, gp, make_user):
    plain = assessment_create(user=gp, data={"age": 40, "sex": "male", "back_pain": {"present": False}})
    assert not eligible(plain)
    assert client.get(f"/assessments/{plain.pk}/fls-referral/").status_code == 404
    other = assessment_create(user=make_user("gp2", role="gp"), data=CONFIRMED)
    assert client.get(f"/assessments/{other.pk}/fls-referral/").status_code == 404
