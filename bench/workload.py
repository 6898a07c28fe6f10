"""What each benchmark row asks for, written as request lines for bench/wrk/row.lua.

A line is `METHOD<TAB>PATH` or `METHOD<TAB>PATH<TAB>JSON BODY`. Lists are drawn with a fixed
seed, so two runs on the same data send the same requests.
"""

import json
import random
from dataclasses import dataclass
from datetime import timedelta
from itertools import zip_longest
from pathlib import Path
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import City, Role, ServiceProviderProfile, User, VerificationStatus
from accounts.services import register_user
from bench import fixtures
from bench.search_matrix import SORTS, search_matrix, zipf_sequence
from booking.models import Booking, WeeklyAvailability
from booking.selectors import SlotFinder
from catalog.forms import SearchForm
from catalog.models import Service, ServiceCategory

CLIENT_EMAIL = "bench-client@bench.example.com"
# Service and provider pages drawn at random, so the run is not one cached row.
PAGE_SAMPLE = 2000
API_LIST_PAGES = 5
# Slots closer than this to the preparation are left out: by the time the row runs they
# could fall inside the provider's minimum notice.
NOTICE_MARGIN = timedelta(hours=2)
# Providers the booking row books, drawn from all of them: enough that consecutive requests
# almost never wait on one provider's schedule lock, few enough to prepare in seconds.
BOOKING_PROVIDERS = 1000


def get(path: str, params: dict | None = None) -> str:
    return f"GET\t{path}?{urlencode(params)}" if params else f"GET\t{path}"


SEARCH_REQUESTS = 4000


def search_lines(seed: int = 2026) -> list[str]:
    """The search row's requests: a skewed stream over the generated matrix
    (bench/search_matrix.py), so popular searches repeat, as in life, and most are distinct."""
    matrix = search_matrix(seed=seed, size=SEARCH_REQUESTS)
    return [get("/search/", params) for params in zipf_sequence(matrix, SEARCH_REQUESTS, seed=seed)]


AVAILABILITY_REQUESTS = 1000


def availability_lines(seed: int = 2026) -> list[str]:
    """The availability row's requests: distinct searches of the matrix, each asking for
    "this week" or one of the next 14 days (the search form's own choices), so every filter
    and sort meets the free-days probe, mostly on days most providers work, sometimes on a
    Sunday nobody does."""
    rng = random.Random(seed)
    days = [value for value, _label in SearchForm().fields["available"].choices if value]
    matrix = search_matrix(seed=seed, size=AVAILABILITY_REQUESTS)
    return [get("/search/", {**params, "available": rng.choice(days)}) for params in matrix]


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
        "search by availability": availability_lines(),
        # Every category as linked, and in each order people pick: each its own cached page.
        "category page": [
            get(category.get_absolute_url(), {"sort": sort} if sort != SORTS[0] else None)
            for category in categories
            for sort in SORTS
        ],
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


WRITTEN_SERVICES = 500


def written_service_ids(seed: int = 2026) -> list[int]:
    """The listed services the '+ writes' rows save (bench/cached_rows.py), drawn at random."""
    return _sample(
        Service.objects.filter(is_listed=True), random.Random(seed + 1), WRITTEN_SERVICES
    )


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


@dataclass
class BookingWorkload:
    lines: list[str]
    providers: int  # distinct providers the requests book
    without_hours: int  # verified providers left out: no weekly hours to book


def booking_lines(client: User, limit: int, now=None, seed: int = 2026) -> BookingWorkload:
    """Booking requests on distinct free slots, spread over the whole catalog's providers.

    Up to BOOKING_PROVIDERS providers are drawn at random (a fixed seed) from every verified
    provider with a listed service and weekly hours, and each gives its earliest free slots,
    as many as the limit needs; the requests take the providers in turn, so consecutive
    requests lock different schedules, as customers booking across a marketplace would.
    The client's earlier bookings are deleted first, so every run finds the same free time.
    Per provider, slots are taken back to back (each start after the previous one's job and
    buffer), so no request in the list can collide with another.
    """
    now = now or timezone.now()
    with transaction.atomic():
        Booking.objects.filter(customer=client).delete()
    verified = (
        ServiceProviderProfile.objects.filter(
            verification_status=VerificationStatus.VERIFIED,
            services__is_listed=True,
        )
        .exclude(user__email__in=fixtures.BENCH_EMAILS)
        .distinct()
    )
    with_hours = verified.filter(Exists(WeeklyAvailability.objects.filter(provider=OuterRef("pk"))))
    ids = sorted(with_hours.values_list("pk", flat=True))
    without_hours = verified.count() - len(ids)
    rng = random.Random(seed)
    chosen = sorted(rng.sample(ids, min(len(ids), BOOKING_PROVIDERS, max(limit, 1))))
    per_provider_wanted = -(-limit // max(len(chosen), 1))
    services = (
        Service.objects.filter(provider_id__in=chosen, is_listed=True)
        .select_related("provider")
        .prefetch_related("provider__cities")
        .order_by("provider_id", "pk")
        .distinct("provider_id")
    )
    per_provider = []
    for service in services:
        cities = list(service.provider.cities.all())
        if cities:
            per_provider.append(_provider_slots(service, cities[0], now, per_provider_wanted))
    lines = []
    for batch in zip_longest(*per_provider):
        lines.extend(line for line in batch if line is not None)
    lines = lines[:limit]
    providers = len({json.loads(line.split("\t")[2])["service"] for line in lines})
    return BookingWorkload(lines=lines, providers=providers, without_hours=without_hours)


def _provider_slots(service: Service, city: City, now, wanted: int) -> list[str]:
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
            if len(lines) >= wanted:
                return lines
    return lines


def write_lines(directory: Path, name: str, lines: list[str]) -> Path:
    path = directory / (name.replace(" ", "-") + ".txt")
    path.write_text("\n".join(lines) + "\n")
    return path
