"""Reports in Django admin: Admins read what was reported and hide messages, through the
same service as the conversation page's Hide button. Conversations nobody reported are not
listed: admins read a conversation only when a participant asked them to."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from . import services
from .models import Message, MessageReport


@admin.register(MessageReport)
class MessageReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reason", "reporter", "message_text", "hidden", "conversation"]
    list_filter = ["reason", ("message__hidden_at", admin.EmptyFieldListFilter)]
    list_select_related = ["reporter", "message"]
    search_fields = ["reporter__email", "message__body", "details"]
    readonly_fields = ["message", "reporter", "reason", "details", "created_at"]
    actions = ["hide_reported_messages"]

    @admin.display(description="Message")
    def message_text(self, report):
        body = report.message.body
        return body if len(body) <= 80 else f"{body[:79]}…"

    @admin.display(description="Hidden", boolean=True)
    def hidden(self, report):
        return report.message.is_hidden

    @admin.display(description="Conversation")
    def conversation(self, report):
        url = reverse("messaging:conversation", args=[report.message.conversation_id])
        return format_html('<a href="{}">Read the conversation</a>', url)

    @admin.action(description="Hide the reported messages")
    def hide_reported_messages(self, request, queryset):
        reported = Message.objects.filter(reports__in=queryset).distinct()
        for message in reported.select_related("conversation__provider"):
            services.hide_message(message=message, by=request.user, reason="Reported")
        self.message_user(request, f"{reported.count()} message(s) hidden.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
