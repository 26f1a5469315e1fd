"""Report screening in the app: highlighted matches, the resulting prompt, and the review of a probable fracture."""

from __future__ import annotations

import pytest

from apps.assessments.models import Assessment, ReportReview
from apps.assessments.reports import highlighted
from apps.assessments.services import assessment_create
from apps.audit.models import AuditEvent
from core.rules.report import screen_report

WEDGING = "FINDINGS: Anterior wedging of T8 with 30% loss of anterior vertebral height. Degenerative change."


@pytest.fixture
def gp(make_user, client):
    user = make_user("gp1", role="gp")
    client.force_login(user)
    return user


def probable_assessment(user) -> Assessment:
    data = {
        "assessor_role": "gp",
        "age": 72,
        "sex": "female",
        "spine_imaging": {"result": "not_done", "report_text": WEDGING},
        "record": {"vertebral_fracture_coded": False},
    }
    return assessment_create(user=user, data=data)


def test_highlighted_segments_rebuild_the_text_and_mark_each_match():
    matches = screen_report(WEDGING).as_dict()["matches"]
    segments = highlighted(WEDGING, matches)
    assert "".join(s["text"] for s in segments) == WEDGING
    assert [s["cls"] for s in segments if "cls" in s] == [m["class"] for m in matches]


def test_pasting_a_report_shows_the_marks_levels_and_prompt_and_stores_nothing(client, gp):
    html = client.post("/reports/screen/", {"report_text": WEDGING}).content.decode()
    assert '<mark class="sp-mark sp-mark--probable"' in html
    assert '<dd class="nhsuk-summary-list__value" id="report-levels">T8</dd>' in html
    assert "report.probable_fracture" in html
    assert not Assessment.objects.exists()
    assert not AuditEvent.objects.exclude(event="login").exists()


@pytest.mark.parametrize(
    ("text", "error"),
    [("   ", "Radiology report text is required"), ("x" * 20_001, "must be at most 20,000 characters")],
)
def test_a_bad_paste_names_the_field(client, gp, text, error):
    response = client.post("/reports/screen/", {"report_text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and error in html
    assert 'href="#id_report_text"' in html


def test_the_stored_report_is_shown_marked_and_its_view_audited(client, gp):
    assessment = probable_assessment(gp)
    html = client.get(f"/assessments/{assessment.pk}/report/").content.decode()
    assert '<mark class="sp-mark sp-mark--probable"' in html
    assert "Did the radiologist confirm a fracture?" in html
    assert AuditEvent.objects.filter(event="view", detail__page="report", target_id=str(assessment.pk)).exists()
    assert f"/assessments/{assessment.pk}/report/" in client.get(f"/assessments/{assessment.pk}/").content.decode()


def test_confirming_a_probable_fracture_reassesses_with_the_fracture_so_the_coding_prompt_follows(client, gp):
    assessment = probable_assessment(gp)
    assert "diagnosis.record_vertebral_fracture" not in [p["id"] for p in assessment.prompts]
    response = client.post(f"/assessments/{assessment.pk}/report/review/", {"outcome": "confirmed"})
    review = ReportReview.objects.get()
    new = review.reassessment
    assert response.status_code == 302 and response["Location"] == f"/assessments/{new.pk}/"
    assert new.input_snapshot["spine_imaging"]["result"] == "fracture"
    assert new.input_snapshot["spine_imaging"]["fracture_count"] == 1  # one level found: T8
    assert "diagnosis.record_vertebral_fracture" in [p["id"] for p in new.prompts]
    page = client.get(response["Location"]).content.decode()
    assert 'id="confirmed-from"' in page and f"/assessments/{assessment.pk}/report/" in page
    event = AuditEvent.objects.get(event="decision")
    assert event.detail == {"prompt": "report.probable_fracture", "review": "confirmed", "reassessment": str(new.pk)}
    shown = next(p["rule_version"] for p in assessment.prompts if p["id"] == "report.probable_fracture")
    assert event.rules == [{"id": "report.probable_fracture", "version": shown}]  # the version that was shown
    # The original is unchanged, and is not reviewed twice.
    assessment.refresh_from_db()
    assert assessment.input_snapshot["spine_imaging"]["result"] == "not_done"
    again = client.post(f"/assessments/{assessment.pk}/report/review/", {"outcome": "rejected"})
    assert again.status_code == 400
    assert ReportReview.objects.count() == 1
    # The re-assessment, with the fracture confirmed, neither prompts to confirm it nor asks again (issue 23), and
    # codes the level the report names: thoracic only.
    assert "report.probable_fracture" not in [p["id"] for p in new.prompts]
    record = next(p for p in new.prompts if p["id"] == "diagnosis.record_vertebral_fracture")
    assert [c["code"] for c in record["codes"]] == ["306171000000106", "203451004"]
    report_page = client.get(f"/assessments/{new.pk}/report/").content.decode()
    assert "Did the radiologist confirm a fracture?" not in report_page


def test_rejecting_is_stored_and_shown_without_a_new_assessment(client, gp):
    assessment = probable_assessment(gp)
    response = client.post(f"/assessments/{assessment.pk}/report/review/", {"outcome": "rejected"})
    assert response.status_code == 302
    assert Assessment.objects.count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "<strong>Reviewed:</strong> Not a vertebral fracture" in html


def test_a_review_without_an_answer_is_refused(client, gp):
    assessment = probable_assessment(gp)
    response = client.post(f"/assessments/{assessment.pk}/report/review/", {})
    assert response.status_code == 400
    assert "Select whether the radiologist confirmed a vertebral fracture" in response.content.decode()
    assert not ReportReview.objects.exists()
