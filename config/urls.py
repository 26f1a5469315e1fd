"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("", include("apps.rulebook.urls")),
    path("", include("apps.assessments.urls")),
    path("", include("apps.resources.urls")),
    path("", include("apps.casefinding.urls")),
    path("api/v1/", include("apps.api.urls")),
    path("", include("apps.cdshooks.urls")),
    path("admin/", admin.site.urls),
]
