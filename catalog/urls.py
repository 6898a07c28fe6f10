from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
    path("services/<int:pk>-<slug:slug>/", views.service_detail, name="service_detail"),
    path("providers/<slug:slug>/", views.provider_detail, name="provider_detail"),
]
