from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.rate_limited import handler429  # noqa: F401  (allauth answers its rate limits with it)

from .api import api
from .health import healthz, livez

admin.site.site_header = "Marketplace administration"
admin.site.site_title = "Marketplace admin"
admin.site.index_title = "Run the marketplace"

urlpatterns = [
    path("", include("catalog.urls")),
    path("", include("booking.urls")),
    path("", include("photos.urls")),
    path("", include("reviews.urls")),
    path("", include("quotes.urls")),
    path("", include("insights.urls")),
    path("", include("clients.urls")),
    path("me/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("messages/", include("messaging.urls")),
    path("live/", include("live.urls")),
    path("", include("pages.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
]

if settings.BENCH_BASELINE:
    urlpatterns.append(path("bench/", include("bench.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
