from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    """Patient leaflet, decision aid and clinician guidance (recommendations 1-7, 13, 14)."""

    name = "apps.resources"
    label = "resources"
    verbose_name = "Patient and clinician resources"
