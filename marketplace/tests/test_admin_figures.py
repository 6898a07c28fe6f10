"""The admin home shows the marketplace in figures, at most a minute old."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import ServiceProviderProfile, VerificationStatus
from accounts.tests.factories import (
    AdminFactory,
    CustomerFactory,
    ProviderFactory,
    apply_for_verification,
)
from marketplace.admin_site import FIGURES_KEY

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:accounts_verificationapplication_changelist")


def pending_application():
    return apply_for_verification(ProviderFactory(verification=VerificationStatus.PENDING))


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_admin_home_shows_marketplace_figures(client):
    CustomerFactory.create_batch(2)
    pending_application()
    rated = ProviderFactory().provider_profile
    ServiceProviderProfile.objects.filter(pk=rated.pk).update(rating_average="4.50", review_count=3)
    ServiceProviderProfile.objects.filter(pk=ProviderFactory().provider_profile.pk).update(
        rating_average="3.50", review_count=1
    )
    client.force_login(AdminFactory())

    body = client.get(reverse("admin:index")).content.decode()

    # 2 customers, 3 providers and the admin joined this week.
    assert "<td>6 (2 customers, 3 providers)</td>" in body
    assert (
        f'<a href="{QUEUE}?status__exact=PENDING">Applications waiting for verification</a>'
        "</th><td>1</td>" in body
    )
    assert "4.00 / 5 over 2 rated providers" in body


def test_admin_home_counts_this_weeks_bookings_by_status(client):
    from booking.models import BookingStatus
    from booking.tests.factories import BookingFactory

    BookingFactory.create_batch(2, status=BookingStatus.PENDING)
    BookingFactory(status=BookingStatus.CONFIRMED)
    BookingFactory(
        status=BookingStatus.CONFIRMED, created_at=timezone.now() - datetime.timedelta(days=9)
    )
    client.force_login(AdminFactory())

    body = client.get(reverse("admin:index")).content.decode()

    assert "Pending: 2 · Confirmed: 1</td>" in body


def test_admin_home_figures_are_cached_for_a_minute(client):
    client.force_login(AdminFactory())
    client.get(reverse("admin:index"))
    pending_application()

    body = client.get(reverse("admin:index")).content.decode()

    assert "Applications waiting for verification</a></th><td>0</td>" in body
    assert 0 < cache.ttl(FIGURES_KEY) <= 60
    cache.delete(FIGURES_KEY)  # as when the minute is over
    body = client.get(reverse("admin:index")).content.decode()
    assert "Applications waiting for verification</a></th><td>1</td>" in body


def test_users_older_than_a_week_are_not_new(client, time_machine):
    time_machine.move_to(timezone.now() - datetime.timedelta(days=8))
    CustomerFactory()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=8))
    client.force_login(AdminFactory())

    body = client.get(reverse("admin:index")).content.decode()

    assert "<td>1 (0 customers, 0 providers)</td>" in body  # the admin only
