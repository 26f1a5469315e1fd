from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record, login_attempt_begin, login_attempt_end
from apps.web.forms import NamedErrorsMixin


class LockoutMixin:
    """Refuse a login, even with the right password, while its username is locked out after repeated
    failures, counting checks still running (apps.audit.services.login_attempt_begin). Checked before the
    password, so a locked-out username gives an attacker no answer at all."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if not (username and self.cleaned_data.get("password")):
            return super().clean()
        attempt = login_attempt_begin(username=username)
        if attempt is None:
            # Recorded here because authenticate() is never called, so Django sends no failure signal.
            audit_record(event=AuditEvent.Event.LOGIN_FAILED, actor=username, detail={"locked": True})
            raise ValidationError(
                "Too many failed attempts. Try again in %(minutes)s minutes.",
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        try:
            return super().clean()  # a wrong password is audited (login_failed) before this returns or raises
        finally:
            login_attempt_end(attempt)


class LoginForm(NamedErrorsMixin, LockoutMixin, AuthenticationForm):
    """Django's login form, laid out with the NHS.UK crispy pack."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("username", "password"):
            self.fields[name].widget.attrs["class"] = "nhsuk-input--width-20"
            self.fields[name].error_messages["required"] = f"Enter your {name}"
        # AuthenticationForm sets the username's max_length after the field is built, so it is never checked: an
        # over-long username is refused here, naming the field, before anything looks it up.
        self.fields["username"].validators.append(MaxLengthValidator(self.fields["username"].max_length))
        self.helper = FormHelper()
        # No form action: the form posts back to the current URL, keeping any ?next= parameter.
        self.helper.add_input(Submit("login", "Log in"))


class AdminLoginForm(NamedErrorsMixin, LockoutMixin, AdminAuthenticationForm):
    """The admin site's login form with the same lockout: otherwise /admin/login/ would be a way round it."""
