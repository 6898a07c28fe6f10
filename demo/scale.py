"""Bulk listings for benchmarks: `seed_demo --scale N` adds N services across N/5 providers.

Rows are written with PostgreSQL's COPY in batches, with the table's secondary
indexes dropped and rebuilt once at the end; services go through a staging table so
each lands once, with its search vector. A million services load in minutes. Ratings
and review counts are spread artificially (there are no review rows behind them): this
data is for measuring speed, not for the demo.
"""

import random
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import (
    City,
    Role,
    ServiceProviderProfile,
    User,
    UserProfile,
    VerificationStatus,
)
from booking import conf as booking_conf
from booking import free_days
from booking.models import ProviderSchedule, WeeklyAvailability
from catalog.models import FreeDaysState, Service, ServiceCategory, ServiceFreeDay
from catalog.services import SEARCH_VECTOR_SQL, remember_search_terms

from .bulk_copy import copy_rows, next_ids
from .content import BIOS, BUSINESS_SUFFIXES, CATEGORY_TREE, FIRST_NAMES, LAST_NAMES

SERVICES_PER_PROVIDER = 5
BATCH = 5000
EMAIL_DOMAIN = "scale.example.com"
ADJECTIVES = [
    "Same-day",
    "Affordable",
    "Eco-friendly",
    "Premium",
    "Express",
    "Reliable",
    "Family-run",
    "Certified",
    "Weekend",
    "Budget",
    "Professional",
    "Friendly",
    "Emergency",
    "Expert",
]
EXTRA_SENTENCES = [
    "Free quote before any work starts.",
    "All materials and tools included.",
    "Fully insured and background-checked.",
    "Available evenings and weekends.",
    "Satisfaction guaranteed or we come back for free.",
    "Pet-friendly and careful in your home.",
    "We clean up after ourselves.",
    "Seniors get a ten percent discount.",
]
# Words that appear in few listings, so benchmarks can ask for something rare.
RARE_WORDS = ["chandelier", "sauna", "pergola", "aquarium", "harpsichord", "gazebo", "terrarium"]


def _offers_by_leaf():
    by_slug = {c.slug: c for c in ServiceCategory.objects.all()}
    offers = []
    for top, _icon, _description, children in CATEGORY_TREE:
        for child_name, child_offers in children:
            category = by_slug.get(child_name.lower().replace(" ", "-"))
            if category is not None:
                offers.extend((top, category, offer) for offer in child_offers)
    return offers


def seed_scale(total: int, *, stdout=None, seed=2026) -> int:
    """Add services until `total` scale services exist; returns how many were added."""
    if connection.vendor != "postgresql":
        raise CommandError(
            "--scale loads with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database."
        )
    existing = Service.objects.filter(provider__user__email__endswith=f"@{EMAIL_DOMAIN}").count()
    missing = total - existing
    if missing <= 0:
        _seed_working_hours()  # databases seeded before scale providers had hours
        _seed_free_days(stdout)  # or before search filtered on availability, or days ago
        return 0
    rng = random.Random(f"{seed}-{existing}")
    offers = _offers_by_leaf()
    cities = list(City.objects.values_list("pk", flat=True))
    password = make_password(None)
    first_provider = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()
    providers_needed = -(-missing // SERVICES_PER_PROVIDER)
    added = 0
    with transaction.atomic(), _indexes_dropped(Service, keep_unique=True):
        _create_staging_table()
        for start in range(0, providers_needed, BATCH // SERVICES_PER_PROVIDER):
            count = min(BATCH // SERVICES_PER_PROVIDER, providers_needed - start)
            wanted = min(missing - added, count * SERVICES_PER_PROVIDER)
            ids = _seed_batch(rng, first_provider + start, count, wanted, offers, cities, password)
            added += len(ids)
            if stdout and (start // count) % 20 == 0:
                stdout.write(f"  {existing + added:,} / {total:,} services")
        if stdout:
            stdout.write("  computing search vectors…")
        _insert_staged_services()
        if stdout:
            stdout.write("  working hours…")
        _seed_working_hours()
        if stdout:
            stdout.write("  rebuilding indexes…")
    remember_search_terms(
        *(c.search_terms for c in ServiceCategory.objects.all()),
        *(" ".join([title, short]) for _top, _category, (title, short, *_rest) in offers),
        *ADJECTIVES,
        *EXTRA_SENTENCES,
        *BIOS,
        *RARE_WORDS,
        "specialists work too",
    )
    with connection.cursor() as cursor:
        # VACUUM also sets the visibility map, so index-only scans work from the start, as
        # they do on any table autovacuum has visited; it cannot run inside a transaction
        # (a test's), where statistics are what matters.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    # With the statistics just taken: without them the planner reads whole tables to find
    # a batch of providers' services.
    _seed_free_days(stdout)
    return added


STAGING_TABLE = "scale_service_staging"

# Every scale provider works Monday to Friday; a third of them Saturday mornings too, so
# the booking benchmark can book any of them and the day picker has closed days to show.
WORKDAY_HOURS = ("08:00", "17:00")
SATURDAY_HOURS = ("09:00", "13:00")


def _seed_working_hours():
    """A schedule (the booking defaults, in the zone of the provider's first city) and
    weekly hours for every scale provider that has none, in two set-based statements."""
    scale_providers = f"""
        SELECT p.id FROM {ServiceProviderProfile._meta.db_table} p
        JOIN {User._meta.db_table} u ON u.id = p.user_id
        WHERE u.email LIKE %s
    """
    pattern = f"%@{EMAIL_DOMAIN}"
    through = ServiceProviderProfile.cities.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {ProviderSchedule._meta.db_table}
                (provider_id, time_zone, buffer_minutes, min_notice_hours, max_advance_days,
                 cancellation_free_hours, pending_expiry_hours, calendar_token, updated_at)
            SELECT s.id,
                   coalesce((SELECT c.time_zone FROM {through} pc
                             JOIN {City._meta.db_table} c ON c.id = pc.city_id
                             WHERE pc.serviceproviderprofile_id = s.id
                             ORDER BY c.name LIMIT 1), %s),
                   %s, %s, %s, %s, %s,
                   -- unique per provider; a benchmark's calendar feeds are never read
                   'scale-' || s.id || '-' || md5(random()::text),
                   now()
            FROM ({scale_providers}) s
            WHERE NOT EXISTS (SELECT 1 FROM {ProviderSchedule._meta.db_table} x
                              WHERE x.provider_id = s.id)
            """,
            [
                settings.TIME_ZONE,
                booking_conf.DEFAULT_BUFFER_MINUTES,
                booking_conf.DEFAULT_MIN_NOTICE_HOURS,
                booking_conf.DEFAULT_MAX_ADVANCE_DAYS,
                booking_conf.DEFAULT_CANCELLATION_FREE_HOURS,
                booking_conf.DEFAULT_PENDING_EXPIRY_HOURS,
                pattern,
            ],
        )
        cursor.execute(
            f"""
            INSERT INTO {WeeklyAvailability._meta.db_table}
                (provider_id, weekday, start_time, end_time)
            SELECT s.id, d.weekday, d.starts::time, d.ends::time
            FROM ({scale_providers}) s
            CROSS JOIN (VALUES (0, %s, %s), (1, %s, %s), (2, %s, %s), (3, %s, %s),
                               (4, %s, %s), (5, %s, %s)) AS d(weekday, starts, ends)
            WHERE (d.weekday < 5 OR s.id %% 3 = 0)
              AND NOT EXISTS (SELECT 1 FROM {WeeklyAvailability._meta.db_table} x
                              WHERE x.provider_id = s.id)
            """,
            [pattern, *WORKDAY_HOURS * 5, *SATURDAY_HOURS],
        )


FREE_DAYS_BATCH = 1000


def _seed_free_days(stdout=None):
    """Search's free days for every scale provider whose rows are missing or would no longer
    cover this week, by the same code as the sweep (booking.free_days.refresh_many)."""
    fresh_until = timezone.now().date() + timedelta(days=7)
    stale = (
        ServiceProviderProfile.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}")
        .exclude(
            pk__in=FreeDaysState.objects.filter(computed_through__gte=fresh_until).values(
                "provider_id"
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    providers = list(stale)
    for start in range(0, len(providers), FREE_DAYS_BATCH):
        free_days.refresh_many(providers[start : start + FREE_DAYS_BATCH])
        if stdout and (start // FREE_DAYS_BATCH) % 20 == 0:
            stdout.write(f"  free days: {start:,} / {len(providers):,} providers")
    if providers:
        with connection.cursor() as cursor:
            cursor.execute(
                f"VACUUM (ANALYZE) {ServiceFreeDay._meta.db_table}, {FreeDaysState._meta.db_table}"
                if not connection.in_atomic_block
                else f"ANALYZE {ServiceFreeDay._meta.db_table}"
            )


def _create_staging_table():
    """Services are loaded here first, so each row is written once, vector included.

    Computing vectors with an UPDATE after the load would leave a dead copy of every row
    behind, a table half as large again for every scan the benchmark makes.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING_TABLE} (LIKE catalog_service) ON COMMIT DROP"
        )


def _insert_staged_services():
    columns = [f.column for f in Service._meta.concrete_fields if f.column != "search_vector"]
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    values = ", ".join(f"s.{connection.ops.quote_name(column)}" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO catalog_service ({names}, search_vector)
            SELECT {values}, {SEARCH_VECTOR_SQL}
            FROM {STAGING_TABLE} AS s JOIN catalog_servicecategory AS c ON c.id = s.category_id
            ORDER BY s.id
            """
        )
        cursor.execute(f"DROP TABLE {STAGING_TABLE}")


@contextmanager
def _indexes_dropped(model, *, keep_unique):
    """Drop a table's secondary indexes for a bulk load and build them again after it.

    Building an index once over a million rows is far cheaper than updating it a
    million times.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
              AND NOT (x.indisunique AND %s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
            """,
            [table, keep_unique],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred; check them now, as CREATE INDEX needs.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def _seed_batch(rng, first_index, providers, services_wanted, offers, cities, password):
    now = timezone.now()
    user_ids = next_ids(User, providers)
    users = [
        {
            "id": user_ids[i],
            "email": f"pro{first_index + i}@{EMAIL_DOMAIN}",
            "first_name": FIRST_NAMES[(first_index + i) % len(FIRST_NAMES)],
            "last_name": LAST_NAMES[(first_index + i) * 7 % len(LAST_NAMES)],
            "role": Role.PROVIDER,
            "password": password,
            "date_joined": now,
        }
        for i in range(providers)
    ]
    copy_rows(User, users)
    copy_rows(
        UserProfile,
        [
            {"id": pid, "user_id": u["id"]}
            for pid, u in zip(next_ids(UserProfile, providers), users, strict=True)
        ],
    )
    copy_rows(
        EmailAddress,
        [
            {"id": eid, "user_id": u["id"], "email": u["email"], "verified": True, "primary": True}
            for eid, u in zip(next_ids(EmailAddress, providers), users, strict=True)
        ],
    )
    profiles = []
    for profile_id, user in zip(next_ids(ServiceProviderProfile, providers), users, strict=True):
        top, _category, _offer = rng.choice(offers)
        profiles.append(
            {
                "id": profile_id,
                "user_id": user["id"],
                "business_name": f"{user['last_name']} {rng.choice(BUSINESS_SUFFIXES[top])}",
                "slug": user["email"].split("@")[0],
                "bio": rng.choice(BIOS),
                "years_of_experience": rng.randint(1, 30),
                # A few providers are still waiting: their services must stay out of search.
                "verification_status": (
                    VerificationStatus.PENDING
                    if rng.random() < 0.04
                    else VerificationStatus.VERIFIED
                ),
                "created_at": now,
                "updated_at": now,
            }
        )
    copy_rows(ServiceProviderProfile, profiles)
    served = [(p["id"], city) for p in profiles for city in rng.sample(cities, rng.randint(1, 3))]
    through = ServiceProviderProfile.cities.through
    copy_rows(
        through,
        [
            {"id": tid, "serviceproviderprofile_id": pid, "city_id": city}
            for tid, (pid, city) in zip(next_ids(through, len(served)), served, strict=True)
        ],
    )
    cities_of = {}
    for provider_id, city in served:
        cities_of.setdefault(provider_id, []).append(city)
    service_ids = next_ids(Service, services_wanted)
    rows = []
    for index, service_id in enumerate(service_ids):
        profile = profiles[index // SERVICES_PER_PROVIDER]
        _top, category, (title, short, (low, high), pricing, minutes) = rng.choice(offers)
        rare = f" Specialists in {rng.choice(RARE_WORDS)} work too." if rng.random() < 0.002 else ""
        reviews = rng.choice([0, 0, rng.randint(1, 12), rng.randint(5, 200)])
        active = rng.random() > 0.03
        rows.append(
            {
                "id": service_id,
                "provider_id": profile["id"],
                "category_id": category.pk,
                "title": f"{rng.choice(ADJECTIVES)} {title[0].lower()}{title[1:]}",
                "slug": f"service-{service_id}",
                "short_description": short,
                "description": " ".join([short, *rng.sample(EXTRA_SENTENCES, 3), profile["bio"]])
                + rare,
                "pricing_type": pricing,
                "base_price": Decimal(rng.randrange(low * 100, high * 100 + 1)) / 100,
                "duration_minutes": minutes,
                "is_active": active,
                "is_featured": rng.random() < 0.001,
                "is_listed": active
                and profile["verification_status"] == VerificationStatus.VERIFIED,
                "city_ids": sorted(cities_of[profile["id"]]),
                "rating_average": Decimal(rng.randint(300, 500)) / 100 if reviews else Decimal("0"),
                "review_count": reviews,
                # Spread over the past year so "newest" has something to sort.
                "created_at": now - timedelta(minutes=rng.randrange(525600)),
                "updated_at": now,
            }
        )
    copy_rows(Service, rows, table=STAGING_TABLE)
    return service_ids
