from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Django's login form, laid out with the NHS.UK crispy pack."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("username", "password"):
            self.fields[name].widget.attrs["class"] = "nhsuk-input--width-20"
        self.helper = FormHelper()
        # No form action: the form posts back to the current URL, keeping any ?next= parameter.
        self.helper.add_input(Submit("login", "Log in"))
