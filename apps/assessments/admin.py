"""Read-only admin views: stored assessments and decisions are records of what was shown and decided."""

from django.contrib import admin

from .models import Assessment, Decision, FlsService


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "assessor_role", "rulebook_version", "practice_reference")
    list_filter = ("assessor_role", "rulebook_version")
    date_hierarchy = "created_at"
    # Metadata only: the clinical content (input and prompts) is for the clinician who made it.
    fields = ("id", "created_at", "user", "assessor_role", "assessed_on", "input_version", "rulebook_version")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "prompt_id", "choice", "reason", "user")
    list_filter = ("choice", "reason", "prompt_id")
    fields = ("created_at", "assessment", "prompt_id", "choice", "reason", "user")


@admin.register(FlsService)
class FlsServiceAdmin(admin.ModelAdmin):
    """The practice's fracture liaison service details, shown on every referral letter (one row)."""

    list_display = ("__str__", "email", "updated_at")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not FlsService.objects.exists()
