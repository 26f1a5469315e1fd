"""The consultation workflow through the Django test client: assess, store, audit, reopen, decide, print."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory

from apps.assessments.forms import initial_from_contract
from apps.assessments.models import Assessment, Decision, ImmutableError, ShownPrompt
from apps.assessments.selectors import summary_text
from apps.assessments.services import assessment_create, decision_record
from apps.audit.models import AuditEvent
from tests.rules.conftest import load_vignettes

from .test_forms import post_data

VIGNETTES = {v["name"]: v for v in load_vignettes() if "expect" in v}
SUDDEN = VIGNETTES["sudden-thoracic-pain-height-loss"]
CONFIRMED = VIGNETTES["man-recent-confirmed-fracture"]


def answers(case: dict) -> dict:
    return post_data(initial_from_contract(case["input"]))


@pytest.fixture
def gp(make_user, client):
    user = make_user("gp1", role="gp")
    client.force_login(user)
    return user


def submit(client, case: dict):
    return client.post("/assessments/new/", answers(case))


def test_form_page_has_every_section_and_not_known_answers(client, gp):
    html = client.get("/assessments/new/").content.decode()
    for title in [
        "The patient",
        "Back pain",
        "Examination",
        "Risk factors",
        "Red flags",
        "Investigations and fracture risk",
        "Spine imaging and the radiology report",
        "Current bone protection",
        "What the record already holds",
    ]:
        assert f">{title}</h2>" in html, title
    assert html.count(">Not known</label>") >= 20
    # Follow-ups are revealed by "yes" (and still present in the page for browsers without JavaScript).
    assert 'data-reveals="conditional-glucocorticoids__current_or_recent-yes"' in html
    assert 'id="conditional-glucocorticoids__current_or_recent-yes"' in html
    assert "nhsuk-radios__conditional--hidden" in html


@pytest.mark.parametrize("name", sorted(VIGNETTES))
def test_each_vignette_is_stored_with_the_expected_prompts(client, gp, name):
    case = VIGNETTES[name]
    response = submit(client, case)
    assert response.status_code == 302, response.content.decode()[:2000]
    assessment = Assessment.objects.get()
    assert response["Location"] == f"/assessments/{assessment.pk}/"
    ids = [p["id"] for p in assessment.prompts]
    assert set(case["expect"]["include"]) <= set(ids)
    assert not set(case["expect"]["exclude"]) & set(ids)
    assert assessment.user == gp
    assert assessment.rulebook_version == assessment.result["rulebook_version"]
    assert assessment.input_version == assessment.input_snapshot["input_version"] == 1
    assert [s.prompt_id for s in ShownPrompt.objects.filter(assessment=assessment)] == ids

    page = client.get(response["Location"]).content.decode()
    for prompt in assessment.prompts:
        assert prompt["title"] in page.replace("&#x27;", "'")
    assert f"/assessments/new/?from={assessment.pk}" in page


def test_evaluation_and_view_are_audited_without_patient_data(client, gp):
    submit(client, CONFIRMED)
    assessment = Assessment.objects.get()
    client.get(f"/assessments/{assessment.pk}/")
    client.get(f"/assessments/{assessment.pk}/print/")
    evaluation = AuditEvent.objects.get(event="evaluation")
    assert evaluation.actor == "gp1" and evaluation.actor_role == "gp"
    assert evaluation.target_id == str(assessment.pk)
    assert [r["id"] for r in evaluation.rules] == [p["id"] for p in assessment.prompts]
    assert evaluation.detail == {
        "outcome": "evaluated",
        "prompts": len(assessment.prompts),
        "unknowns": len(assessment.result["unknowns"]),
    }
    views = AuditEvent.objects.filter(event="view").order_by("created_at", "id")
    assert [v.detail["page"] for v in views] == ["results", "print"]
    assert all(v.target_id == str(assessment.pk) for v in views)


def test_invalid_answers_show_the_error_summary_and_store_nothing(client, gp):
    response = client.post("/assessments/new/", {"age": "200", "sex": "female", "egfr": "lots"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_age">Age must be between 18 and 120</a>' in html
    assert '<a href="#id_egfr">eGFR (mL/min) must be a number</a>' in html
    assert "<title>Error: " in html
    assert not Assessment.objects.exists()
    assert not AuditEvent.objects.filter(event="evaluation").exists()


def test_a_failure_in_the_rules_says_decision_support_unavailable_and_stores_nothing(client, gp, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug in a rule")

    monkeypatch.setattr("apps.evaluation.services.evaluate_data", broken)
    response = submit(client, SUDDEN)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Decision support unavailable" in html
    assert "not because none apply" in html
    assert not Assessment.objects.exists()
    event = AuditEvent.objects.get(event="evaluation")
    assert event.detail == {"outcome": "unavailable"}


def test_a_stored_assessment_reopens_exactly_as_shown_even_after_the_rules_change(client, gp, monkeypatch):
    submit(client, SUDDEN)
    assessment = Assessment.objects.get()
    first = client.get(f"/assessments/{assessment.pk}/").content.decode()

    # The rules change (here: they would now fail outright); the stored page must not change.
    def changed(**kwargs):
        raise AssertionError("reopening must not evaluate again")

    monkeypatch.setattr("apps.assessments.services.assessment_evaluate", changed)
    monkeypatch.setattr("apps.evaluation.services.evaluate_data", changed)
    again = client.get(f"/assessments/{assessment.pk}/").content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", first) == strip.sub("", again)


NO_PROMPT_YET = {
    # A woman of 45 whose menopausal status is not recorded: no prompt fires, but answering could change that.
    "input_version": 1,
    "assessed_on": "2026-11-23",
    "age": 45,
    "sex": "female",
    "back_pain": {"present": True, "onset": "sudden", "after_minor_trauma": True},
    "historical_height_loss_cm": 6,
}


def test_no_prompt_with_answers_missing_is_not_shown_as_a_clear_result(client, gp):
    """H-61: "no prompt" while answers that could change it are missing reads as a warning, on the page, the print
    view and the summary for the notes, never as the quiet "no conditions were met" of a complete answer set."""
    client.post("/assessments/new/", answers({"input": NO_PROMPT_YET}))
    assessment = Assessment.objects.get()
    assert assessment.result["prompts"] == [] and assessment.result["unknowns"]
    n = len(assessment.result["unknowns"])
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    callout = page[page.index('id="no-prompts"') :][:900]
    assert "nhsuk-warning-callout" in page[page.index('id="no-prompts"') - 60 : page.index('id="no-prompts"')]
    assert "not a clear result" in callout and f"{n} answers that could change this are not known" in callout
    assert "every answer that could change this was given" not in page
    printed = client.get(f"/assessments/{assessment.pk}/print/").content.decode()
    assert "not a clear result" in printed and f"{n} answers that could change this are not known" in printed
    assert "None yet, but this is not a clear result" in summary_text(assessment)
    assert "None: no prompt" not in summary_text(assessment)


def test_no_prompt_with_every_answer_given_says_so(client, gp, monkeypatch):
    real = __import__("apps.evaluation.services", fromlist=["assessment_evaluate"]).assessment_evaluate

    def complete(**kwargs):  # the same result, as if nothing that could change it were unknown
        return {**real(**kwargs), "unknowns": []}

    monkeypatch.setattr("apps.assessments.services.assessment_evaluate", complete)
    client.post("/assessments/new/", answers({"input": NO_PROMPT_YET}))
    assessment = Assessment.objects.get()
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "every answer that could change this was given" in page and "not a clear result" not in page
    assert "None: no prompt's conditions were met" in summary_text(assessment)


def test_unknowns_link_back_to_their_fields_in_a_prefilled_form(client, gp):
    submit(client, SUDDEN)
    assessment = Assessment.objects.get()
    html = client.get(f"/assessments/{assessment.pk}/").content.decode()
    reassess = f"/assessments/new/?from={assessment.pk}"
    assert f'href="{reassess}#id_vertebral_fractures_known"' in html
    # A follow-up question links to the question that reveals it.
    assert f'href="{reassess}#id_glucocorticoids__current_or_recent_0">Glucocorticoid dose' in html
    form_page = client.get(reassess).content.decode()
    # The prefilled form shows the stored answers: audited as a view of that assessment (it was not).
    assert AuditEvent.objects.filter(event="view", detail__page="assess_again", target_id=str(assessment.pk)).exists()
    assert 'id="id_vertebral_fractures_known"' in form_page
    assert 'id="id_glucocorticoids__current_or_recent_0"' in form_page
    assert re.search(r'value="74"[^>]*id="id_age"|id="id_age"[^>]*value="74"', form_page)


def test_someone_elses_assessment_cannot_be_used_to_prefill(client, gp, make_user):
    other = make_user("gp2", role="gp")
    theirs = assessment_create(user=other, data={"age": 70, "sex": "female", "assessor_role": "gp"})
    assert client.get(f"/assessments/new/?from={theirs.pk}").status_code == 404
    assert client.get("/assessments/new/?from=not-a-uuid").status_code == 404


def test_my_recent_assessments_lists_only_mine(client, gp, make_user):
    mine = assessment_create(user=gp, data={"age": 70, "sex": "female", "assessor_role": "gp"})
    theirs = assessment_create(user=make_user("gp2", role="gp"), data={"age": 71, "sex": "male"})
    html = client.get("/assessments/").content.decode()
    assert f"/assessments/{mine.pk}/" in html
    assert f"/assessments/{theirs.pk}/" not in html


def test_a_decision_is_stored_audited_and_shown(client, gp):
    submit(client, CONFIRMED)
    assessment = Assessment.objects.get()
    prompt = next(p for p in assessment.prompts if p["id"] == "bone.start_treatment")
    response = client.post(
        f"/assessments/{assessment.pk}/decisions/",
        {"prompt_id": prompt["id"], "choice": "not_now", "reason": "patient_declined", "note": "wants to think"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/#prompt-bone-start-treatment"
    decision = Decision.objects.get()
    assert (decision.choice, decision.reason, decision.note) == ("not_now", "patient_declined", "wants to think")
    event = AuditEvent.objects.get(event="decision")
    assert event.detail == {
        "prompt": "bone.start_treatment",
        "choice": "not_now",
        "reason": "patient_declined",
        "note": True,
    }
    assert "wants to think" not in str(event.detail)
    assert event.rules == [{"id": "bone.start_treatment", "version": prompt["rule_version"]}]
    html = client.get(response["Location"]).content.decode()
    assert "Decision recorded." in html
    assert "<strong>Decision:</strong> Not now (patient declined)" in html

    # A later decision supersedes the earlier one; both are kept.
    client.post(f"/assessments/{assessment.pk}/decisions/", {"prompt_id": prompt["id"], "choice": "done"})
    assert Decision.objects.count() == 2
    html = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "<strong>Decision:</strong> Done or will do" in html
    assert "Decision: Done or will do" in summary_text(assessment, {"bone.start_treatment": Decision.objects.first()})


@pytest.mark.parametrize(
    ("post", "error"),
    [
        ({"choice": "not_now"}, "Select a reason for not now"),
        ({}, "Select done or will do, or not now"),
        ({"choice": "done", "prompt_id": "red_flag.emergency"}, "Prompt is not one shown in this assessment"),
        ({"choice": "later"}, "Your decision: select one of the options shown"),
        # decisions are insert-only: an identifier stored in a note could never be removed
        ({"choice": "done", "note": "NHS 943 476 5919"}, "Note must not contain an NHS number"),
        ({"choice": "done", "note": "dob 01/02/1950, rang"}, "Note must not contain a date of birth"),
    ],
)
def test_a_bad_decision_names_the_problem_and_stores_nothing(client, gp, post, error):
    submit(client, CONFIRMED)
    assessment = Assessment.objects.get()
    data = {"prompt_id": "bone.start_treatment", **post}
    response = client.post(f"/assessments/{assessment.pk}/decisions/", data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Decision.objects.exists()
    assert not AuditEvent.objects.filter(event="decision").exists()


def test_summary_has_findings_prompts_codes_version_and_date(client, gp):
    submit(client, CONFIRMED)
    assessment = Assessment.objects.get()
    text = summary_text(assessment)
    assert text.startswith(f"SpinePrompt decision support, {assessment.assessed_on:%d %b %Y}")
    assert f"Rulebook {assessment.rulebook_version}" in text
    assert "input version 1, assessed by a GP\n" in text  # the role's name, not its code "gp"
    assert "Findings:" in text and "Age: 68 years" in text
    for prompt in assessment.prompts:
        assert prompt["title"] in text
    assert "306171000000106 |Fragility fracture|" in text
    html = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert 'id="summary-text"' in html
    assert 'data-copy-target="summary-text"' in html
    print_page = client.get(f"/assessments/{assessment.pk}/print/").content.decode()
    assert "306171000000106 |Fragility fracture|" in print_page


def test_the_summary_records_the_safety_net_advice_itself(client, gp):
    """Recommendation 3: the help-seeking and safety-netting advice goes in the consultation summary, so the record
    shows what the patient was told to watch for and where to go, not only that a prompt was shown."""
    case = {
        "input": {
            "input_version": 1,
            "assessed_on": "2026-11-23",
            "age": 70,
            "sex": "female",
            "back_pain": {"present": True, "onset": "gradual"},
            "vertebral_fractures_known": 0,
            "spine_imaging": {"result": "no_fracture"},
        }
    }
    submit(client, case)
    assessment = Assessment.objects.get()
    advice = next(p for p in assessment.prompts if p["id"] == "safety_net.advice")
    text = summary_text(assessment)
    assert f"  Advice: {advice['detail']}" in text
    assert "A&E or call 111 straight away" in text
    others = [p for p in assessment.prompts if p["id"] != "safety_net.advice" and p["detail"]]
    assert others and all(p["detail"] not in text for p in others)  # only this advice, not every prompt's detail


def test_emergency_and_urgent_prompts_come_first_in_care_cards(client, gp):
    submit(client, VIGNETTES["cauda-equina-features"])
    assessment = Assessment.objects.get()
    html = client.get(f"/assessments/{assessment.pk}/").content.decode()
    html = html[html.index('id="all-prompts"') :]  # the full list, after the plan
    assert "nhsuk-card--care--emergency" in html
    assert html.index("Act first") < html.index("nhsuk-card--care--emergency")
    routine = [p for p in assessment.prompts if p["priority"] not in ("emergency", "urgent")]
    if routine:
        assert html.index("nhsuk-card--care--emergency") < html.index(routine[0]["title"].replace("'", "&#x27;"))


def test_feedback_dashboard_counts_shown_acted_and_set_aside(client, make_user):
    gp = make_user("gp1", role="gp")
    a = assessment_create(user=gp, data=CONFIRMED["input"])
    b = assessment_create(user=gp, data=CONFIRMED["input"])
    decision_record(user=gp, assessment=a, prompt_id="referral.fls", choice="done")
    decision_record(user=gp, assessment=b, prompt_id="referral.fls", choice="done")
    # b's latest decision on the FLS referral is "not now": it counts once, as set aside.
    decision_record(user=gp, assessment=b, prompt_id="referral.fls", choice="not_now", reason="patient_declined")
    admin = make_user("manager", role="admin")
    client.force_login(admin)
    html = client.get("/feedback/").content.decode()
    row = re.search(r'<tr class="nhsuk-table__row" id="rule-referral.fls">(.*?)</tr>', html, re.S).group(1)
    cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[1] == "Shown 2"
    assert cells[2] == "Done or will do 1 (50%)"
    assert cells[3] == "Not now 1"
    assert cells[4] == "Reasons for not now Patient declined: 1"
    assert cells[5] == "No decision 0"


def test_stored_records_cannot_be_changed_or_deleted(make_user):
    gp = make_user("gp1", role="gp")
    assessment = assessment_create(user=gp, data=CONFIRMED["input"])
    decision = decision_record(user=gp, assessment=assessment, prompt_id="referral.fls", choice="done")
    for obj in (assessment, decision, assessment.shown_prompts.first()):
        with pytest.raises(ImmutableError):
            obj.save()
        with pytest.raises(ImmutableError):
            obj.delete()
    with pytest.raises(ImmutableError):
        Assessment.objects.update(practice_reference="x")
    with pytest.raises(ImmutableError):
        Decision.objects.all().delete()


def test_admin_cannot_add_change_or_delete_assessments_or_decisions(make_user):
    request = RequestFactory().get("/admin/")
    request.user = make_user("boss", role="admin")
    request.user.is_superuser = True
    for model in (Assessment, Decision):
        model_admin = admin_site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_the_navigation_marks_the_current_page(client, gp):
    html = client.get("/assessments/").content.decode()
    assert 'href="/assessments/" aria-current="page">My assessments</a>' in html
    assert 'href="/assessments/new/">New assessment</a>' in html


@pytest.mark.parametrize(("role", "shown"), [("gp", True), ("admin", True), ("nurse", False), ("physio", False)])
def test_the_navigation_offers_case_finding_to_the_roles_that_may_use_it(client, django_user_model, role, shown):
    user = django_user_model.objects.create_user(username=f"nav-{role}", password="x", role=role)
    client.force_login(user)
    html = client.get("/rules/").content.decode()
    assert ('href="/casefinding/">Case-finding</a>' in html) is shown


# --- the plan (issue 23) ------------------------------------------------------------------------------------------


def _page(client, data):
    submit(client, {"input": data})
    assessment = Assessment.objects.latest("created_at")
    return assessment, client.get(f"/assessments/{assessment.pk}/").content.decode()


def test_the_plan_comes_first_with_at_most_five_ranked_actions_and_copy_to_record(client, gp):
    data = {
        "age": 72,
        "sex": "female",
        "back_pain": {"present": True, "onset": "sudden", "site": "thoracic", "after_minor_trauma": True},
        "prior_fragility_fracture": True,
        "glucocorticoids": {"current_or_recent": True, "prednisolone_mg_per_day": 10, "months": 5},
    }
    assessment, html = _page(client, data)
    plan = html[html.index('id="plan"') : html.index('id="all-prompts"')]
    items = re.findall(r'data-plan-id="([a-z_.]+)"', plan)
    assert 1 <= len(items) <= 5
    assert items[0] == "imaging.spine_xray"  # a suspected fracture is imaged first
    assert 'id="plan-copy"' in plan and "Copy to record" in plan
    assert html.index('id="plan"') < html.index("sp-meta") < html.index('id="all-prompts"')
    assert "Suspected osteoporotic vertebral fracture:" in plan  # the request wording, ready to copy
    assert html.count('data-copy-target="summary-text"') == 1  # one copy button, at the top


def test_a_red_flag_leads_the_plan_and_the_osteoporosis_actions_wait(client, gp):
    data = {
        "age": 58,
        "sex": "male",
        "back_pain": {"present": True},
        "red_flags": ["history_of_cancer", "unexplained_weight_loss", "night_pain"],
        "spine_imaging": {"result": "fracture"},
    }
    assessment, html = _page(client, data)
    plan = html[html.index('id="plan"') : html.index('id="all-prompts"')]
    assert re.findall(r'data-plan-id="([a-z_.]+)"', plan) == ["red_flag.urgent"]
    assert "within 24 hours: discuss with the MSCC coordinator" in plan
    assert "After the red flag is dealt with" in plan and "Record the vertebral fracture" in plan
    summary = summary_text(assessment)
    assert "Red flag pathway first: the osteoporosis actions (" in summary
    assert summary.index("Plan:") < summary.index("Prompts:")


def test_a_prompt_without_a_guideline_time_says_none_in_the_plan_only_when_urgent(client, gp):
    _assessment, html = _page(client, {"age": 70, "sex": "female", "red_flags": ["night_pain"]})
    plan = html[html.index('id="plan"') : html.index('id="all-prompts"')]
    assert "no time is set by the guidance" in plan


def test_check_answers_validates_and_stores_nothing(client, gp):
    data = answers({"input": {"age": 70, "sex": "female"}})
    response = client.post("/assessments/new/", {**data, "action": "check"})
    assert response.status_code == 200
    assert 'id="answers-checked"' in response.content.decode()
    assert not Assessment.objects.exists()
    bad = client.post("/assessments/new/", {**answers({"input": {"age": 17, "sex": "female"}}), "action": "check"})
    assert bad.status_code == 400 and "Age must be between 18 and 120" in bad.content.decode()
    assert not Assessment.objects.exists()
    shown = client.post("/assessments/new/", {**data, "action": "show"})
    assert shown.status_code == 302 and Assessment.objects.count() == 1


def test_red_flags_come_right_after_the_patient_and_before_the_first_submit(client, gp):
    html = client.get("/assessments/new/").content.decode()
    assert (
        html.index('id="section-patient"') < html.index('id="section-red-flags"') < html.index('id="section-back-pain"')
    )
    first_submit = html.index('type="submit"', html.index('class="sp-assessment-form"'))
    assert 'value="check"' in html[first_submit : first_submit + 80]  # Enter checks; it never assesses
    assert html.index('id="section-red-flags"') < first_submit < html.index('id="section-back-pain"')


def test_red_flags_asked_and_none_present_is_said_exactly_in_the_summary(client, gp):
    asked, _html = _page(client, {"age": 70, "sex": "female", "red_flags_none_present": True})
    text = summary_text(asked)
    assert "Red flags: none present (asked about each: saddle anaesthesia," in text
    assert "intravenous drug use)" in text
    not_asked, _html = _page(client, {"age": 71, "sex": "female"})
    assert "Red flags: none recorded" in summary_text(not_asked)
    both = client.post(
        "/assessments/new/",
        answers({"input": {"age": 70, "sex": "female", "red_flags": ["fever"], "red_flags_none_present": True}}),
    )
    assert both.status_code == 400 and "cannot be true when red flags are recorded as present" in both.content.decode()


def test_answering_an_unknown_revises_the_same_assessment_and_keeps_both(client, gp, make_user):
    first, _html = _page(client, {"age": 70, "sex": "female"})
    form = client.get(f"/assessments/new/?from={first.pk}").content.decode()
    assert f'name="revises" value="{first.pk}"' in form and "Revise the assessment" in form
    data = answers({"input": {"age": 70, "sex": "female", "kyphosis": True}})
    response = client.post("/assessments/new/", {**data, "revises": str(first.pk)})
    second = Assessment.objects.latest("created_at")
    assert response.status_code == 302 and second.revises == first
    assert Assessment.objects.count() == 2  # both kept
    event = AuditEvent.objects.filter(event="evaluation").latest("id")
    assert event.detail["revises"] == str(first.pk)
    assert 'id="revision-of"' in client.get(f"/assessments/{second.pk}/").content.decode()
    assert 'id="revised-by"' in client.get(f"/assessments/{first.pk}/").content.decode()
    # Someone else's assessment cannot be revised: it is not found.
    other = assessment_create(user=make_user("gp-other", role="gp"), data={"age": 70, "sex": "male"})
    assert client.post("/assessments/new/", {**data, "revises": str(other.pk)}).status_code == 404


def test_assess_with_this_report_carries_the_report_into_a_new_form_and_stores_nothing(client, gp):
    text = "Lateral thoracic spine: moderate wedge deformity of T8."
    screen = client.post("/reports/screen/", {"report_text": text}).content.decode()
    assert "Assess with this report" in screen and 'name="prefill_report"' in screen
    form = client.post("/assessments/new/", {"prefill_report": text})
    assert form.status_code == 200 and text in form.content.decode()
    assert not Assessment.objects.exists()


def test_my_assessments_shows_each_ones_plan_in_a_line(client, gp):
    _page(client, {"age": 58, "sex": "male", "back_pain": {"present": True}, "red_flags": ["history_of_cancer"]})
    html = client.get("/assessments/").content.decode()
    assert "Urgent assessment for possible malignancy or infection" in html.split('class="nhsuk-table__body"')[1]


def test_feedback_dashboard_filters_sorts_and_exports(client, make_user):
    """Issue 26: the practice manager's dashboard had no filters, sorting or export."""
    gp = make_user("gp1", role="gp")
    a = assessment_create(user=gp, data=CONFIRMED["input"])
    decision_record(user=gp, assessment=a, prompt_id="referral.fls", choice="not_now", reason="patient_declined")
    client.force_login(make_user("manager", role="admin"))
    html = client.get("/feedback/", {"category": "referral"}).content.decode()
    ids = re.findall(r'<tr class="nhsuk-table__row" id="rule-([a-z_.]+)">', html)
    assert ids == ["referral.fls"]
    shown = client.get("/feedback/", {"shown": "1", "sort": "set_aside"}).content.decode()
    ids = re.findall(r'<tr class="nhsuk-table__row" id="rule-([a-z_.]+)">', shown)
    assert ids[0] == "referral.fls" and set(ids) == {p["id"] for p in a.prompts}
    export = client.get("/feedback/", {"category": "referral", "format": "csv"})
    assert export["Content-Type"].startswith("text/csv") and "attachment" in export["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [r["rule"] for r in rows] == ["referral.fls"]
    assert rows[0]["not_now"] == "1" and rows[0]["not_now_reasons"] == "Patient declined: 1"
