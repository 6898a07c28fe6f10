"""Writes on conversations: start one, send, read, report, hide, and the unread emails.

Every write here is one transaction; its live events (core/live.py) and emails (the
notifications outbox) leave only after it commits.
"""

import secrets
import unicodedata
from datetime import timedelta
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from core import images, live
from core.storage import private_storage
from notifications.models import NotificationKind
from notifications.services import notify

from . import conf
from .errors import AlreadyReported, BadMessage, MayNotMessage
from .models import (
    Conversation,
    Message,
    MessageAttachment,
    MessageReport,
    MessagingPreference,
    ReportReason,
    Side,
)
from .selectors import with_contacts_shown
from .text import shown_text

LIVE_MESSAGE = "message"
LIVE_READ = "read"
# The notification kind of the unread-message email.
UNREAD_KIND = NotificationKind.MESSAGE_UNREAD


def start_conversation(*, customer, provider, service=None) -> Conversation:
    """The one conversation between `customer` and the provider (a ServiceProviderProfile),
    created on first use; only a customer starts one, with a verified provider."""
    if not customer.is_customer:
        raise MayNotMessage("Conversations are started from a customer account.")
    if not provider.is_verified:
        raise MayNotMessage("This provider cannot be contacted yet.")
    conversation, _ = Conversation.objects.get_or_create(
        customer=customer, provider=provider, defaults={"service": service}
    )
    return conversation


def conversation_for_booking(*, user, booking) -> Conversation:
    """The conversation of a booking's customer and provider, for either of them."""
    if user.pk not in (booking.customer_id, booking.provider.user_id):
        raise MayNotMessage("Only the booking's customer and provider write about it.")
    conversation, _ = Conversation.objects.get_or_create(
        customer=booking.customer, provider=booking.provider, defaults={"service": booking.service}
    )
    return conversation


def _clean_body(body, *, with_photos=False) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body and not with_photos:
        raise BadMessage("Write a message before sending.", field="body")
    if len(body) > conf.MAX_LENGTH:
        raise BadMessage(
            f"A message is at most {conf.MAX_LENGTH} characters; this one has {len(body)}.",
            field="body",
        )
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in body):
        raise BadMessage("The message holds control characters that cannot be shown.", field="body")
    return body


def _checked_photos(photos) -> list:
    photos = [photo for photo in (photos or []) if photo]
    if not photos:
        return []
    try:
        images.inspect_images(photos, max_count=conf.MAX_PHOTOS)
    except ValidationError as exc:
        raise BadMessage(exc.messages[0], field="photos", errors={"photos": exc.messages}) from None
    return photos


def _store_photo(upload, saved: list) -> dict:
    """The upload cleaned (EXIF gone, upright) and a resized copy, both private."""
    base = f"messages/{secrets.token_urlsafe(24)}"
    cleaned = images.clean_image(upload)
    original = private_storage.save(f"{base}/original{PurePosixPath(cleaned.name).suffix}", cleaned)
    saved.append(original)
    (shown,) = images.build_variants(
        private_storage,
        original,
        storage=private_storage,
        prefix=base,
        widths=(conf.PHOTO_WIDTH,),
        formats=("jpeg",),
    )
    saved.append(shown.name)
    return {
        "original_name": original,
        "image_name": shown.name,
        "width": shown.width,
        "height": shown.height,
    }


def send_message(*, conversation, sender, body, photos=()) -> Message:
    """A new message from one of the two participants, with up to MAX_PHOTOS photos; the
    sender has read up to it. The other side's pages hear of it live; an email follows
    only if it stays unread. A refused photo stores nothing."""
    side = conversation.side_of(sender)
    if side is None:
        raise MayNotMessage("Only the two people in a conversation write in it.")
    photos = _checked_photos(photos)
    body = _clean_body(body, with_photos=bool(photos))
    saved: list[str] = []
    try:
        stored = [_store_photo(photo, saved) for photo in photos]
        return _write_message(conversation, sender, side, body, stored)
    except BaseException:
        for name in saved:
            private_storage.delete(name)
        raise


def _write_message(conversation, sender, side, body, stored) -> Message:
    with transaction.atomic():
        message = Message.objects.create(conversation=conversation, sender=sender, body=body)
        MessageAttachment.objects.bulk_create(
            [MessageAttachment(message=message, **photo) for photo in stored]
        )
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message_at=message.created_at,
            **{f"{side}_read_id": Greatest(F(f"{side}_read_id"), message.pk)},
        )
        conversation.last_message_at = message.created_at
        live.publish(
            user_ids=[conversation.customer_id, conversation.provider.user_id],
            kind=LIVE_MESSAGE,
            data={"conversation": conversation.pk, "message": message.pk},
        )
    return message


def mark_read(*, conversation, user) -> bool:
    """`user` has seen every message of the conversation so far; True if that changed."""
    side = conversation.side_of(user)
    if side is None:
        return False
    latest = conversation.messages.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        changed = Conversation.objects.filter(
            pk=conversation.pk, **{f"{side}_read_id__lt": latest}
        ).update(**{f"{side}_read_id": latest})
        if changed:
            setattr(conversation, f"{side}_read_id", latest)
            live.publish(user_ids=[user.pk], kind=LIVE_READ, data={"conversation": conversation.pk})
    return bool(changed)


def report_message(*, message, reporter, reason, details="") -> MessageReport:
    """A participant reports the other side's message; admins may then read the thread."""
    conversation = message.conversation
    if conversation.side_of(reporter) is None:
        raise MayNotMessage("Only the people in a conversation report its messages.")
    if message.sender_id == reporter.pk:
        raise MayNotMessage("You cannot report your own message.")
    if reason not in ReportReason.values:
        raise BadMessage("Choose a reason.", field="reason")
    details = (details or "").strip()
    if len(details) > 500:
        raise BadMessage("Say it in at most 500 characters.", field="details")
    with transaction.atomic():
        report, created = MessageReport.objects.get_or_create(
            message=message, reporter=reporter, defaults={"reason": reason, "details": details}
        )
    if not created:
        raise AlreadyReported("You have reported this message already.")
    return report


def hide_message(*, message, by, reason="") -> Message:
    """Marketplace staff hide a message; both participants then see that it was removed."""
    if not by.is_marketplace_staff:
        raise MayNotMessage("Only marketplace staff hide messages.")
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, hidden_at__isnull=True).update(
            hidden_at=timezone.now(), hidden_by=by, hidden_reason=(reason or "")[:300]
        )
        message.refresh_from_db()
        conversation = message.conversation
        live.publish(
            user_ids=[conversation.customer_id, conversation.provider.user_id],
            kind=LIVE_MESSAGE,
            data={"conversation": conversation.pk, "message": message.pk},
        )
    return message


def set_email_preference(*, user, email_unread: bool) -> MessagingPreference:
    preference, _ = MessagingPreference.objects.update_or_create(
        user=user, defaults={"email_unread": bool(email_unread)}
    )
    return preference


def _wants_unread_email(user) -> bool:
    return not MessagingPreference.objects.filter(user=user, email_unread=False).exists()


def send_unread_emails(*, now=None) -> int:
    """Email each participant with a message waiting unread for UNREAD_EMAIL_AFTER_MINUTES:
    one email per conversation until they read it again (not one per message), through the
    notifications outbox. A turned-off preference counts as handled. Returns emails owed."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=conf.UNREAD_EMAIL_AFTER_MINUTES)
    owed = 0
    for side, other_user in ((Side.CUSTOMER, "provider__user"), (Side.PROVIDER, "customer")):
        read, emailed = f"{side}_read_id", f"{side}_emailed_id"
        waiting = Message.objects.filter(
            conversation=OuterRef("pk"),
            pk__gt=OuterRef(read),
            created_at__lte=cutoff,
            hidden_at__isnull=True,
            sender=OuterRef(other_user),
        )
        candidates = Conversation.objects.filter(
            Q(**{f"{emailed}__lte": F(read)}),
            last_message_at__gt=now - timedelta(days=7),
            last_message_at__lte=now,
        ).filter(Exists(waiting))
        for conversation_id in candidates.values_list("pk", flat=True)[:500]:
            owed += _email_unread(conversation_id, side, cutoff)
    return owed


def _email_unread(conversation_id, side, cutoff) -> int:
    read, emailed = f"{side}_read_id", f"{side}_emailed_id"
    with transaction.atomic():
        conversation = (
            with_contacts_shown(Conversation.objects.select_related("customer", "provider__user"))
            .select_for_update(of=("self",), skip_locked=True)
            .filter(pk=conversation_id, **{f"{emailed}__lte": F(read)})
            .first()
        )
        if conversation is None:
            return 0  # another run has it, or it was read meanwhile
        recipient = conversation.customer if side == Side.CUSTOMER else conversation.provider.user
        unread = (
            conversation.messages.filter(pk__gt=getattr(conversation, read), hidden_at__isnull=True)
            .exclude(sender=recipient)
            .order_by("-pk")
        )
        latest = unread.first()
        if latest is None or not unread.filter(created_at__lte=cutoff).exists():
            return 0
        Conversation.objects.filter(pk=conversation.pk).update(**{emailed: latest.pk})
        if not _wants_unread_email(recipient):
            return 0
        sender = (
            conversation.provider.display_name
            if side == Side.CUSTOMER
            else (conversation.customer.get_full_name() or "Your customer")
        )
        count = unread.count()
        preview = shown_text(latest.body, masked=not conversation.contacts_shown)
        notify(
            recipient=recipient,
            kind=UNREAD_KIND,
            event_key=f"messages-unread:{conversation.pk}:{side}:{latest.pk}",
            title=f"{sender} wrote to you" + (f" ({count} unread messages)" if count > 1 else ""),
            body=preview[:500],
            url=reverse("messaging:conversation", args=[conversation.pk]),
        )
    return 1
