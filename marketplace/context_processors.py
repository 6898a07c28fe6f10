from django.conf import settings


def site(request):
    return {"SITE_NAME": "Marketplace", "SITE_URL": settings.SITE_URL}
