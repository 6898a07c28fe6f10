"""Believable demo data, loaded by `manage.py seed_demo`; every step is idempotent.

Each later part of the product adds its own step (availability, bookings, reviews)
to STEPS, so one command keeps loading a coherent marketplace.
"""

import random
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils.text import slugify

from accounts import services as account_services
from accounts.models import City, Role, ServiceProviderProfile, User, VerificationStatus
from catalog import services as catalog_services
from catalog.models import Service, ServiceCategory

from . import bookings as booking_demo
from . import images as demo_images
from . import reviews as review_demo
from . import verification as verification_demo
from .content import (
    BIOS,
    BUSINESS_SUFFIXES,
    CATEGORY_TREE,
    CITIES,
    FIRST_NAMES,
    LAST_NAMES,
)

DEMO_PASSWORD = "demo-marketplace-2026"
DEMO_LOGINS = [
    ("customer@example.com", Role.CUSTOMER, "Casey", "Customer"),
    ("provider@example.com", Role.PROVIDER, "Pat", "Provider"),
    ("admin@example.com", Role.ADMIN, "Alex", "Admin"),
    ("superadmin@example.com", Role.SUPERADMIN, "Sam", "Superadmin"),
]
VERIFIED_PROVIDERS = 40
PENDING_PROVIDERS = 4


class DemoSeeder:
    def __init__(self, *, seed=2026):
        self.seed = seed
        self.password_hash = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose

    def run(self):
        with transaction.atomic():
            cities = self.seed_cities()
            categories = self.seed_categories()
            self.seed_logins()
            self.seed_providers(cities, categories)
            self.seed_bookings()
            # Drawn with Pillow (#18): every demo provider has a photo, their first service one.
            demo_images.seed_photos(demo_images.demo_providers(), self.seed)

    def seed_cities(self):
        return [
            City.objects.get_or_create(
                slug=slugify(f"{name} {state}"),
                defaults={"name": name, "state": state, "time_zone": tz},
            )[0]
            for name, state, tz in CITIES
        ]

    def seed_categories(self):
        """Returns {top-level name: [(child category, offers), ...]}."""
        tree = {}
        for position, (name, icon, description, children) in enumerate(CATEGORY_TREE):
            parent = self._category(
                slug=slugify(name), name=name, icon=icon, description=description, ordering=position
            )
            tree[name] = []
            for child_position, (child_name, offers) in enumerate(children):
                child = self._category(
                    slug=slugify(child_name),
                    name=child_name,
                    parent=parent,
                    ordering=child_position,
                )
                tree[name].append((child, offers))
        return tree

    def _category(self, *, slug, **fields):
        category = ServiceCategory.objects.filter(slug=slug).first()
        if category is None:
            category = catalog_services.save_category(category=ServiceCategory(slug=slug, **fields))
        return category

    def _account(self, email, role, first_name, last_name):
        user = User.objects.filter(email=email).first()
        if user is None:
            if role in (Role.CUSTOMER, Role.PROVIDER):
                user = account_services.register_user(
                    email=email,
                    password=None,
                    role=role,
                    first_name=first_name,
                    last_name=last_name,
                )
            else:
                user = User.objects.create_user(
                    email, None, first_name=first_name, last_name=last_name
                )
                account_services.change_role(user=user, role=role)
            user.password = self.password_hash
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def seed_logins(self):
        for email, role, first_name, last_name in DEMO_LOGINS:
            self._account(email, role, first_name, last_name)

    def seed_providers(self, cities, categories):
        top_names = list(categories)
        demo_provider = ServiceProviderProfile.objects.get(user__email="provider@example.com")
        people = [(demo_provider.user.last_name, demo_provider)]
        for index in range(VERIFIED_PROVIDERS + PENDING_PROVIDERS):
            first = FIRST_NAMES[index % len(FIRST_NAMES)]
            last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
            email = f"{first}.{last}{index}@example.com".lower()
            user = self._account(email, Role.PROVIDER, first, last)
            people.append((last, user.provider_profile))

        for index, (last, profile) in enumerate(people):
            # One generator per provider, so a re-run draws the same choices for each.
            rng = random.Random(f"{self.seed}-{profile.user.email}")
            top = top_names[index % len(top_names)]
            verified = index <= VERIFIED_PROVIDERS  # the demo provider (index 0) is verified
            self._fill_provider(rng, profile, last, top, verified, cities)
            self._seed_services(rng, profile, categories[top], featured=index % 5 == 0)
            if not verified:
                # What the admin home's "Applications waiting" opens: a real application.
                verification_demo.seed_application(
                    profile, random.Random(f"{self.seed}-verification-{profile.user.email}")
                )
            catalog_services.sync_provider_listings(provider=profile)

    def seed_bookings(self):
        """Working hours for every provider; a few bookings for the demo customer."""
        providers = list(
            # Only the demo's own providers: `--scale` adds benchmark listings, not schedules.
            ServiceProviderProfile.objects.filter(user__email__endswith="@example.com")
            .select_related("user")
            .order_by(
                # The demo provider first: it gets a request to answer and a confirmed job.
                models.Case(models.When(user__email="provider@example.com", then=0), default=1),
                "pk",
            )
        )
        rng = random.Random(f"{self.seed}-bookings")
        booking_demo.seed_schedules(providers, rng)
        customer = User.objects.get(email="customer@example.com")
        booking_demo.seed_bookings(customer, providers, rng)
        review_demo.seed_reviews(random.Random(f"{self.seed}-reviews"))

    def _fill_provider(self, rng, profile, last, top, verified, cities):
        suffix, bio = rng.choice(BUSINESS_SUFFIXES[top]), rng.choice(BIOS)
        years, served = rng.randint(1, 25), rng.sample(cities, rng.randint(1, 3))
        if not profile.business_name:
            profile.business_name = f"{last} {suffix}"
            profile.bio = bio
            profile.years_of_experience = years
        if not profile.verification_decisions.exists():
            # A re-run leaves alone what a demo admin decided since.
            profile.verification_status = (
                VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING
            )
        profile.save()
        if not profile.cities.exists():
            profile.cities.set(served)

    def _seed_services(self, rng, profile, subcategories, *, featured):
        for child, offers in rng.sample(subcategories, min(2, len(subcategories))):
            title, short, (low, high), pricing, minutes = rng.choice(offers)
            price = Decimal(rng.randrange(low, high + 1))
            if Service.objects.filter(provider=profile, slug=slugify(title)).exists():
                continue
            service = catalog_services.create_service(
                user=profile.user,
                category=child,
                title=title,
                slug=slugify(title),
                short_description=short,
                description=f"{profile.bio}\n\nEvery job starts with a free quote and ends with a tidy finish.",
                pricing_type=pricing,
                base_price=price,
                duration_minutes=minutes,
            )
            if featured:
                service.is_featured = True
                catalog_services.save_service_as_staff(service=service)


def seed(**options):
    DemoSeeder(**options).run()
