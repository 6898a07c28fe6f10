from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: admins see what was sent to whom, and which emails failed for good (their
    attempts and last error; filter by email status)."""

    list_display = [
        "title",
        "recipient",
        "kind",
        "created_at",
        "read_at",
        "email_status",
        "email_attempts",
        "last_email_error",
    ]
    list_filter = ["email_status", "kind"]
    search_fields = ["recipient__email", "title", "event_key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    @admin.display(description="Last email error")
    def last_email_error(self, notification):
        error = notification.email_error
        return error if len(error) <= 80 else f"{error[:79]}…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
