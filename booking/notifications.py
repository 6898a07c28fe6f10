"""Who hears about a booking change, and what they are told.

Both sides hear of every change, the one who made it included: the other side so they
can act, the one who acted as their receipt (a customer's request with its details, the
cancellation rule and an .ics; their own cancellation; their own move). A change's
messages are one INSERT (notifications.services.notify_all)."""

from django.urls import reverse

from core.money import format_money
from notifications.models import NotificationKind
from notifications.services import Message, notify_all

from . import ics
from .models import BookingStatus as S

WHEN = "%a %d %b %Y, %H:%M"

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


def _local(booking, moment) -> str:
    return moment.astimezone(booking.zone).strftime(WHEN)


def _message(booking, recipient, kind, title, *, body, event, attachment=None) -> Message:
    return Message(
        recipient=recipient,
        kind=kind,
        event_key=f"booking:{booking.pk}:{event}",
        title=title.format(
            ref=booking.booking_reference,
            service=booking.service.title,
            when=_local(booking, booking.starts_at),
        ),
        body=body,
        url=reverse("booking:detail", args=[booking.booking_reference]),
        attachment=attachment,
    )


def cancellation_rule(booking) -> str:
    """The booking's free-cancellation terms in one or two sentences, as its page says them."""
    hours = booking.cancellation_free_hours
    deadline = booking.free_cancellation_until
    if deadline is None:
        return (
            "You can cancel this request until the provider answers. Once confirmed it can't "
            f"be cancelled for free: it was made less than {hours} hours before the start."
        )
    return (
        "You can cancel this request until the provider answers. Once confirmed, free "
        f"cancellation ends {_local(booking, deadline)} ({hours} hours before the start)."
    )


def request_details(booking) -> str:
    """What the customer asked for, as the receipt of their request lists it."""
    place = ", ".join(
        part
        for part in (
            booking.service_address,
            booking.service_city.name,
            booking.service_state,
            booking.service_postal_code,
        )
        if part
    )
    # As the pages write it (#18): "$137", "$75/hour".
    price = format_money(booking.estimated_total, booking.currency)
    if booking.pricing_type == "HOURLY":
        price += f" ({format_money(booking.base_price, booking.currency)}/hour)"
    lines = [
        f"Service: {booking.service.title}, by {booking.provider.display_name}",
        f"When: {_local(booking, booking.starts_at)}–{booking.local_ends_at:%H:%M}"
        f" ({booking.time_zone})",
        f"Where: {place}",
        f"Estimated total: {price}",
    ]
    if booking.customer_notes:
        lines.append(f"Your notes: {booking.customer_notes}")
    lines += [
        "",
        "The provider will accept or decline it; we will tell you either way.",
        cancellation_rule(booking),
    ]
    return "\n".join(lines)


def _request_receipt(booking, *, event) -> Message:
    return _message(
        booking,
        booking.customer,
        NotificationKind.BOOKING_REQUEST_SENT,
        "Your request {ref} is sent: {service} on {when}",
        body=request_details(booking),
        event=event,
        attachment=(
            f"{booking.booking_reference}.ics",
            ics.calendar([booking], name=f"Booking {booking.booking_reference}"),
        ),
    )


def _messages(booking, *, event, to_status, by, notes, rescheduled) -> list[Message]:
    customer, provider_user = booking.customer, booking.provider.user
    both = (customer, provider_user)
    if rescheduled:
        return [
            _message(
                booking,
                recipient,
                NotificationKind.BOOKING_RESCHEDULED,
                "Booking {ref} moved to {when}"
                if recipient != by
                else "You moved booking {ref} to {when}",
                body=notes,
                event=event,
            )
            # The one who moved it too, if it was the customer: their receipt.
            for recipient in both
            if recipient != by or recipient == customer
        ]
    if to_status == S.CANCELLED:
        return [
            _message(
                booking,
                recipient,
                NotificationKind.BOOKING_CANCELLED,
                "Booking {ref} on {when} was cancelled"
                if recipient != by
                else "You cancelled booking {ref} on {when}",
                body=f"Reason: {notes}" if notes else "",
                event=event,
            )
            for recipient in both
            if recipient != by or recipient == customer
        ]
    messages = []
    if to_status in _TO_PROVIDER and by != provider_user:
        kind, title = _TO_PROVIDER[to_status]
        messages.append(
            _message(booking, provider_user, kind, title, body=booking.customer_notes, event=event)
        )
    if to_status == S.PENDING and by == customer:
        messages.append(_request_receipt(booking, event=event))
    if to_status in _TO_CUSTOMER and by != customer:
        kind, title = _TO_CUSTOMER[to_status]
        messages.append(_message(booking, customer, kind, title, body=notes, event=event))
    if to_status == S.EXPIRED:
        messages.append(
            _message(
                booking,
                provider_user,
                NotificationKind.BOOKING_EXPIRED,
                "Booking request {ref} expired: you did not answer in time",
                body=notes,
                event=event,
            )
        )
    return messages


def booking_changed(booking, *, change_id, from_status, to_status, by, notes, rescheduled):
    """Notify both sides of a change: the other side of the one who made it, and the
    customer of their own request, cancellation or move (each change is one event, keyed by
    its history row `change_id`)."""
    notify_all(
        _messages(
            booking,
            event=f"{change_id}:{to_status}",
            to_status=to_status,
            by=by,
            notes=notes,
            rescheduled=rescheduled,
        )
    )


def remind(booking):
    notify_all(
        [
            _message(
                booking,
                recipient,
                NotificationKind.BOOKING_REMINDER,
                "Reminder: {service} ({ref}) on {when}",
                body=f"{booking.service_address}, {booking.service_city.name}",
                event="reminder",
            )
            for recipient in (booking.customer, booking.provider.user)
        ]
    )
