from django.urls import path

from . import views

app_name = "quotes"
urlpatterns = [
    path("services/<int:service_pk>/quote/", views.request_quote, name="request"),
    path("quotes/", views.my_quotes, name="my_quotes"),
    path("dashboard/quotes/", views.provider_requests, name="provider_requests"),
    path("quotes/<str:reference>/", views.detail, name="detail"),
    path("quotes/<str:reference>/quote/", views.send_quote, name="send"),
    path("quotes/<str:reference>/decline/", views.decline, name="decline"),
    path("quotes/<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("quotes/<str:reference>/accept/", views.accept, name="accept"),
    path("quotes/<str:reference>/photos/<int:pk>/", views.photo, name="photo"),
]
