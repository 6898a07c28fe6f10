from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("bookings/<str:reference>/review/", views.write_review, name="write"),
    path("reviews/<int:pk>/reply/", views.reply, name="reply"),
]
