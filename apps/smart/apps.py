from django.apps import AppConfig


class SmartConfig(AppConfig):
    """SMART App Launch (EHR launch): /smart/launch opens the prefilled assessment from inside a GP system."""

    name = "apps.smart"
    label = "smart"
    verbose_name = "SMART App Launch"
    default_auto_field = "django.db.models.BigAutoField"
