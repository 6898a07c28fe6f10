from django.contrib import admin
from django.utils.html import format_html

from .markdown import render_markdown
from .models import ContactMessage, Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    readonly_fields = ["preview", "updated_at"]
    fields = ["slug", "title", "description", "body", "preview", "updated_at"]

    @admin.display(description="Preview (as saved)")
    def preview(self, page):
        # The same rendering as the public page: Markdown, then only safe tags kept.
        return format_html('<div class="page-preview">{}</div>', render_markdown(page.body))

    def view_on_site(self, page):
        return f"/{page.slug}/"


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "name", "email", "created_at", "answered"]
    list_filter = ["answered", "created_at"]
    search_fields = ["subject", "name", "email", "message"]
    readonly_fields = ["name", "email", "subject", "message", "sender", "created_at"]
    fields = ["name", "email", "subject", "message", "sender", "created_at", "answered"]

    def has_add_permission(self, request):
        return False  # messages come from the contact form
