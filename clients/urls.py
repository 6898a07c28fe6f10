from django.urls import path

from . import views

app_name = "clients"

urlpatterns = [
    path("dashboard/clients/", views.client_list, name="list"),
    path("dashboard/clients/<int:customer_id>/", views.client_detail, name="detail"),
]
