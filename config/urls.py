"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("apps.web.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("", include("apps.evaluation.urls")),
    path("", include("apps.assessments.urls")),
    path("", include("apps.resources.urls")),
    path("", include("apps.casefinding.urls")),
    path("api/v1/", include("apps.api.urls")),
    path("", include("apps.cdshooks.urls")),
    path("", include("apps.smart.urls")),
    path("", include("apps.selfcheck.urls")),
    path("admin/", admin.site.urls),
]

# JSON for machine clients (/api/, /cds-services/) whatever fails, 503 with Retry-After when the database is away
# (apps/web/errors.py).
handler400 = "apps.web.errors.bad_request"
handler403 = "apps.web.errors.permission_denied"
handler404 = "apps.web.errors.page_not_found"
handler500 = "apps.web.errors.server_error"
