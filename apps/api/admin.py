from django.contrib import admin, messages

from .models import ApiToken
from .services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created with `manage.py create_api_token` (the raw token is shown once); here they are listed and
    can be revoked, by setting `revoked at` on the token's page or with the "Revoke selected tokens" action.

    Revocation is final and audited (`api_token_revoked`, docs/api.md): once a token is revoked its `revoked at` is
    read-only, so it cannot be cleared to make the token work again. The user, prefix and hash are never editable,
    and tokens are never deleted here (deleting would remove the record of a token that was in use; revoke instead).
    """

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "key_hash", "created_at", "last_used_at")
    actions = ("revoke",)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.revoked_at is not None:
            return (*fields, "name", "revoked_at")
        return fields

    def has_add_permission(self, request):  # noqa: ARG002 - Django's signature
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ARG002 - Django's signature
        return False

    def save_model(self, request, obj, form, change):
        # Revocation goes through the service whatever time was typed: it is stamped now and audited.
        revoking = change and "revoked_at" in form.changed_data and obj.revoked_at is not None
        if revoking:
            obj.revoked_at = None
        super().save_model(request, obj, form, change)
        if revoking:
            api_token_revoke(token=obj, actor=request.user)
            obj.refresh_from_db()

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = sum(api_token_revoke(token=token, actor=request.user) for token in queryset)
        self.message_user(request, f"{revoked} token(s) revoked.", messages.SUCCESS)
