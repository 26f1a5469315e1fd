from django.urls import path

from . import views

app_name = "casefinding"
urlpatterns = [
    path("casefinding/", views.run_list, name="runs"),
    path("casefinding/formats/", views.formats, name="formats"),
    path("casefinding/runs/<uuid:pk>/", views.run_detail, name="run"),
    path("casefinding/runs/<uuid:pk>/progress", views.run_progress, name="progress"),
    path("casefinding/runs/<uuid:pk>/export.csv", views.run_export, name="export"),
    path("casefinding/patients/<uuid:pk>/status/", views.patient_status, name="status"),
    path("casefinding/patients/<uuid:pk>/assess/", views.patient_assess, name="assess"),
]
