from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("unread/", views.unread_badge, name="unread_badge"),
    path("settings/", views.preferences, name="preferences"),
    path("ask/<int:service_pk>/", views.ask, name="ask"),
    path("booking/<str:reference>/", views.booking_conversation, name="booking"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("<int:pk>/report/<int:message_pk>/", views.report, name="report"),
    path("<int:pk>/hide/<int:message_pk>/", views.hide, name="hide"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
]
