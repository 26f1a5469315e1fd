"""Security headers that Django 5.2 does not set by itself."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Everything from our own origin, nothing inline: templates carry no <script> bodies, <style>
# elements or style attributes (a test scans templates/ for them), so no nonces are needed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"

# Pages, API and CDS Hooks answers hold patient data and clinical decisions: no browser, proxy or back button may keep
# a copy (a shared clinic PC, a practice proxy). Static files (CSS, JavaScript, images) stay cacheable.
NO_STORE = "no-store, private"


class SecurityHeadersMiddleware:
    """Add Content-Security-Policy and Permissions-Policy to every response, and ``Cache-Control: no-store, private``
    to every response except static files (under ``STATIC_URL``, which WhiteNoise marks cacheable itself).

    A view that needs a different policy or cache rule can set the header itself; it is left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not request.path.startswith(settings.STATIC_URL):
            response.headers.setdefault("Cache-Control", NO_STORE)
        return response
