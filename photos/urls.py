from django.urls import path

from . import views

app_name = "photos"
urlpatterns = [
    path("dashboard/photos/profile/", views.profile_photo, name="profile_photo"),
    path("dashboard/services/<int:pk>/photos/", views.service_photos, name="service_photos"),
    path("dashboard/photos/<int:pk>/edit/", views.photo_edit, name="photo_edit"),
    path("dashboard/photos/<int:pk>/move/", views.photo_move, name="photo_move"),
    path("dashboard/photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
]
