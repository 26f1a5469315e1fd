import re

import pytest

from apps.accounts.models import Role


@pytest.mark.django_db
def test_home_anonymous_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


@pytest.mark.django_db
def test_home_logged_in_shows_user_role_and_rule_catalogue_link(client, make_user):
    client.force_login(make_user("physio", role=Role.PHYSIO))
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>physio</strong> (Physiotherapist)" in html
    assert '<a href="/rules/">Rule catalogue</a>' in html
    assert 'action="/accounts/logout/" method="post"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_home_links_every_page_the_role_can_open(client, make_user, role):
    """Every link on Home opens for the role (none is a 403), and the leaflet, decision aid and guidance are there
    for everyone, not only from inside an assessment."""
    client.force_login(make_user(f"home-{role}", role=role))
    links = re.findall(r'<a [^>]*href="(/[^"]*)"', client.get("/").content.decode())
    assert {"/leaflet/", "/decision-aid/", "/guidance/", "/rules/"} <= set(links)
    for link in set(links) - {"/"}:
        assert client.get(link).status_code == 200, link


def test_healthz_returns_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_forbidden_and_not_found_pages_are_nhs_pages_that_say_what_happened(client, django_user_model):
    admin = django_user_model.objects.create_user(username="pages-admin", password="x", role="admin")
    client.force_login(admin)
    forbidden = client.get("/assessments/new/")
    assert forbidden.status_code == 403
    assert "<h1>You cannot open this page</h1>" in forbidden.content.decode()
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "<h1>Page not found</h1>" in missing.content.decode()
    # Both extend the base template, so they carry its favicon link (no stray /favicon.ico request) and navigation.
    for response in (forbidden, missing):
        assert 'rel="icon"' in response.content.decode() and "nhsuk-header" in response.content.decode()


@pytest.mark.django_db
def test_a_stale_form_gets_an_nhs_page_that_says_nothing_was_saved(make_user):
    """A form sent with an expired CSRF token (signed out and in again in another tab) once showed Django's bare
    "CSRF verification failed" page, with no way back."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("stale-form", role=Role.GP))
    response = client.post("/assessments/new/", {"age": "70", "sex": "female"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Your form has expired</h1>" in html and "Nothing was saved." in html
    assert "nhsuk-header" in html and 'rel="icon"' in html
    assert "CSRF verification failed" not in html


def test_an_internal_error_page_says_decision_support_is_unavailable(rf):
    """Django renders 500.html without a request or context processors; it must still be a whole NHS page."""
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Sorry, there is a problem with the service</h1>" in html
    assert "Decision support is unavailable" in html and "nhsuk-header" in html


@pytest.mark.django_db
def test_a_request_too_large_gets_an_nhs_page_that_says_nothing_was_saved(client, make_user, settings):
    """A 3 MB form post (over DATA_UPLOAD_MAX_MEMORY_SIZE) in production once gave Django's bare "Bad Request (400)"
    page, with no way back and no word on what happened."""
    settings.DEBUG = False
    client.force_login(make_user("big-form", role=Role.GP))
    response = client.post("/assessments/new/", {"age": "70", "report_text": "x" * (3 * 1024 * 1024)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Your request could not be handled</h1>" in html and "Nothing was saved." in html
    assert "too large" in html
    assert "nhsuk-header" in html and 'rel="icon"' in html
    assert "Bad Request (400)" not in html
