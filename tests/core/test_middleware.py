import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from apps.core.middleware import SecurityHeadersMiddleware

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
