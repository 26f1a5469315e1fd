"""The pages that exist today, in a real browser: accessible (axe), within the CSP, usable without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from apps.accounts.models import Role
from apps.audit.models import AuditEvent


def csp_violations(messages: list[ConsoleMessage]) -> list[str]:
    # Chromium logs each blocked script, style, image or connection as a console error naming the policy.
    return [m.text for m in messages if "Content Security Policy" in m.text]


def test_login_page_is_accessible(page: Page, axe_check, screenshot):
    page.goto("/accounts/login/")
    expect(page).to_have_title("Log in – SpinePrompt")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    axe_check(page)
    screenshot(page, "login")


def test_wrong_password_shows_the_error_summary(page: Page, axe_check, screenshot, make_user):
    make_user("gp-wrong-password", role=Role.GP)
    page.goto("/accounts/login/")
    page.get_by_label("Username", exact=True).fill("gp-wrong-password")
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_title("Error: Log in – SpinePrompt")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("alert")).to_contain_text("correct username and password")
    axe_check(page)
    screenshot(page, "login-error")
    # The summary's link takes the user to the first field (the NHS.UK script focuses it directly).
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Username", exact=True)).to_be_focused()


@pytest.mark.parametrize("role", Role.values)
def test_each_role_logs_in_and_lands_on_home(page: Page, login, role):
    user = login(page, role)
    expect(page).to_have_title("Home – SpinePrompt")
    expect(page.get_by_role("main")).to_contain_text(f"You are logged in as {user.username}")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(user.get_role_display())
    assert AuditEvent.objects.filter(event=AuditEvent.Event.LOGIN, actor=user.username, actor_role=role).exists()


def test_home_page_is_accessible(page: Page, login, axe_check, screenshot):
    login(page, Role.GP, username="dr-example")
    axe_check(page)
    screenshot(page, "home")


def test_rule_catalogue_is_accessible(page: Page, login, axe_check, screenshot):
    login(page, Role.GP, username="dr-example")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Rule catalogue").click()
    page.wait_for_url("/rules/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rule catalogue")
    axe_check(page)
    # The top of the page only: the whole catalogue is a multi-megabyte image.
    screenshot(page, "rule-catalogue", full_page=False)


def test_logout_returns_to_login_and_ends_the_session(page: Page, login):
    user = login(page, Role.NURSE)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("/accounts/login/")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    # The session is gone: a protected page sends the browser back to the login page.
    page.goto("/rules/")
    assert page.url.endswith("/accounts/login/?next=/rules/")
    assert AuditEvent.objects.filter(event=AuditEvent.Event.LOGOUT, actor=user.username).exists()


def test_login_works_without_javascript(nojs_page: Page, make_user):
    page = nojs_page
    make_user("physio-nojs", role=Role.PHYSIO, password="pw-nojs-only")
    page.goto("/accounts/login/")
    page.get_by_label("Username", exact=True).fill("physio-nojs")
    page.get_by_label("Password", exact=True).fill("pw-nojs-only")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("/")
    expect(page.get_by_role("main")).to_contain_text("You are logged in as physio-nojs")
    # The module script never ran, so the NHS.UK components are in their no-JavaScript state.
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/rules/"])
def test_no_content_security_policy_violations(page: Page, console_messages, login, path):
    if path != "/accounts/login/":
        login(page, Role.ADMIN)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(path)
    # app.js ran: it is a module script from our own origin, so the CSP allowed it.
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    assert csp_violations(console_messages) == []


def page_overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (WCAG 1.4.10 reflow: no sideways scrolling at 320 CSS
    px; a wide data table may scroll inside its own container)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize(
    "role, path",
    [
        (Role.GP, "/rules/"),
        (Role.GP, "/assessments/"),
        (Role.GP, "print"),
        (Role.ADMIN, "/feedback/"),
        (Role.GP, "/casefinding/formats/"),
    ],
)
def test_pages_do_not_scroll_sideways_on_a_phone(page: Page, login, role, path):
    """Found by an exploratory test at 390 px: the rule catalogue was 768 px wide, the assessment list 426, the
    print view's summary 1,902 and the feedback dashboard 438."""
    from apps.assessments.services import assessment_create
    from tests.rules.conftest import load_vignettes

    page.set_viewport_size({"width": 390, "height": 844})
    user = login(page, role)
    clinician = user if role == Role.GP else type(user).objects.create_user(username="overflow-gp", role=Role.GP)
    case = next(v for v in load_vignettes() if v["name"] == "man-recent-confirmed-fracture")["input"]
    stored = assessment_create(user=clinician, data=case)
    page.goto(f"/assessments/{stored.pk}/print/" if path == "print" else path)
    assert page_overflow(page) <= 0, path
    if path in ("/rules/", "/feedback/"):
        # Issue 26: the catalogue's tables were clipped (scrolling inside their box) and the dashboard's headers
        # broke mid-word ("Sho wn"): now every table fits, and no header is split inside a word.
        clipped = page.evaluate(
            "[...document.querySelectorAll('table')].filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)"
            ".length"
        )
        assert clipped == 0, path
        broken = page.evaluate(
            "[...document.querySelectorAll('th')].filter(th => getComputedStyle(th).overflowWrap === 'anywhere').length"
        )
        assert broken == 0, path


# The checks themselves: a check that cannot fail proves nothing.


def test_axe_check_fails_on_a_serious_violation(page: Page, axe_check):
    page.set_content('<html lang="en"><title>t</title><main><h1>t</h1><img src="data:,"></main></html>')
    with pytest.raises(pytest.fail.Exception, match=r"image-alt \(critical\)"):
        axe_check(page)


def test_axe_check_fails_on_a_moderate_violation(page: Page, axe_check):
    # Found on the decision error page: a card heading one level too deep (h1, then h4).
    page.set_content('<html lang="en"><title>t</title><main><h1>t</h1><h4>skipped</h4></main></html>')
    with pytest.raises(pytest.fail.Exception, match=r"heading-order \(moderate\)"):
        axe_check(page)


def test_console_shows_a_content_security_policy_violation(page: Page, console_messages):
    page.goto("/accounts/login/")
    # An image from another origin: img-src 'self' refuses it before any request is made.
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            """() => {
                const img = new Image();
                img.src = "http://127.0.0.2:9/x.png";
                document.body.append(img);
            }"""
        )
    assert len(csp_violations(console_messages)) == 1
