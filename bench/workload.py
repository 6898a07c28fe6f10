"""What each benchmark row asks for, written as request lines for bench/wrk/row.lua.

A line is `METHOD<TAB>PATH` or `METHOD<TAB>PATH<TAB>JSON BODY`. Lists are drawn with a fixed
seed, so two runs on the same data send the same requests.
"""

import json
import random
from datetime import timedelta
from itertools import zip_longest
from pathlib import Path
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import City, Role, ServiceProviderProfile, User, VerificationStatus
from accounts.services import register_user
from bench.search_matrix import search_matrix, zipf_sequence
from booking.models import Booking
from booking.selectors import SlotFinder
from catalog.models import Service, ServiceCategory

CLIENT_EMAIL = "bench-client@bench.example.com"
# Service and provider pages drawn at random, so the run is not one cached row.
PAGE_SAMPLE = 2000
API_LIST_PAGES = 5
# Slots closer than this to the preparation are left out: by the time the row runs they
# could fall inside the provider's minimum notice.
NOTICE_MARGIN = timedelta(hours=2)


def get(path: str, params: dict | None = None) -> str:
    return f"GET\t{path}?{urlencode(params)}" if params else f"GET\t{path}"


SEARCH_REQUESTS = 4000


def search_lines(seed: int = 2026) -> list[str]:
    """The search row's requests: a skewed stream over the generated matrix
    (bench/search_matrix.py), so popular searches repeat, as in life, and most are distinct."""
    matrix = search_matrix(seed=seed, size=SEARCH_REQUESTS)
    return [get("/search/", params) for params in zipf_sequence(matrix, SEARCH_REQUESTS, seed=seed)]


def _sample(queryset, rng, size):
    ids = list(queryset.values_list("pk", flat=True))
    return sorted(rng.sample(ids, min(size, len(ids))))


def page_lines(seed: int = 2026) -> dict[str, list[str]]:
    """Request lines of every GET row, by row name."""
    rng = random.Random(seed)
    listed = Service.objects.filter(is_listed=True)
    services = Service.objects.filter(pk__in=_sample(listed, rng, PAGE_SAMPLE)).order_by("pk")
    verified = ServiceProviderProfile.objects.filter(
        verification_status=VerificationStatus.VERIFIED, services__is_listed=True
    ).distinct()
    providers = ServiceProviderProfile.objects.filter(
        pk__in=_sample(verified, rng, PAGE_SAMPLE)
    ).order_by("pk")
    categories = ServiceCategory.objects.order_by("pk")
    lines = {
        "home": [get("/")],
        "search": search_lines(),
        "category page": [get(category.get_absolute_url()) for category in categories],
        "service detail": [get(service.get_absolute_url()) for service in services],
        "provider page": [get(provider.get_absolute_url()) for provider in providers],
        "login page": [get("/accounts/login/")],
        "api service list": [
            get("/api/services/", {"page": page} if page > 1 else None)
            for page in range(1, API_LIST_PAGES + 1)
        ],
    }
    for name, rows in lines.items():
        rng.shuffle(rows)
        if not rows:
            raise ValueError(f"No requests for {name}: is the benchmark database seeded?")
    return lines


def bench_client(password: str) -> User:
    """The customer account the load generator books as (created once, password reset)."""
    user = User.objects.filter(email=CLIENT_EMAIL).first()
    if user is None:
        user = register_user(
            email=CLIENT_EMAIL,
            password=password,
            role=Role.CUSTOMER,
            first_name="Bench",
            last_name="Client",
        )
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=CLIENT_EMAIL, defaults={"verified": True, "primary": True}
    )
    return user


def booking_lines(client: User, limit: int, now=None) -> list[str]:
    """Booking requests on distinct free slots, one provider after another.

    The client's earlier bookings are deleted first, so every run finds the same free time.
    Per provider, slots are taken back to back (each start after the previous one's job and
    buffer), so no request in the list can collide with another; interleaving providers
    keeps concurrent requests off the same provider's schedule lock.
    """
    now = now or timezone.now()
    with transaction.atomic():
        Booking.objects.filter(customer=client).delete()
    per_provider = []
    providers = (
        ServiceProviderProfile.objects.filter(
            verification_status=VerificationStatus.VERIFIED,
            weekly_availability__isnull=False,
            services__is_listed=True,
        )
        .distinct()
        .prefetch_related("cities")
        .order_by("pk")
    )
    for provider in providers:
        service = (
            Service.objects.select_related("provider")
            .filter(provider=provider, is_listed=True)
            .order_by("pk")
            .first()
        )
        cities = list(provider.cities.all())
        if service is None or not cities:
            continue
        per_provider.append(_provider_slots(service, cities[0], now))
    lines = []
    for batch in zip_longest(*per_provider):
        lines.extend(line for line in batch if line is not None)
    return lines[:limit]


def _provider_slots(service: Service, city: City, now) -> list[str]:
    probe = SlotFinder(service=service, first_day=now.date(), last_day=now.date(), now=now)
    first_day = probe.today
    finder = SlotFinder(
        service=service,
        first_day=first_day,
        last_day=probe.last_bookable_day,
        now=now,
        schedule=probe.schedule,
    )
    lines, free_from = [], now + NOTICE_MARGIN + timedelta(hours=probe.schedule.min_notice_hours)
    for day in finder.days():
        for start in finder.slots(day):
            if start < free_from:
                continue
            body = {
                "service": service.pk,
                "scheduled_date": start.date().isoformat(),
                "scheduled_time": start.strftime("%H:%M"),
                "estimated_duration_minutes": service.duration_minutes,
                "service_address": "1 Benchmark Street",
                "service_city": city.slug,
                "service_state": "",
                "service_postal_code": "00000",
                "customer_notes": "",
            }
            lines.append(f"POST\t/api/bookings/create/\t{json.dumps(body)}")
            free_from = start + finder.blocked
    return lines


def write_lines(directory: Path, name: str, lines: list[str]) -> Path:
    path = directory / (name.replace(" ", "-") + ".txt")
    path.write_text("\n".join(lines) + "\n")
    return path
