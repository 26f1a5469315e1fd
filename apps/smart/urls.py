from django.urls import path

from . import views

app_name = "smart"
urlpatterns = [
    path("smart/launch", views.launch, name="launch"),
    path("smart/callback", views.callback, name="callback"),
]
