import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from apps.web.middleware import SecurityHeadersMiddleware

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/accounts/login/", "/", "/no-such-page/"])
def test_security_headers_present_on_responses(client, path):
    response = client.get(path)
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"


def test_security_headers_keep_a_policy_set_by_the_view():
    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    middleware = SecurityHeadersMiddleware(view)
    response = middleware(RequestFactory().get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


# --- Cache-Control: clinical answers are never kept by a browser or proxy; static files are --------------------------

NO_STORE = "no-store, private"


@pytest.mark.django_db
def test_an_assessment_page_is_not_stored(client, make_user):
    from tests.assessments.test_reports import probable_assessment

    gp = make_user("cache-gp", role="gp")
    client.force_login(gp)
    assessment = probable_assessment(gp)
    for path in ("/assessments/new/", f"/assessments/{assessment.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == NO_STORE, path


@pytest.mark.django_db
def test_the_worklist_is_not_stored(client, make_user):
    from tests.casefinding.test_runs import make_run

    gp = make_user("cache-worklist", role="gp")
    client.force_login(gp)
    run = make_run(gp)
    for path in ("/casefinding/", f"/casefinding/runs/{run.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == NO_STORE, path


@pytest.mark.django_db
def test_api_answers_are_not_stored(client, make_user):
    from apps.api.services import api_token_create

    _, raw = api_token_create(user=make_user("cache-api"), name="tests")
    response = client.post(
        "/api/v1/evaluate",
        data={"assessor_role": "gp", "age": 70, "sex": "female"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE
    assert client.get("/api/v1/rulebook", HTTP_AUTHORIZATION=f"Bearer {raw}")["Cache-Control"] == NO_STORE


def test_static_files_stay_cacheable_and_a_views_own_rule_is_kept():
    def static(request):
        return HttpResponse("body { }", content_type="text/css")

    assert "Cache-Control" not in SecurityHeadersMiddleware(static)(RequestFactory().get("/static/css/app.css"))

    def cached(request):
        response = HttpResponse()
        response["Cache-Control"] = "max-age=60, public"
        return response

    assert SecurityHeadersMiddleware(cached)(RequestFactory().get("/static/x.css"))["Cache-Control"] == (
        "max-age=60, public"
    )
