"""Who reaches what: every URL, for anonymous visitors and for each role (issue 3, security point 8).

Add a row for every new URL. Outcomes: "ok" (200), "login" (redirect to the login page), "admin-login"
(redirect to the admin login), "home" (redirect to the home page), "401" (API without a token), "403"
(logged in, but the role may not use the page). Pages about one stored assessment are checked for owner, other
users and roles in test_assessment_pages_are_private below.
"""

import pytest
from django.urls import get_resolver

ROLES = ("gp", "nurse", "physio", "admin")

MATRIX = {
    # url: (anonymous, {role: outcome})
    "/": ("login", dict.fromkeys(ROLES, "ok")),
    "/rules/": ("login", dict.fromkeys(ROLES, "ok")),
    "/healthz": ("ok", dict.fromkeys(ROLES, "ok")),
    "/accounts/login/": ("ok", dict.fromkeys(ROLES, "home")),  # already logged in: sent to the home page
    "/admin/": ("admin-login", {"gp": "admin-login", "nurse": "admin-login", "physio": "admin-login", "admin": "ok"}),
    "/api/v1/rulebook": ("401", dict.fromkeys(ROLES, "401")),  # a session is not enough: the API needs a token
    "/api/v1/openapi.json": ("ok", dict.fromkeys(ROLES, "ok")),
    # CDS Hooks discovery is public (service descriptions and prefetch templates, no patient data: docs/cds-hooks.md).
    "/cds-services": ("ok", dict.fromkeys(ROLES, "ok")),
    # SMART App Launch: the EHR's authorisation server says who the user is, so no SpinePrompt login first. Without
    # a configured EHR's launch (or a launch in progress) each refuses with its reason (tests/smart).
    "/smart/launch": ("400", dict.fromkeys(ROLES, "400")),
    # The patient self-check is public (no login, no identifiers, nothing stored without a code: tests/selfcheck).
    "/check/": ("ok", dict.fromkeys(ROLES, "ok")),
    "/smart/callback": ("400", dict.fromkeys(ROLES, "400")),
    # Assessing patients is clinical work: practice managers and admins get 403.
    "/assessments/": ("login", {"gp": "ok", "nurse": "ok", "physio": "ok", "admin": "403"}),
    "/assessments/new/": ("login", {"gp": "ok", "nurse": "ok", "physio": "ok", "admin": "403"}),
    "/reports/screen/": ("login", {"gp": "ok", "nurse": "ok", "physio": "ok", "admin": "403"}),
    # The feedback dashboard is for practice admins.
    "/feedback/": ("login", {"gp": "403", "nurse": "403", "physio": "403", "admin": "ok"}),
    # Blank patient resources and clinician guidance hold no patient data: every role, as for the rule catalogue
    # (practice managers may print blank leaflets). The personalised ones are tested in tests/resources.
    "/leaflet/": ("login", dict.fromkeys(ROLES, "ok")),
    "/decision-aid/": ("login", dict.fromkeys(ROLES, "ok")),
    "/guidance/": ("login", dict.fromkeys(ROLES, "ok")),
    "/guidance/risk-factors/": ("login", dict.fromkeys(ROLES, "ok")),
    "/guidance/atypical-groups/": ("login", dict.fromkeys(ROLES, "ok")),
    "/guidance/symptoms/": ("login", dict.fromkeys(ROLES, "ok")),
    "/guidance/examination/": ("login", dict.fromkeys(ROLES, "ok")),
    "/guidance/imaging/": ("login", dict.fromkeys(ROLES, "ok")),
    "/guidance/report-wording/": ("login", dict.fromkeys(ROLES, "ok")),
    "/guidance/red-flags/": ("login", dict.fromkeys(ROLES, "ok")),
    # Case-finding (practice searches): GPs and practice admins upload extracts and read worklists.
    "/casefinding/": ("login", {"gp": "ok", "nurse": "403", "physio": "403", "admin": "ok"}),
    "/casefinding/formats/": ("login", {"gp": "ok", "nurse": "403", "physio": "403", "admin": "ok"}),
}


def outcome(response) -> str:
    if response.status_code == 200:
        return "ok"
    if response.status_code in (400, 401):
        return str(response.status_code)
    if response.status_code == 403:
        return "403"
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return "admin-login"
        if location.startswith("/accounts/login/"):
            return "login"
        if location == "/":
            return "home"
    return f"{response.status_code} {response.get('Location', '')}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", sorted(MATRIX))
def test_anonymous_access(client, url):
    assert outcome(client.get(url)) == MATRIX[url][0]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", sorted(MATRIX))
def test_role_access(client, make_user, role, url):
    user = make_user(f"matrix-{role}", role=role)
    if role == "admin":  # the demo admin account is staff (create_demo_users)
        user.is_staff = True
        user.save()
    client.force_login(user)
    assert outcome(client.get(url)) == MATRIX[url][1][role]


def test_every_get_url_is_in_the_matrix():
    """A new page without a row here fails, so access is always decided on purpose."""
    patterns = {"/" + r.lstrip("^").rstrip("$") for r in routes() if "<" not in r and "(?P" not in r}
    known = set(MATRIX) | {"/accounts/logout/", "/api/v1/evaluate"}  # POST-only, tested in their own files
    # Routes with parameters cannot be in MATRIX; each must be covered by a test of its own, named here.
    parameterised = {
        "assessments/<uuid:pk>/": "test_assessment_pages_are_private",
        "assessments/<uuid:pk>/print/": "test_assessment_pages_are_private",
        "assessments/<uuid:pk>/fls-referral/": (
            "tests/assessments/test_fls.py::test_no_letter_without_an_fls_prompt_or_for_someone_elses_assessment"
        ),
        "assessments/<uuid:pk>/decisions/": "test_assessment_pages_are_private",
        "assessments/<uuid:pk>/report/": "test_assessment_pages_are_private",
        "assessments/<uuid:pk>/report/review/": "test_assessment_pages_are_private",
        "assessments/<uuid:pk>/leaflet/": "tests/resources/test_views.py::test_personalised_resources_are_private",
        "assessments/<uuid:pk>/decision-aid/": "tests/resources/test_views.py::test_personalised_resources_are_private",
        # POST-only, a signed CDS Client JWT and never a session: tests/cdshooks/test_security.py, and below.
        "cds-services/<str:service_id>": "test_cds_services_refuse_sessions",
        "cds-services/<str:service_id>/feedback": "test_cds_services_refuse_sessions",
        "casefinding/runs/<uuid:pk>/": "tests/casefinding/test_runs.py::test_patient_pages_by_role",
        "casefinding/runs/<uuid:pk>/export.csv": "tests/casefinding/test_runs.py::test_patient_pages_by_role",
        "casefinding/patients/<uuid:pk>/assess/": "tests/casefinding/test_runs.py::test_patient_pages_by_role",
        "casefinding/patients/<uuid:pk>/status/": "tests/casefinding/test_runs.py::test_patient_pages_by_role",
        "casefinding/runs/<uuid:pk>/progress": "tests/casefinding/test_runs.py::test_patient_pages_by_role",
        # Every other address under the API: a JSON 404 for everyone, with or without a token.
        "api/v1/^(?P<path>.*)$": (
            "tests/api/test_openapi_contract.py::test_an_unknown_api_address_gets_the_error_schema"
        ),
    }
    assert routes_with_parameters() == set(parameterised)
    assert patterns - known == set()


def url_patterns() -> dict[str, object]:
    """Every route outside the admin, as written in the URLconf, with its view."""
    found = {}

    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            route = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                if not route.startswith("admin/"):
                    walk(p, route)
            else:
                found[route] = p.callback

    walk(get_resolver())
    return found


def routes() -> set[str]:
    return set(url_patterns())


def routes_with_parameters() -> set[str]:
    return {r for r in routes() if "<" in r or "(?P" in r}


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "print/", "report/"])
def test_assessment_pages_are_private(client, make_user, suffix):
    """Only the clinician who stored an assessment can open it (or record decisions on it): anyone else gets
    404, so an id reveals nothing; admins get 403; anonymous visitors are sent to log in."""
    from apps.assessments.services import assessment_create

    owner = make_user("owner", role="gp")
    assessment = assessment_create(user=owner, data={"age": 70, "sex": "female", "assessor_role": "gp"})
    url = f"/assessments/{assessment.pk}/{suffix}"
    posts = {
        f"/assessments/{assessment.pk}/decisions/": {"prompt_id": assessment.prompts[0]["id"], "choice": "done"},
        f"/assessments/{assessment.pk}/report/review/": {"outcome": "rejected"},
    }

    assert outcome(client.get(url)) == "login"
    for post_url, data in posts.items():
        assert outcome(client.post(post_url, data)) == "login"
    for role in ROLES:
        other = make_user(f"other-{role}", role=role)
        client.force_login(other)
        expected = "403" if role == "admin" else "404 "
        assert outcome(client.get(url)) == expected, role
        for post_url, data in posts.items():
            assert outcome(client.post(post_url, data)) == expected, (role, post_url)
    client.force_login(owner)
    assert outcome(client.get(url)) == "ok"
    for post_url in posts:
        assert client.get(post_url).status_code == 405  # decisions and reviews are only ever posted


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "/feedback"])
def test_cds_services_refuse_sessions(client, make_user, suffix):
    """A logged-in session is not a CDS Client: every role gets 401 on the services and feedback, and GET is 405."""
    url = "/cds-services/spineprompt-patient-view" + suffix
    assert outcome(client.post(url, "{}", content_type="application/json")) == "401"
    for role in ROLES:
        client.force_login(make_user(f"cds-{role}", role=role))
        assert outcome(client.post(url, "{}", content_type="application/json")) == "401", role
        assert client.get(url).status_code == 405


def test_only_token_and_jwt_endpoints_are_exempt_from_csrf():
    """CSRF protects cookie sessions. Only views that never read a session may be exempt: the JSON API (bearer
    tokens) and the CDS Hooks services (signed JWTs). A new exemption fails here until it is added on purpose."""
    exempt = {route for route, view in url_patterns().items() if getattr(view, "csrf_exempt", False)}
    assert exempt == {
        "api/v1/evaluate",
        "api/v1/rulebook",
        "api/v1/openapi.json",
        "api/v1/^(?P<path>.*)$",
        "cds-services/<str:service_id>",
        "cds-services/<str:service_id>/feedback",
    }
