from django.urls import path

from . import reports, views

app_name = "assessments"
urlpatterns = [
    path("assessments/", views.assessment_list, name="list"),
    path("assessments/new/", views.assessment_new, name="new"),
    path("assessments/<uuid:pk>/", views.assessment_detail, name="detail"),
    path("assessments/<uuid:pk>/print/", views.assessment_print, name="print"),
    path("assessments/<uuid:pk>/fls-referral/", views.fls_referral, name="fls_referral"),
    path("assessments/<uuid:pk>/decisions/", views.decision_new, name="decision"),
    path("assessments/<uuid:pk>/report/", reports.assessment_report, name="report"),
    path("assessments/<uuid:pk>/report/review/", reports.assessment_report_review, name="report_review"),
    path("reports/screen/", reports.report_screen, name="report_screen"),
    path("feedback/", views.feedback_dashboard, name="feedback"),
]
