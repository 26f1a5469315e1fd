from django.urls import path

from . import views

app_name = "cdshooks"
urlpatterns = [
    path("cds-services", views.services, name="discovery"),
    path("cds-services/<str:service_id>", views.service, name="service"),
    path("cds-services/<str:service_id>/feedback", views.feedback, name="feedback"),
]
