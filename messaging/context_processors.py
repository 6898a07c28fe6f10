from django.utils.functional import SimpleLazyObject

from core import live


def messaging(request):
    """The nav's unread-message badge (counted only when a page shows it) and whether the
    page connects to the live event stream."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .selectors import unread_message_count

    return {
        "unread_messages": SimpleLazyObject(lambda: unread_message_count(user)),
        "live_events": live.enabled(),
    }
