from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
    path("services/<int:pk>-<slug:slug>/", views.service_detail, name="service_detail"),
    path("providers/<slug:slug>/", views.provider_detail, name="provider_detail"),
    path("dashboard/services/", views.my_services, name="my_services"),
    path("dashboard/services/new/", views.service_create, name="service_create"),
    path("dashboard/services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("dashboard/services/<int:pk>/toggle/", views.service_toggle, name="service_toggle"),
    path("dashboard/services/<int:pk>/delete/", views.service_delete, name="service_delete"),
]
