from django.contrib import admin, messages

from core.service_layer_admin import ServiceLayerAdmin

from . import services
from .forms import ServiceForm
from .models import SERVICE_FIELDS, Service, ServiceCategory


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ServiceLayerAdmin):
    list_display = ["name", "parent", "ordering", "is_active"]
    list_filter = ["is_active", "parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        services.save_category(category=obj)

    def delete_model(self, request, obj):
        services.delete_category(category=obj)

    def delete_queryset(self, request, queryset):
        for category in queryset:
            services.delete_category(category=category)


def _copy_saved(onto: Service, saved: Service) -> None:
    """Let the admin's instance (logged, linked to) show what the service saved."""
    for field in Service._meta.concrete_fields:
        setattr(onto, field.attname, getattr(saved, field.attname))


@admin.register(Service)
class ServiceAdmin(ServiceLayerAdmin):
    """Services are created, changed, paused and deleted through catalog.services, as on the
    provider's dashboard (the same form), so listing, search data and caches follow."""

    form = ServiceForm
    list_display = [
        "title",
        "provider",
        "category",
        "base_price",
        "currency",
        "is_active",
        "is_listed",
        "is_featured",
    ]
    list_filter = ["is_active", "is_listed", "is_featured", "pricing_type", "category"]
    search_fields = ["title", "provider__business_name"]
    list_select_related = ["provider", "category"]
    raw_id_fields = ["provider"]
    actions = ["pause_services", "resume_services"]
    fieldsets = [
        (None, {"fields": ["provider", "is_listed", "is_featured"]}),
        ("Service", {"fields": list(SERVICE_FIELDS)}),
        (
            "Figures",
            {
                "fields": [
                    "rating_average",
                    "review_count",
                    "completed_bookings_count",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        figures = [
            "is_listed",
            "rating_average",
            "review_count",
            "completed_bookings_count",
            "created_at",
            "updated_at",
        ]
        # No service moves a service to another provider.
        return figures if obj is None else ["provider", *figures]

    def save_model(self, request, obj, form, change):
        fields = form.service_fields()
        if change:
            # The form has already put its values on `obj`: the service starts from the
            # stored row, so only what it allows is written.
            service = services.update_service(
                service=Service.objects.get(pk=obj.pk), user=request.user, **fields
            )
        else:
            # Created for the provider chosen, exactly as they would create it.
            service = services.create_service(user=fields["provider"].user, **fields)
        if fields.get("is_featured", service.is_featured) != service.is_featured:
            services.set_service_featured(
                service=service, user=request.user, featured=fields["is_featured"]
            )
        _copy_saved(obj, service)

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Bookings protect their service (the rule delete_service relies on). Django would
            # ask for the permission to delete them, which no one has: say why, as the
            # dashboard and the API do, and list them.
            self.message_user(request, services.ServiceHasBookings().message, messages.ERROR)
            perms_needed = set()
        return to_delete, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        services.delete_service(service=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for service in queryset.select_related("provider"):
            try:
                services.delete_service(service=service, user=request.user)
            except services.CatalogError as error:
                raise services.CatalogError(f"“{service.title}”: {error.message}") from error

    def _set_active(self, request, queryset, *, active: bool, verb: str):
        count = 0
        for service in queryset.select_related("provider"):
            services.set_service_active(service=service, user=request.user, active=active)
            count += 1
        self.message_user(request, f"{verb} {count} service(s).", messages.SUCCESS)

    @admin.action(
        description="Pause selected services (hidden from customers)", permissions=["change"]
    )
    def pause_services(self, request, queryset):
        self._set_active(request, queryset, active=False, verb="Paused")

    @admin.action(description="Put selected services back on offer", permissions=["change"])
    def resume_services(self, request, queryset):
        self._set_active(request, queryset, active=True, verb="Put back on offer")
