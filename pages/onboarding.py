"""A new provider's way to being live: which steps are done, and where each is done.

Photos of services do not exist yet (issue #18), so the second step is "a first service";
it becomes "a first service with a photo" once services have photos."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse

from accounts.models import ServiceProviderProfile, VerificationApplication, VerificationStatus
from booking.models import WeeklyAvailability
from catalog.models import Service


@dataclass(frozen=True)
class Step:
    title: str
    done: bool
    url: str
    link_text: str


@dataclass(frozen=True)
class Checklist:
    steps: list[Step]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def complete(self) -> bool:
        return self.done_count == self.total

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.steps if not step.done), None)


def provider_checklist(provider: ServiceProviderProfile) -> Checklist:
    """The five steps from sign-up to services customers can find, read in one query."""
    mine = {"provider": OuterRef("pk")}
    facts = (
        ServiceProviderProfile.objects.filter(pk=provider.pk)
        .annotate(
            has_city=Exists(
                ServiceProviderProfile.cities.through.objects.filter(
                    serviceproviderprofile=OuterRef("pk")
                )
            ),
            has_service=Exists(Service.objects.filter(**mine)),
            has_listed=Exists(Service.objects.filter(**mine, is_listed=True)),
            has_hours=Exists(WeeklyAvailability.objects.filter(**mine)),
            has_application=Exists(VerificationApplication.objects.filter(**mine)),
        )
        .values(
            "business_name",
            "verification_status",
            "has_city",
            "has_service",
            "has_listed",
            "has_hours",
            "has_application",
        )
        .get()
    )
    verified = facts["verification_status"] == VerificationStatus.VERIFIED
    return Checklist(
        [
            Step(
                "Business profile: your name and the cities you serve",
                bool(facts["business_name"]) and facts["has_city"],
                reverse("accounts:provider_profile"),
                "Edit your business profile",
            ),
            Step(
                "A first service",
                facts["has_service"],
                reverse("catalog:service_create"),
                "Add a service",
            ),
            Step(
                "Working hours",
                facts["has_hours"],
                reverse("booking:availability"),
                "Set your working hours",
            ),
            Step(
                "Verification application",
                facts["has_application"] or verified,
                reverse("accounts:verification"),
                "Apply for verification",
            ),
            Step(
                "You are live: verified, with a service customers can find",
                verified and facts["has_listed"],
                provider.get_absolute_url() if verified else reverse("accounts:verification"),
                "See your public page" if verified else "See where your application is",
            ),
        ]
    )
