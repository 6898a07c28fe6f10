"""The admin site: Django's own, with the marketplace's figures on its home page."""

from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.cache import cache
from django.utils import timezone

FIGURES_KEY = "admin:home-figures:v2"  # v1 held a class that moved away
FIGURES_TIMEOUT = 60  # a minute: the admin home is opened often, the figures move slowly
WEEK = timedelta(days=7)


def admin_home_figures() -> dict:
    """Figures for the admin home, at most a minute old: accounts' (AccountFigures), the
    bookings of the week by status and when they were computed."""
    figures = cache.get(FIGURES_KEY)
    if figures is None:
        figures = _compute()
        cache.set(FIGURES_KEY, figures, FIGURES_TIMEOUT)
    return figures


def _compute() -> dict:
    # Models are not ready when this module loads (it names the admin's AppConfig).
    from accounts.selectors import account_figures
    from booking.selectors import bookings_by_status_since

    now = timezone.now()
    return {
        "computed_at": now,
        **vars(account_figures(joined_since=now - WEEK)),
        # {status label: count} of bookings made in the last 7 days.
        "bookings_by_status": bookings_by_status_since(now - WEEK),
    }


class MarketplaceAdminSite(admin.AdminSite):
    def index(self, request, extra_context=None):
        context = {"marketplace_figures": admin_home_figures(), **(extra_context or {})}
        return super().index(request, context)


class MarketplaceAdminConfig(AdminConfig):
    """django.contrib.admin with MarketplaceAdminSite as `admin.site`, where every app registers."""

    default_site = "marketplace.admin_site.MarketplaceAdminSite"
