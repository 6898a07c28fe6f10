from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("dashboard/insights/", views.insights_page, name="overview"),
    path("dashboard/insights/export.csv", views.export_csv, name="export"),
]
