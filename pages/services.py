"""Writes of the site's own pages: contact messages."""

from django.db import transaction
from django.urls import reverse

from accounts.models import STAFF_ROLES, User
from notifications.models import NotificationKind
from notifications.services import Message, notify_all

from .models import ContactMessage


def send_contact_message(*, name, email, subject, message, sender=None) -> ContactMessage:
    """Store a contact-form message and tell every active Admin and Superadmin, by email
    and in the app, through the notifications outbox (sent after commit, once each)."""
    with transaction.atomic():
        contact = ContactMessage.objects.create(
            name=name,
            email=email,
            subject=subject,
            message=message,
            sender=sender if sender is not None and sender.is_authenticated else None,
        )
        team = User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("pk")
        url = reverse("admin:pages_contactmessage_change", args=[contact.pk])
        notify_all(
            [
                Message(
                    recipient=member,
                    kind=NotificationKind.CONTACT_MESSAGE,
                    event_key=f"contact:{contact.pk}",
                    title=f"Contact form: {subject}",
                    body=f"From {name} <{email}>:\n\n{message}",
                    url=url,
                )
                for member in team
            ]
        )
    return contact
