"""Who hears about a booking change, and what they are told."""

from django.urls import reverse

from notifications.models import NotificationKind
from notifications.services import notify

from .models import BookingStatus as S

# to_status → (kind, title template); {ref}, {service} and {when} are filled in.
_TO_PROVIDER = {
    S.PENDING: (
        NotificationKind.BOOKING_REQUESTED,
        "New booking request {ref}: {service} on {when}",
    ),
}
_TO_CUSTOMER = {
    S.CONFIRMED: (NotificationKind.BOOKING_CONFIRMED, "Booking {ref} is confirmed for {when}"),
    S.REJECTED: (NotificationKind.BOOKING_REJECTED, "Booking request {ref} was declined"),
    S.EXPIRED: (
        NotificationKind.BOOKING_EXPIRED,
        "Booking request {ref} expired without an answer",
    ),
    S.IN_PROGRESS: (NotificationKind.BOOKING_STARTED, "Your job {ref} has started"),
    S.COMPLETED: (
        NotificationKind.REVIEW_INVITATION,
        "Job {ref} is done: how did it go? Leave a review",
    ),
}


def _send(booking, recipient, kind, title, *, body, event):
    notify(
        recipient=recipient,
        kind=kind,
        event_key=f"booking:{booking.pk}:{event}",
        title=title.format(
            ref=booking.booking_reference,
            service=booking.service.title,
            when=booking.local_starts_at.strftime("%a %d %b %Y, %H:%M"),
        ),
        body=body,
        url=reverse("booking:detail", args=[booking.booking_reference]),
    )


def booking_changed(booking, *, change_id, from_status, to_status, by, notes, rescheduled):
    """Notify the other side of a change (both sides when the system or an admin made it).

    `change_id` is the change's history row: each change of a booking is one event."""
    customer, provider_user = booking.customer, booking.provider.user
    event = f"{change_id}:{to_status}"
    if rescheduled:
        for recipient in {customer, provider_user} - {by}:
            _send(
                booking,
                recipient,
                NotificationKind.BOOKING_RESCHEDULED,
                "Booking {ref} moved to {when}",
                body=notes,
                event=event,
            )
        return
    if to_status == S.CANCELLED:
        for recipient in {customer, provider_user} - {by}:
            _send(
                booking,
                recipient,
                NotificationKind.BOOKING_CANCELLED,
                "Booking {ref} on {when} was cancelled",
                body=f"Reason: {notes}" if notes else "",
                event=event,
            )
        return
    if to_status in _TO_PROVIDER and by != provider_user:
        kind, title = _TO_PROVIDER[to_status]
        _send(booking, provider_user, kind, title, body=booking.customer_notes, event=event)
    if to_status in _TO_CUSTOMER and by != customer:
        kind, title = _TO_CUSTOMER[to_status]
        _send(booking, customer, kind, title, body=notes, event=event)
    if to_status == S.EXPIRED:
        _send(
            booking,
            provider_user,
            NotificationKind.BOOKING_EXPIRED,
            "Booking request {ref} expired: you did not answer in time",
            body=notes,
            event=event,
        )


def remind(booking):
    for recipient in (booking.customer, booking.provider.user):
        _send(
            booking,
            recipient,
            NotificationKind.BOOKING_REMINDER,
            "Reminder: {service} ({ref}) on {when}",
            body=f"{booking.service_address}, {booking.service_city.name}",
            event="reminder",
        )
