from django.urls import path

from . import views

app_name = "selfcheck"
urlpatterns = [
    path("check/", views.check, name="check"),
]
