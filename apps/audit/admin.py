from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only: staff with the view permission can list and open events; nobody can
    add, change or delete them here (the model and database refuse anyway)."""

    list_display = ("created_at", "event", "actor", "actor_role", "target_type", "target_id", "rulebook_version")
    list_filter = ("event", "created_at")
    search_fields = ("actor", "target_id")
    # No bulk actions at all, so no "delete selected".
    actions = None

    def has_add_permission(self, request):  # noqa: ARG002 - Django's signature
        return False

    # Always False: the change page then renders read-only for anyone with the view permission,
    # and a POST to it is refused with 403.
    def has_change_permission(self, request, obj=None):  # noqa: ARG002 - Django's signature
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ARG002 - Django's signature
        return False
