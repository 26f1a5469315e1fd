"""The fracture liaison service referral letter in a real browser (issue 27): from the prompt, checked with axe, made,
and printed without its controls."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from apps.assessments.models import FlsReferral
from apps.assessments.services import assessment_create
from tests.rules.conftest import load_vignettes


@pytest.fixture(autouse=True)
def _fail_fast(page: Page):
    page.set_default_timeout(10_000)


def test_the_letter_from_the_prompt_made_and_printed(page: Page, login, axe_check):
    user = login(page, "gp")
    case = next(v for v in load_vignettes() if v["name"] == "man-recent-confirmed-fracture")["input"]
    assessment = assessment_create(user=user, data=case)
    page.goto(f"/assessments/{assessment.pk}/")
    page.get_by_role("link", name="Make the referral letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral to the fracture liaison service")
    axe_check(page)
    page.get_by_role("button", name="Make the referral letter").click()
    expect(page.locator("#made")).to_contain_text("kept with the assessment")
    assert FlsReferral.objects.get().assessment_id == assessment.pk
    expect(page.get_by_role("button", name="Copy the letter")).to_be_visible()
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.locator("#fls-letter")).to_be_visible()
    expect(page.locator("#letter-text")).to_be_hidden()
