"""Showing messages in templates, and a booking page's conversation (booking's template
loads this library; booking's views never import messaging)."""

from django import template
from django.db.models import Count, F, Q

from .. import selectors
from ..text import message_html as render_message

register = template.Library()


@register.simple_tag
def message_html(message, conversation):
    """The message as safe HTML, masked while the conversation's contacts are hidden."""
    return render_message(message.body, masked=not conversation.contacts_shown)


@register.simple_tag
def shown_preview(conversation):
    """The inbox's one-line preview of the latest message."""
    text = selectors.shown_text(
        conversation.last_body or "", masked=not conversation.contacts_shown
    )
    return text if len(text) <= 120 else f"{text[:119]}…"


@register.simple_tag(takes_context=True)
def other_party(context, conversation):
    user = context["user"]
    if user.pk == conversation.customer_id:
        return conversation.provider.display_name
    return conversation.customer.get_full_name() or "your customer"


@register.inclusion_tag("messaging/includes/booking_conversation.html", takes_context=True)
def booking_conversation(context, booking):
    """A booking's conversation on its page: the unread count and latest message, or a form
    to write the first one (for the booking's customer and provider only)."""
    user = context["user"]
    can_write = user.pk in (booking.customer_id, booking.provider.user_id)
    read_field = "customer_read_id" if user.pk == booking.customer_id else "provider_read_id"
    conversation = (
        selectors.with_contacts_shown(
            selectors.Conversation.objects.filter(
                customer_id=booking.customer_id, provider_id=booking.provider_id
            )
        )
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__pk__gt=F(read_field), messages__hidden_at__isnull=True)
                & ~Q(messages__sender=user),
            )
        )
        .first()
        if can_write
        else None
    )
    last_message = None
    if conversation is not None:
        latest = conversation.messages.filter(hidden_at__isnull=True).order_by("-pk").first()
        if latest is not None:
            last_message = selectors.shown_body(latest, contacts_shown=conversation.contacts_shown)
            last_message = last_message if len(last_message) <= 160 else f"{last_message[:159]}…"
    return {
        "user": user,
        "booking": booking,
        "conversation": conversation,
        "unread": getattr(conversation, "unread", 0),
        "last_message": last_message,
        "can_write": can_write,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("messaging/includes/email_preference.html", takes_context=True)
def message_email_preference(context):
    """The unread-message email switch (a MessagingPreference row), on the profile page
    and the inbox; it posts to messaging's own view and comes back to the page."""
    from ..forms import PreferenceForm
    from ..models import MessagingPreference

    user = context["user"]
    if not (user.is_authenticated and (user.is_customer or user.is_provider)):
        return {"show": False}
    preference = MessagingPreference.objects.filter(user=user).first()
    return {
        "show": True,
        "preference_form": PreferenceForm(
            initial={"email_unread": preference is None or preference.email_unread}
        ),
        "next": context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
