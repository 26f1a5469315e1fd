from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm

from apps.accounts.forms import AdminLoginForm
from apps.accounts.models import User

# The admin login is a second door: give it the same lockout as /accounts/login/.
admin.site.login_form = AdminLoginForm


class UserCreationForm(AdminUserCreationForm):
    """The admin's add-user form, asking for the role, which every account must have."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "role")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Role", {"fields": ("role",)}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Role", {"classes": ("wide",), "fields": ("role",)}),
    )
    list_display = ("username", "first_name", "last_name", "role", "is_staff", "is_active")
    list_filter = ("role", *DjangoUserAdmin.list_filter)
