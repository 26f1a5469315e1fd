"""The patient self-check in a real browser (issue 27): each outcome, with axe, without JavaScript and at 390 px, and
the summary prints on one A4 page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from apps.selfcheck.models import SelfCheckCode

from .test_pages import page_overflow


@pytest.fixture(autouse=True)
def _fail_fast(request):
    for name in ("page", "nojs_page"):
        if name in request.fixturenames:
            request.getfixturevalue(name).set_default_timeout(10_000)


def answer(page: Page, **radios: str) -> None:
    page.goto("/check/")
    for label in radios.get("ticks", ()):
        page.get_by_label(label).check()
    for question, choice in radios.items():
        if question == "ticks":
            continue
        page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="See what to do").click()


@pytest.mark.parametrize(
    ("answers", "heading"),
    [
        ({"ticks": ["weakness in your legs that is getting worse"]}, "Get help now"),
        (
            {"Do you have back pain that is new in the last few months?": "Yes", "ticks": ["a high temperature"]},
            "Contact your GP today",
        ),
        (
            {
                "How old are you?": "65 to 74",
                "Do you have back pain that is new in the last few months?": "Yes",
                "If you have back pain, how did it start?": (
                    "Suddenly, for example after lifting, bending, a cough or a small fall"
                ),
            },
            "Book a GP appointment",
        ),
        ({"Do you have back pain that is new in the last few months?": "No"}, "Nothing to do now"),
    ],
    ids=["now", "gp-today", "gp", "nothing"],
)
def test_each_outcome_in_a_browser(page: Page, axe_check, answers, heading):
    page.goto("/check/")
    axe_check(page)
    answer(page, **answers)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    axe_check(page)
    assert not SelfCheckCode.objects.exists()


def test_the_code_the_phone_and_the_printed_page(page: Page, axe_check):
    page.set_viewport_size({"width": 390, "height": 844})
    answer(page, **{"Have you got shorter by about 4 cm (1.5 inches) or more?": "Yes"})
    assert page_overflow(page) <= 0
    page.get_by_role("button", name="Get a code for my GP").click()
    code = SelfCheckCode.objects.get().code
    expect(page.locator("#code")).to_contain_text(code)
    axe_check(page)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1  # one A4 page


def test_the_check_works_without_javascript(nojs_page: Page):
    answer(nojs_page, **{"Have you taken steroid tablets, like prednisolone, for 3 months or more?": "Yes"})
    expect(nojs_page.get_by_role("heading", level=1)).to_contain_text("Book a GP appointment")
    nojs_page.get_by_role("button", name="Get a code for my GP").click()
    expect(nojs_page.locator("#code")).to_contain_text(SelfCheckCode.objects.get().code)
