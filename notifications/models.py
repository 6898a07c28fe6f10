from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationKind(models.TextChoices):
    BOOKING_REQUESTED = "BOOKING_REQUESTED", "Booking requested"
    BOOKING_REQUEST_SENT = "BOOKING_REQUEST_SENT", "Booking request sent"
    BOOKING_CONFIRMED = "BOOKING_CONFIRMED", "Booking confirmed"
    BOOKING_REJECTED = "BOOKING_REJECTED", "Booking declined"
    BOOKING_CANCELLED = "BOOKING_CANCELLED", "Booking cancelled"
    BOOKING_RESCHEDULED = "BOOKING_RESCHEDULED", "Booking rescheduled"
    BOOKING_EXPIRED = "BOOKING_EXPIRED", "Booking request expired"
    BOOKING_STARTED = "BOOKING_STARTED", "Job started"
    BOOKING_COMPLETED = "BOOKING_COMPLETED", "Job completed"
    BOOKING_REMINDER = "BOOKING_REMINDER", "Booking reminder"
    REVIEW_INVITATION = "REVIEW_INVITATION", "Review invitation"
    REVIEW_RECEIVED = "REVIEW_RECEIVED", "New review"
    REVIEW_REPLY = "REVIEW_REPLY", "Reply to your review"
    VERIFICATION_APPROVED = "VERIFICATION_APPROVED", "Verification approved"
    VERIFICATION_REJECTED = "VERIFICATION_REJECTED", "Verification rejected"
    CONTACT_MESSAGE = "CONTACT_MESSAGE", "Message from the contact form"
    # Quotes (#22): each change the other side should know about.
    QUOTE_REQUESTED = "QUOTE_REQUESTED", "Quote request received"
    QUOTE_SENT = "QUOTE_SENT", "Quote received"
    QUOTE_CHANGED = "QUOTE_CHANGED", "Quote changed"
    QUOTE_ACCEPTED = "QUOTE_ACCEPTED", "Quote accepted"
    QUOTE_DECLINED = "QUOTE_DECLINED", "Quote request declined"
    QUOTE_WITHDRAWN = "QUOTE_WITHDRAWN", "Quote withdrawn"
    QUOTE_EXPIRED = "QUOTE_EXPIRED", "Quote expired"
    # Messages (#22): one email per conversation when a message waits unread.
    MESSAGE_UNREAD = "MESSAGE_UNREAD", "Unread message"


# Emails a user may switch off in their profile (field on UserProfile); all others always go.
OPTIONAL_EMAIL_PREFERENCE = {
    NotificationKind.BOOKING_REMINDER: "email_reminders",
    NotificationKind.REVIEW_INVITATION: "email_review_invitations",
}


class EmailStatus(models.TextChoices):
    PENDING = "PENDING", "Waiting to be sent"
    SENT = "SENT", "Sent"
    SKIPPED = "SKIPPED", "Not sent (turned off by the user)"
    FAILED = "FAILED", "Failed after every retry"


class Notification(models.Model):
    """One message to one person: shown in the app and (usually) emailed, exactly once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind)
    # Identifies the event (e.g. "booking:42:CONFIRMED"); with the recipient it is unique,
    # so a retried task or a repeated call never notifies anyone twice.
    event_key = models.CharField(max_length=120)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # A file sent with the email (an .ics of a booking request, say), kept with the row so
    # a retried send attaches exactly what the first would have; its type from its name.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    email_status = models.CharField(max_length=8, choices=EmailStatus, default=EmailStatus.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.TextField(blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The outbox's two clocks (see notifications/services.py). A delivery holds the email
    # until email_lease_until, so no other sends it meanwhile; the sweeper takes a PENDING
    # email again once email_next_attempt_at has passed (enqueue lost, send killed, backoff).
    email_lease_until = models.DateTimeField(null=True, blank=True)
    email_next_attempt_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="notification_once_per_event"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                name="notification_unread_idx",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
            models.Index(fields=["email_status", "created_at"], name="notification_email_idx"),
            models.Index(
                fields=["email_next_attempt_at"],
                name="notification_email_due_idx",
                condition=models.Q(email_status="PENDING"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient}"

    @property
    def is_read(self):
        return self.read_at is not None
