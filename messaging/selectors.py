"""Reads of conversations and messages: who sees which, unread counts, masking."""

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)

from booking.models import Booking, BookingStatus

from . import conf
from .errors import ConversationNotFound
from .models import Conversation, Message, MessageReport
from .text import shown_text

# A booking in one of these states means the provider accepted the customer: contact
# details typed into their conversation are shown (MESSAGING_MASK_CONTACTS "until_confirmed").
TRUSTED_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS, BookingStatus.COMPLETED)


def _side_filter(user) -> Q | None:
    if user.is_authenticated and user.is_customer:
        return Q(customer=user)
    if user.is_authenticated and user.is_provider:
        return Q(provider__user=user)
    return None


def conversations_for(user) -> QuerySet[Conversation]:
    """The conversations `user` takes part in (none for staff and strangers)."""
    side = _side_filter(user)
    return Conversation.objects.filter(side) if side is not None else Conversation.objects.none()


def _trusted_booking():
    return Booking.objects.filter(
        customer=OuterRef("customer"), provider=OuterRef("provider"), status__in=TRUSTED_STATUSES
    )


def with_contacts_shown(queryset):
    """Annotate `contacts_shown`: whether contact details in the conversation are unmasked."""
    mode = conf.MASK_CONTACTS
    if mode == "never":
        return queryset.annotate(contacts_shown=Value(True))
    if mode == "always":
        return queryset.annotate(contacts_shown=Value(False))
    return queryset.annotate(contacts_shown=Exists(_trusted_booking()))


def _read_id_field(user) -> str:
    return "customer_read_id" if user.is_customer else "provider_read_id"


def inbox(user) -> QuerySet[Conversation]:
    """`user`'s conversations, most recent first, each with `unread` (messages from the other
    side they have not seen), `last_body` (the latest visible message) and `contacts_shown`.
    One query however many conversations."""
    latest = Message.objects.filter(conversation=OuterRef("pk"), hidden_at__isnull=True).order_by(
        "-pk"
    )
    return with_contacts_shown(
        conversations_for(user)
        .select_related("customer", "provider", "service")
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__pk__gt=F(_read_id_field(user)), messages__hidden_at__isnull=True)
                & ~Q(messages__sender=user),
            ),
            last_body=Subquery(latest.values("body")[:1]),
        )
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    )


def unread_message_count(user) -> int:
    """Messages waiting for `user` across all their conversations (the nav badge)."""
    if not user.is_authenticated:
        return 0
    if user.is_customer:
        mine = Q(conversation__customer=user, pk__gt=F("conversation__customer_read_id"))
    elif user.is_provider:
        mine = Q(conversation__provider__user=user, pk__gt=F("conversation__provider_read_id"))
    else:
        return 0
    return Message.objects.filter(mine, hidden_at__isnull=True).exclude(sender=user).count()


def is_reported(conversation) -> bool:
    return MessageReport.objects.filter(message__conversation=conversation).exists()


def readable_conversation(user, pk) -> Conversation:
    """The conversation `pk` if `user` takes part in it, or is marketplace staff and a
    participant reported one of its messages; else ConversationNotFound (never says which)."""
    queryset = with_contacts_shown(
        Conversation.objects.select_related("customer", "provider__user", "service")
    )
    side = _side_filter(user)
    if side is not None:
        conversation = queryset.filter(side, pk=pk).first()
    elif user.is_authenticated and user.is_marketplace_staff:
        conversation = queryset.filter(pk=pk, messages__reports__isnull=False).distinct().first()
    else:
        conversation = None
    if conversation is None:
        raise ConversationNotFound("No such conversation.")
    return conversation


def conversation_between(*, customer, provider) -> Conversation | None:
    return Conversation.objects.filter(customer=customer, provider=provider).first()


def thread(conversation, *, after: int = 0, limit: int | None = None) -> list[Message]:
    """The conversation's messages, oldest first: the last `limit` (MESSAGES_PAGE_SIZE), or
    those after message id `after`. Each with its sender and `reported` count."""
    messages = (
        conversation.messages.select_related("sender")
        .prefetch_related("attachments")
        .annotate(report_count=Count("reports"))
        .filter(pk__gt=after)
    )
    if after:
        return list(messages.order_by("pk")[: limit or conf.MESSAGES_PAGE_SIZE])
    newest = list(messages.order_by("-pk")[: limit or conf.MESSAGES_PAGE_SIZE])
    return newest[::-1]


def message_page(conversation, *, before: int | None = None):
    """The API's page of messages: newest first, optionally only those before id `before`."""
    messages = (
        conversation.messages.select_related("sender")
        .prefetch_related("attachments")
        .order_by("-pk")
    )
    if before:
        messages = messages.filter(pk__lt=before)
    return messages


def shown_body(message, *, contacts_shown: bool) -> str:
    """What a participant reads for `message`: empty when hidden, masked until trust exists."""
    if message.is_hidden:
        return ""
    return shown_text(message.body, masked=not contacts_shown)


def readable_photo(user, conversation_pk, photo_pk):
    """A photo of a conversation `user` may read (ConversationNotFound otherwise); a hidden
    message's photos only for marketplace staff."""
    from .models import MessageAttachment

    conversation = readable_conversation(user, conversation_pk)
    photo = (
        MessageAttachment.objects.select_related("message")
        .filter(pk=photo_pk, message__conversation=conversation)
        .first()
    )
    if photo is None or (photo.message.is_hidden and conversation.side_of(user) is not None):
        raise ConversationNotFound("No such photo.")
    return photo
