from django.urls import path

from . import dashboard_views, views

app_name = "booking"
urlpatterns = [
    path("book/<int:service_pk>/", views.book_date, name="book_date"),
    path("book/<int:service_pk>/time/", views.book_time, name="book_time"),
    path("book/<int:service_pk>/details/", views.book_details, name="book_details"),
    path("book/<int:service_pk>/review/", views.book_review, name="book_review"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<str:reference>/", views.booking_detail, name="detail"),
    path("bookings/<str:reference>/status/", views.change_status, name="change_status"),
    path("bookings/<str:reference>/reschedule/", views.reschedule, name="reschedule"),
    path("bookings/<str:reference>/calendar.ics", views.booking_ics, name="ics"),
    path("dashboard/bookings/", dashboard_views.provider_dashboard, name="provider_dashboard"),
    path("dashboard/availability/", dashboard_views.availability, name="availability"),
    path(
        "dashboard/availability/time-off/<int:pk>/remove/",
        dashboard_views.remove_time_off,
        name="remove_time_off",
    ),
    path("calendar/<str:token>.ics", dashboard_views.calendar_feed, name="calendar_feed"),
]
