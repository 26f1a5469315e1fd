from django.urls import path

from . import views
from .guidance import PAGES

app_name = "resources"
urlpatterns = [
    path("leaflet/", views.leaflet, name="leaflet"),
    path("assessments/<uuid:pk>/leaflet/", views.leaflet_personal, name="leaflet-personal"),
    path("decision-aid/", views.decision_aid_page, name="decision-aid"),
    path("assessments/<uuid:pk>/decision-aid/", views.decision_aid_personal, name="decision-aid-personal"),
    path("guidance/", views.guidance_index, name="guidance"),
    # One fixed route per page (no slug parameter), so the access matrix lists each page by its URL.
    *(path(f"guidance/{p.slug}/", views.guidance_page, {"slug": p.slug}, name=f"guidance-{p.slug}") for p in PAGES),
]
