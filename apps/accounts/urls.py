from django.contrib.auth import views as auth_views
from django.urls import path

from apps.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm,
            template_name="registration/login.html",
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    # Django's LogoutView accepts POST only, so a link or prefetch cannot log someone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
