"""Reads on accounts."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from core.errors import Refused

from .models import (
    City,
    Role,
    ServiceProviderProfile,
    User,
    VerificationApplication,
    VerificationDocument,
    VerificationStatus,
)


def get_account(*, user_id) -> User:
    """The user with what their own profile page shows, the business profile included."""
    return User.objects.select_related("provider_profile").get(pk=user_id)


# --- Naming a city ---------------------------------------------------------------------


class CityNotResolved(Refused):
    """A city named by a client matches no city, or several (then `matches` lists them)."""

    def __init__(self, message: str, *, field: str, matches=()):
        super().__init__(message, field=field)
        self.extra = {"matches": [city_fields(city) for city in matches]} if matches else {}


def served_cities() -> QuerySet[City]:
    """The cities where at least one verified provider works (those search knows), by name."""
    return (
        City.objects.filter(providers__verification_status=VerificationStatus.VERIFIED)
        .distinct()
        .order_by("name", "state")
    )


def city_fields(city: City) -> dict:
    return {"slug": city.slug, "name": city.name, "state": city.state}


def _city_key(text: str) -> str:
    """What is left of a city's name once case, spaces and punctuation are gone:
    `NewYork`, `new york`, `New York` and `new-york` all read as `newyork`."""
    return "".join(char for char in text.casefold() if char.isalnum())


def city_matches(value: str, cities) -> list[City]:
    """The cities of `cities` that `value` names, the most precise reading first: its slug
    exactly; else its name with its state (`New York, NY`, `newyork-ny`); else its name
    alone, in any case and spacing (several when cities in different states share it)."""
    wanted = value.strip()
    cities = list(cities)
    exact = [city for city in cities if city.slug == wanted.lower()]
    if exact:
        return exact
    key = _city_key(wanted)
    if not key:
        return []
    with_state = [
        city for city in cities if city.state and _city_key(city.name + city.state) == key
    ]
    if with_state:
        return with_state
    return [city for city in cities if _city_key(city.name) == key]


def _choices(cities) -> str:
    return "; ".join(f"{city.slug} or “{city}”" for city in cities)


def resolve_city(value: str, *, field: str, among=None) -> City:
    """The one City `value` names (city_matches), searched first in `among` (e.g. the
    cities a provider serves, already loaded) and then in every city. Raises
    CityNotResolved naming `field`: empty, unknown, or a name several cities share (the
    message and `matches` list them, so the client can send a slug)."""
    wanted = value.strip()
    if not wanted:
        raise CityNotResolved("Please enter the city.", field=field)
    if among is not None:
        among = list(among)
        found = city_matches(wanted, among)
        if len(found) > 1:
            raise CityNotResolved(
                f"This provider serves more than one {wanted}. Send {_choices(found)}.",
                field=field,
                matches=found,
            )
        if found:
            return found[0]
    # A slug is one indexed read; only a name needs every city's (a few hundred at most).
    by_slug = City.objects.filter(slug=wanted.lower()).first()
    found = [by_slug] if by_slug else city_matches(wanted, City.objects.all())
    if len(found) > 1:
        raise CityNotResolved(
            f"More than one city is called {wanted}. Send {_choices(found)}.",
            field=field,
            matches=found,
        )
    if found:
        return found[0]
    if among is not None:
        known = ", ".join(f"{city.slug} ({city})" for city in among) or "none yet"
        message = f"Unknown city “{wanted}”. Cities this provider serves: {known}."
    else:
        message = f"Unknown city “{wanted}”: send a slug or a name from /api/cities/."
    raise CityNotResolved(message, field=field)


# --- Verification ------------------------------------------------------------------------


def pending_application(provider: ServiceProviderProfile) -> VerificationApplication | None:
    return provider.verification_applications.filter(status=VerificationStatus.PENDING).first()


def application_blocker(provider: ServiceProviderProfile) -> str:
    """Why the provider cannot apply for verification now; empty when they can."""
    if provider.verification_status == VerificationStatus.VERIFIED:
        return "You are verified: there is nothing to apply for."
    if pending_application(provider) is not None:
        return (
            "Your application is waiting for an admin's decision; "
            "you can apply again if it is rejected."
        )
    if not provider.is_complete:
        return "Complete your business profile before applying."
    return ""


@dataclass(frozen=True)
class VerificationOverview:
    applications: list[VerificationApplication]  # newest first, with their documents
    blocker: str

    @property
    def can_apply(self) -> bool:
        return not self.blocker

    @property
    def pending(self) -> VerificationApplication | None:
        return next((a for a in self.applications if a.is_pending), None)


def verification_overview(provider: ServiceProviderProfile) -> VerificationOverview:
    """A provider's applications with their documents and decisions, and whether they may apply."""
    applications = list(
        provider.verification_applications.prefetch_related(
            Prefetch("documents", queryset=VerificationDocument.objects.order_by("kind", "pk"))
        )
    )
    return VerificationOverview(applications=applications, blocker=application_blocker(provider))


def downloadable_documents(user: User) -> QuerySet[VerificationDocument]:
    """The verification documents `user` may download: their own, or all of them for admins."""
    documents = VerificationDocument.objects.select_related("application__provider")
    if user.is_staff and user.has_perm("accounts.view_verificationdocument"):
        return documents
    return documents.filter(application__provider__user=user)


@dataclass(frozen=True)
class AccountFigures:
    new_users: int
    new_customers: int
    new_providers: int
    pending_verifications: int
    average_provider_rating: Decimal | None
    rated_providers: int


def account_figures(*, joined_since) -> AccountFigures:
    """Sign-ups since `joined_since`, the verification queue and providers' mean rating."""
    users = User.objects.filter(date_joined__gte=joined_since).aggregate(
        total=Count("pk"),
        customers=Count("pk", filter=Q(role=Role.CUSTOMER)),
        providers=Count("pk", filter=Q(role=Role.PROVIDER)),
    )
    ratings = ServiceProviderProfile.objects.filter(review_count__gt=0).aggregate(
        average=Avg("rating_average"), rated=Count("pk")
    )
    average = ratings["average"]
    return AccountFigures(
        new_users=users["total"],
        new_customers=users["customers"],
        new_providers=users["providers"],
        pending_verifications=VerificationApplication.objects.filter(
            status=VerificationStatus.PENDING
        ).count(),
        average_provider_rating=None
        if average is None
        else Decimal(average).quantize(Decimal("0.01")),
        rated_providers=ratings["rated"],
    )
