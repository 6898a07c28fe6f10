from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """A record shown beside its parent in the admin (history, decisions), never edited there."""

    extra = 0
    can_delete = False
    show_change_link = False
    view_on_site = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
