from django.apps import AppConfig


class CdsHooksConfig(AppConfig):
    """CDS Hooks 2.0 services (/cds-services): discovery, patient-view and order-select, and feedback."""

    name = "apps.cdshooks"
    label = "cdshooks"
    verbose_name = "CDS Hooks"
    default_auto_field = "django.db.models.BigAutoField"
