from django.urls import path, re_path

from . import views

app_name = "api"
urlpatterns = [
    path("evaluate", views.evaluate, name="evaluate"),
    path("rulebook", views.rulebook, name="rulebook"),
    path("openapi.json", views.openapi, name="openapi"),
    re_path(r"^(?P<path>.*)$", views.not_found),  # last: every other address gets a JSON 404
]
