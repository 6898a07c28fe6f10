from django.contrib import admin

from core.service_layer_admin import ServiceLayerAdmin

from . import services
from .models import Photo
from .templatetags.photo_tags import picture_html


@admin.register(Photo)
class PhotoAdmin(ServiceLayerAdmin):
    """Photos are uploaded by providers on their dashboard; the team looks and removes."""

    list_display = ("preview", "alt_text", "provider", "service", "position", "variants_owed")
    list_filter = ("variants_owed",)
    search_fields = ("alt_text", "provider__business_name", "service__title")
    list_select_related = ("provider__user", "service")
    readonly_fields = (
        "preview",
        "provider",
        "service",
        "alt_text",
        "position",
        "width",
        "height",
        "version",
        "variants_owed",
        "build_attempts",
        "last_error",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields

    @admin.display(description="Photo")
    def preview(self, photo):
        if not photo.is_ready:
            return "Not built yet"
        return picture_html(photo, sizes="8rem")

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        services.delete_photo_as_staff(photo=obj)

    def delete_queryset(self, request, queryset):
        for photo in queryset:
            services.delete_photo_as_staff(photo=photo)
