from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("rules/", views.rule_catalogue, name="catalogue"),
]
