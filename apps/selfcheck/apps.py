from django.apps import AppConfig


class SelfCheckConfig(AppConfig):
    """A public self-check a person can do before seeing the GP (recommendations 2 and 3): /check/."""

    name = "apps.selfcheck"
    label = "selfcheck"
    verbose_name = "Patient self-check"
    default_auto_field = "django.db.models.BigAutoField"
