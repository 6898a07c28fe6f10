from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("how-it-works/", views.how_it_works, name="how_it_works"),
    path("help/", views.help_page, name="help"),
    path("about/", views.about, name="about"),
    path("terms/", views.terms, name="terms"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
    path("become-a-provider/", views.become_a_provider, name="become_a_provider"),
    path("welcome/", views.welcome, name="welcome"),
    path("me/data.json", views.data_export, name="data_export"),
    path("me/delete/", views.delete_account, name="delete_account"),
    path("favicon.ico", views.favicon, name="favicon"),
]
