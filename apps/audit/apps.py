from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only audit log (see docs/audit.md)."""

    name = "apps.audit"
    label = "audit"
    verbose_name = "Audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from . import signals

        # dispatch_uid: connect once, however often ready() runs.
        user_logged_in.connect(signals.on_user_logged_in, dispatch_uid="audit_login")
        user_logged_out.connect(signals.on_user_logged_out, dispatch_uid="audit_logout")
        user_login_failed.connect(signals.on_user_login_failed, dispatch_uid="audit_login_failed")
