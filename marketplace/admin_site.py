"""The admin site: Django's own, with the marketplace's figures on its home page."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class MarketplaceAdminSite(admin.AdminSite):
    def index(self, request, extra_context=None):
        from .figures import admin_home_figures  # models are not ready when this module loads

        context = {"marketplace_figures": admin_home_figures(), **(extra_context or {})}
        return super().index(request, context)


class MarketplaceAdminConfig(AdminConfig):
    """django.contrib.admin with MarketplaceAdminSite as `admin.site`, where every app registers."""

    default_site = "marketplace.admin_site.MarketplaceAdminSite"
