from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.edit_profile, name="profile"),
    path("business/", views.edit_provider_profile, name="provider_profile"),
    path("verification/", views.verification, name="verification"),
    path(
        "verification/documents/<int:pk>/",
        views.verification_document,
        name="verification_document",
    ),
]
