from .models import Notification

PAGE_SIZE = 20


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user):
    return Notification.objects.filter(recipient=user)
