from django.contrib import admin

from .models import SmartIdentity


@admin.register(SmartIdentity)
class SmartIdentityAdmin(admin.ModelAdmin):
    list_display = ("fhir_user", "issuer", "user", "created_at")
    search_fields = ("fhir_user", "user__username")
