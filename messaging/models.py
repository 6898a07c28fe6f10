from django.conf import settings
from django.db import models
from django.urls import reverse


class Side(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    PROVIDER = "provider", "Provider"


class Conversation(models.Model):
    """The one thread between a customer and a provider, whatever it was started from."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    provider = models.ForeignKey(
        "accounts.ServiceProviderProfile", on_delete=models.CASCADE, related_name="conversations"
    )
    # What it was first about (a service page's "Ask a question"); the thread outlives it.
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    # Read state per participant: the id of the last message each side has seen, and of
    # the last message an unread email was sent for (one email per unread stretch).
    customer_read_id = models.BigIntegerField(default=0)
    provider_read_id = models.BigIntegerField(default=0)
    customer_emailed_id = models.BigIntegerField(default=0)
    provider_emailed_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "provider"], name="conversation_one_per_pair"
            )
        ]
        indexes = [
            # The inboxes: each side's conversations, most recent first.
            models.Index(fields=["customer", "-last_message_at"], name="conversation_customer_idx"),
            models.Index(fields=["provider", "-last_message_at"], name="conversation_provider_idx"),
        ]

    def __str__(self):
        return f"{self.customer} ↔ {self.provider}"

    def get_absolute_url(self):
        return reverse("messaging:conversation", args=[self.pk])

    def side_of(self, user) -> str | None:
        if user.pk == self.customer_id:
            return Side.CUSTOMER
        if user.pk == self.provider.user_id:
            return Side.PROVIDER
        return None


class Message(models.Model):
    """One plain-text message, stored as typed (masking is applied when it is shown)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # An admin hid it after a report: the participants see that a message was removed.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["conversation", "id"], name="message_conversation_idx")]

    def __str__(self):
        return f"Message {self.pk} in conversation {self.conversation_id}"

    @property
    def is_hidden(self):
        return self.hidden_at is not None


class ReportReason(models.TextChoices):
    SPAM = "SPAM", "Spam or advertising"
    ABUSE = "ABUSE", "Abusive or threatening"
    OFF_PLATFORM = "OFF_PLATFORM", "Asks to pay or meet outside the marketplace"
    OTHER = "OTHER", "Something else"


class MessageReport(models.Model):
    """A participant's report of a message; it lets admins read the conversation."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=16, choices=ReportReason)
    details = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="report_once_per_message")
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: message {self.message_id}"


class MessagingPreference(models.Model):
    """A user's choices about message emails (no row: the defaults)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging_preference"
    )
    email_unread = models.BooleanField("Email me when a message waits unread", default=True)

    def __str__(self):
        return f"Message emails of {self.user}"


class MessageAttachment(models.Model):
    """A photo sent with a message: checked, cleaned of EXIF and resized by core/images.py,
    kept in the private storage and served only to the two participants (and to admins of
    a reported conversation) by an access-checked view."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    # The cleaned original and the copy pages show (at most 1280 px wide), both private.
    original_name = models.CharField(max_length=300)
    image_name = models.CharField(max_length=300)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Photo {self.pk} of message {self.message_id}"

    def get_absolute_url(self):
        return reverse("messaging:photo", args=[self.message.conversation_id, self.pk])
