"""Who hears about a change of a quote request, and what they are told: the other side of
the one who made it (both sides when the system expired it). One INSERT per change
(notifications.services.notify_all), keyed by the change's QuoteEvent."""

from django.urls import reverse

from booking import selectors as booking_selectors
from core.money import format_money
from notifications.models import NotificationKind
from notifications.services import Message, notify_all

from .models import QuoteEventKind, QuotePricing

E = QuoteEventKind


def price_text(quote_request) -> str:
    """`$480` or `$60 per hour, about 8 hours ($480)`, as the pages write money."""
    currency = quote_request.currency
    price = format_money(quote_request.price, currency)
    if quote_request.pricing == QuotePricing.HOURLY:
        total = format_money(quote_request.estimated_total, currency)
        hours = f"{quote_request.estimated_hours.normalize():f}"
        return f"{price} per hour, about {hours} hours ({total})"
    return price


def _terms_body(quote_request) -> str:
    lines = [
        f"Price: {price_text(quote_request)}",
        f"Duration: {quote_request.duration_minutes} minutes",
        f"Included: {quote_request.included}",
        f"Valid until: {quote_request.valid_until:%a %d %b %Y}",
    ]
    if quote_request.proposed_start:
        zone = booking_selectors.schedule_for(quote_request.provider).zone
        lines.append(
            "Proposed time: " + booking_selectors.format_local(quote_request.proposed_start, zone)
        )
    return "\n".join(lines)


def _messages(quote_request, event) -> list[Message]:
    ref, service = quote_request.reference, quote_request.service.title
    customer, provider_user = quote_request.customer, quote_request.provider.user
    url = reverse("quotes:detail", args=[ref])

    def message(recipient, kind, title, body=""):
        return Message(
            recipient=recipient,
            kind=kind,
            event_key=f"quote:{quote_request.pk}:{event.pk}:{event.kind}",
            title=title,
            body=body,
            url=url,
        )

    if event.kind == E.REQUESTED:
        return [
            message(
                provider_user,
                NotificationKind.QUOTE_REQUESTED,
                f"New quote request {ref}: {service} in {quote_request.city.name}",
                quote_request.description,
            )
        ]
    if event.kind == E.QUOTED:
        return [
            message(
                customer,
                NotificationKind.QUOTE_SENT,
                f"Your quote {ref} for {service}: {price_text(quote_request)}",
                _terms_body(quote_request),
            )
        ]
    if event.kind == E.CHANGED:
        return [
            message(
                customer,
                NotificationKind.QUOTE_CHANGED,
                f"Quote {ref} changed: {price_text(quote_request)}",
                _terms_body(quote_request),
            )
        ]
    if event.kind == E.DECLINED:
        return [
            message(
                customer,
                NotificationKind.QUOTE_DECLINED,
                f"{quote_request.provider.display_name} declined quote request {ref}",
                f"Reason: {event.notes}",
            )
        ]
    if event.kind == E.WITHDRAWN:
        return [
            message(
                customer,
                NotificationKind.QUOTE_WITHDRAWN,
                f"Quote {ref} was withdrawn",
                f"Reason: {event.notes}" if event.notes else "",
            )
        ]
    if event.kind == E.ACCEPTED:
        return [
            message(
                provider_user,
                NotificationKind.QUOTE_ACCEPTED,
                f"Quote {ref} accepted: booking {event.notes}",
                f"{service} at {price_text(quote_request)}.",
            )
        ]
    if event.kind == E.EXPIRED:
        return [
            message(recipient, NotificationKind.QUOTE_EXPIRED, f"Quote {ref} expired")
            for recipient in (customer, provider_user)
        ]
    return []


def quote_changed(quote_request, *, event) -> None:
    notify_all(_messages(quote_request, event))
