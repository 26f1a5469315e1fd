import pytest

from apps.accounts.models import Role


@pytest.mark.django_db
def test_login_page_renders_nhsuk_form(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="nhsuk-input' in html
    assert 'for="id_username"' in html
    assert 'class="nhsuk-button"' in html
    assert "nhsuk-error-summary" not in html


@pytest.mark.django_db
def test_login_bad_credentials_shows_error_summary(client, make_user):
    make_user("gp", password="right-password")
    response = client.post("/accounts/login/", {"username": "gp", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="nhsuk-error-summary"' in html
    assert 'role="alert"' in html
    assert '<a href="#id_username">Please enter a correct username and password' in html
    assert "<title>Error: Log in" in html


@pytest.mark.django_db
def test_login_missing_fields_links_summary_to_each_field(client):
    response = client.post("/accounts/login/", {"username": "", "password": ""})
    html = response.content.decode()
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert "nhsuk-form-group--error" in html
    assert "nhsuk-input--error" in html


@pytest.mark.django_db
def test_login_good_credentials_redirects_to_next(client, make_user):
    make_user("nurse", role=Role.NURSE, password="right-password")
    response = client.post("/accounts/login/?next=/healthz", {"username": "nurse", "password": "right-password"})
    assert response.status_code == 302
    assert response["Location"] == "/healthz"


@pytest.mark.django_db
def test_logout_by_post_ends_session(client, make_user):
    client.force_login(make_user())
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_logout_by_get_is_not_allowed(client, make_user):
    client.force_login(make_user())
    assert client.get("/accounts/logout/").status_code == 405
