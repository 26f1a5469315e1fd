from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("evaluate", views.evaluate, name="evaluate"),
    path("rulebook", views.rulebook, name="rulebook"),
    path("openapi.json", views.openapi, name="openapi"),
]
