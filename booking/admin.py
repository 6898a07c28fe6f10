from django.contrib import admin, messages

from core.admin_inlines import ReadOnlyInline
from core.service_layer_admin import ServiceLayerAdmin

from . import services
from .models import (
    Booking,
    BookingStatus,
    BookingStatusHistory,
    ProviderSchedule,
    TimeOff,
    WeeklyAvailability,
)


class BookingStatusHistoryInline(ReadOnlyInline):
    model = BookingStatusHistory
    fields = ["changed_at", "from_status", "to_status", "changed_by", "notes"]
    readonly_fields = fields
    ordering = ["changed_at", "id"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read-only but for its actions: bookings are made and changed through the booking
    services, so every rule and history row applies; admins look, search and cancel from here."""

    list_display = [
        "booking_reference",
        "starts_at",
        "status",
        "service",
        "provider",
        "customer",
        "service_city",
        "estimated_total",
        "currency",
    ]
    list_filter = [
        "status",
        "starts_at",
        ("provider", admin.RelatedOnlyFieldListFilter),
        ("service_city", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "booking_reference",
        "customer__email",
        "provider__user__email",
        "provider__business_name",
    ]
    list_select_related = ["service", "provider__user", "customer", "service_city"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]
    inlines = [BookingStatusHistoryInline]
    actions = ["cancel_bookings"]
    fieldsets = [
        (None, {"fields": ["booking_reference", "status", "status_changed_at"]}),
        (
            "When",
            {
                "fields": [
                    "starts_at",
                    "ends_at",
                    "blocked_until",
                    "time_zone",
                    "estimated_duration_minutes",
                ]
            },
        ),
        ("Who", {"fields": ["customer", "provider", "service"]}),
        (
            "Where",
            {
                "fields": [
                    "service_address",
                    "service_city",
                    "service_state",
                    "service_postal_code",
                    "customer_notes",
                ]
            },
        ),
        ("Price", {"fields": ["base_price", "pricing_type", "currency", "estimated_total"]}),
        (
            "Cancellation",
            {"fields": ["cancellation_free_hours", "cancelled_by", "cancellation_reason"]},
        ),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Booking._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # A booking's page is for reading (no form to save around booking.services); the
        # list's actions, asked without a booking, change the status.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        # A booking's record (and its history) is kept; cancel it instead.
        return False

    @admin.action(description="Cancel selected bookings", permissions=["change"])
    def cancel_bookings(self, request, queryset):
        cancelled = 0
        for booking in queryset.select_related("provider"):
            try:
                services.transition_booking(
                    booking=booking,
                    to_status=BookingStatus.CANCELLED,
                    by=request.user,
                    notes="Cancelled by the marketplace team.",
                )
            except services.BookingError as error:
                self.message_user(
                    request, f"{booking.booking_reference}: {error.message}", messages.WARNING
                )
            else:
                cancelled += 1
        if cancelled:
            self.message_user(request, f"Cancelled {cancelled} booking(s).", messages.SUCCESS)


SCHEDULE_SETTINGS = [
    "time_zone",
    "buffer_minutes",
    "min_notice_hours",
    "max_advance_days",
    "cancellation_free_hours",
    "pending_expiry_hours",
]


@admin.register(ProviderSchedule)
class ProviderScheduleAdmin(ServiceLayerAdmin):
    """Support can read a provider's rules and hours and change the rules, through
    booking.services as on the provider's dashboard; the provider edits their hours there."""

    list_display = ["provider", *SCHEDULE_SETTINGS]
    list_select_related = ["provider__user"]
    search_fields = ["provider__business_name", "provider__user__email"]
    fields = ["provider", *SCHEDULE_SETTINGS, "weekly_hours", "updated_at"]
    readonly_fields = ["provider", "weekly_hours", "updated_at"]

    @admin.display(description="Weekly hours")
    def weekly_hours(self, schedule):
        rows = WeeklyAvailability.objects.filter(provider_id=schedule.provider_id)
        return ", ".join(str(row) for row in rows) or "None yet"

    def save_model(self, request, obj, form, change):
        services.update_schedule_settings(
            provider=obj.provider, **{name: form.cleaned_data[name] for name in SCHEDULE_SETTINGS}
        )

    def has_add_permission(self, request):
        return False


@admin.register(TimeOff)
class TimeOffAdmin(ServiceLayerAdmin):
    """Days off are added and removed through booking.services, under the provider's rules;
    an entry is not edited (remove it and add another)."""

    list_display = ["provider", "start_date", "end_date", "reason"]
    list_select_related = ["provider__user"]
    list_filter = ["start_date"]
    search_fields = ["provider__business_name", "provider__user__email", "reason"]
    raw_id_fields = ["provider"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def save_model(self, request, obj, form, change):
        saved = services.add_time_off(
            provider=form.cleaned_data["provider"],
            start_date=form.cleaned_data["start_date"],
            end_date=form.cleaned_data["end_date"],
            reason=form.cleaned_data["reason"],
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.remove_time_off(provider=obj.provider, time_off=obj)

    def delete_queryset(self, request, queryset):
        for time_off in queryset.select_related("provider"):
            services.remove_time_off(provider=time_off.provider, time_off=time_off)
