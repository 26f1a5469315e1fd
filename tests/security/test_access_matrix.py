"""Who reaches what: every URL, for anonymous visitors and for each role (issue 3, security point 8).

Add a row for every new URL. Outcomes: "ok" (200), "login" (redirect to the login page), "admin-login"
(redirect to the admin login), "home" (redirect to the home page), "401" (API without a token).
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
}


def outcome(response) -> str:
    if response.status_code == 200:
        return "ok"
    if response.status_code == 401:
        return "401"
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
    patterns = set()

    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            route = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                if not route.startswith("admin/"):
                    walk(p, route)
            elif "<" not in route and "(?P" not in route:
                patterns.add("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver())
    known = set(MATRIX) | {"/accounts/logout/", "/api/v1/evaluate"}  # POST-only, tested in their own files
    assert patterns - known == set()
