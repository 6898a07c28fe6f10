from django.contrib import admin

from . import services
from .models import Service, ServiceCategory


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
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


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "provider",
        "category",
        "base_price",
        "currency",
        "is_active",
        "is_featured",
    ]
    list_filter = ["is_active", "is_featured", "pricing_type", "category"]
    search_fields = ["title", "provider__business_name"]
    list_select_related = ["provider", "category"]
    raw_id_fields = ["provider"]
    readonly_fields = [
        "rating_average",
        "review_count",
        "completed_bookings_count",
        "created_at",
        "updated_at",
    ]
