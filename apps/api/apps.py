from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API (/api/v1/): per-user bearer tokens, evaluate, rulebook and the OpenAPI document."""

    name = "apps.api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"
