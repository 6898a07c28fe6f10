from django.contrib import admin

from core.admin_inlines import ReadOnlyInline

from .models import QuoteEvent, QuoteRequest


class QuoteEventInline(ReadOnlyInline):
    model = QuoteEvent
    fields = ["changed_at", "kind", "from_status", "to_status", "changed_by", "price", "notes"]


@admin.register(QuoteRequest)
class QuoteRequestAdmin(admin.ModelAdmin):
    """Read-only: quotes change only through quotes.services (the pages and the API)."""

    list_display = ["reference", "service", "customer", "provider", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["reference", "customer__email", "provider__business_name"]
    list_select_related = ["service", "customer", "provider"]
    inlines = [QuoteEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
