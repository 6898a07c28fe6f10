from django.contrib import admin
from django.utils.html import format_html

from core.admin_inlines import ReadOnlyInline

from .models import QuoteEvent, QuotePhoto, QuoteRequest


class QuoteEventInline(ReadOnlyInline):
    model = QuoteEvent
    fields = ["changed_at", "kind", "from_status", "to_status", "changed_by", "price", "notes"]


class QuotePhotoInline(ReadOnlyInline):
    model = QuotePhoto
    fields = ["position", "content_type", "width", "height", "link"]
    readonly_fields = ["link"]

    @admin.display(description="Photo")
    def link(self, photo):
        # Served by the site's own view, which checks who is asking (staff may see it).
        return format_html('<a href="{}">Open</a>', photo.get_absolute_url())


@admin.register(QuoteRequest)
class QuoteRequestAdmin(admin.ModelAdmin):
    """Read-only: quotes change only through quotes.services (the pages and the API)."""

    list_display = ["reference", "service", "customer", "provider", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["reference", "customer__email", "provider__business_name"]
    list_select_related = ["service", "customer", "provider"]
    inlines = [QuoteEventInline, QuotePhotoInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
