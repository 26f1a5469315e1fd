from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("assessments/", views.assessment_list, name="list"),
    path("assessments/new/", views.assessment_new, name="new"),
    path("assessments/<uuid:pk>/", views.assessment_detail, name="detail"),
    path("assessments/<uuid:pk>/print/", views.assessment_print, name="print"),
    path("assessments/<uuid:pk>/decisions/", views.decision_new, name="decision"),
    path("feedback/", views.feedback_dashboard, name="feedback"),
]
