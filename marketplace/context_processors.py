from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    return {"SITE_NAME": "Marketplace", "SITE_URL": settings.SITE_URL}


def unread_notifications(request):
    """The nav's unread count, queried only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from notifications.selectors import unread_count

    return {"unread_count": SimpleLazyObject(lambda: unread_count(user))}
