"""`manage.py recompute_ratings`: the stored figures match a recount, and drift is reported."""

import random
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import ServiceProviderProfile
from accounts.tests.factories import AdminFactory
from booking.tests.factories import bookable_service
from catalog.models import Service
from reviews import services
from reviews.models import ProviderRatingSummary, Review, ServiceRatingSummary

from .factories import ReviewFactory, answers, completed_booking

pytestmark = pytest.mark.django_db


def recompute(*args):
    out = StringIO()
    call_command("recompute_ratings", *args, stdout=out)
    return out.getvalue()


def by_hand(reviews) -> tuple[Decimal, int]:
    """Average and count of the visible ones, computed here without the app's code."""
    ratings = [review.rating for review in reviews if not review.is_hidden]
    if not ratings:
        return Decimal("0.00"), 0
    mean = (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return mean, len(ratings)


def random_answers(rng):
    return answers(
        rating=rng.randint(1, 5),
        quality_rating=rng.randint(1, 5),
        punctuality_rating=rng.randint(1, 5),
        professionalism_rating=rng.randint(1, 5),
        value_rating=rng.randint(1, 5),
    )


def test_no_drift_after_a_random_sequence_of_creates_edits_hides_and_unhides(now):
    rng = random.Random(2026)
    first = bookable_service()
    catalog = [first, bookable_service(provider=first.provider), bookable_service()]
    waiting = [completed_booking(service=rng.choice(catalog)) for _ in range(30)]
    admin = AdminFactory()
    done = {"create": 0, "edit": 0, "hide": 0, "unhide": 0}

    for _ in range(60):
        reviews = list(Review.objects.all())
        visible = [r for r in reviews if not r.is_hidden]
        hidden = [r for r in reviews if r.is_hidden]
        choices = ["create"] * bool(waiting) * 3 + ["edit", "hide"] * bool(visible)
        choices += ["unhide"] * bool(hidden)
        operation = rng.choice(choices)
        if operation == "create":
            booking = waiting.pop()
            services.submit_review(
                booking=booking, customer=booking.customer, **random_answers(rng)
            )
        elif operation == "edit":
            review = rng.choice(visible)
            services.edit_review(review=review, customer=review.customer, **random_answers(rng))
        elif operation == "hide":
            services.hide_review(review=rng.choice(visible), by=admin, reason="Off-topic.")
        else:
            services.unhide_review(review=rng.choice(hidden), by=admin, reason="Appeal.")
        done[operation] += 1

    assert all(done.values()), done  # the sequence exercised every operation
    assert "No drift" in recompute()
    for service in Service.objects.filter(pk__in=[s.pk for s in catalog]):
        assert (service.rating_average, service.review_count) == by_hand(service.reviews.all())
    for provider in ServiceProviderProfile.objects.filter(services__in=catalog).distinct():
        assert (provider.rating_average, provider.review_count) == by_hand(provider.reviews.all())


def test_drift_is_reported_row_by_row_and_fails_without_fix():
    review = ReviewFactory(rating=4)
    service, provider = review.service, review.provider
    # A bug or a hand edit: the listed figures and a summary no longer match the reviews.
    Service.objects.filter(pk=service.pk).update(rating_average=Decimal("4.90"), review_count=7)
    ProviderRatingSummary.objects.filter(pk=provider.pk).update(
        review_count=2, rating_sum=9, stars_5=1
    )
    out = StringIO()

    with pytest.raises(CommandError, match="2 row\\(s\\) drifted") as failed:
        call_command("recompute_ratings", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines == [
        f"service {service.pk} “{service.title}”: Service.review_count stored 7, recount 1; "
        "Service.rating_average stored 4.90, recount 4.00",
        f"provider {provider.pk} “{provider.business_name}”: review_count stored 2, recount 1; "
        "rating_sum stored 9, recount 4; stars_5 stored 1, recount 0",
    ]
    assert "--fix" in str(failed.value)
    service.refresh_from_db()
    assert service.rating_average == Decimal("4.90")  # reported, not changed


def test_fix_rewrites_drifted_rows_from_the_reviews():
    service = bookable_service()
    ReviewFactory(service=service, rating=5)
    ReviewFactory(service=service, rating=2)
    orphan = bookable_service()
    ServiceRatingSummary.objects.filter(pk=service.pk).update(
        review_count=1, rating_sum=5, stars_2=0
    )
    Service.objects.filter(pk=orphan.pk).update(rating_average=Decimal("3.00"), review_count=1)

    out = recompute("--fix")

    assert "Fixed 2 row(s)." in out
    service.refresh_from_db()
    orphan.refresh_from_db()
    assert (service.rating_average, service.review_count) == (Decimal("3.50"), 2)
    assert (orphan.rating_average, orphan.review_count) == (Decimal("0.00"), 0)
    summary = ServiceRatingSummary.objects.get(pk=service.pk)
    assert (summary.review_count, summary.rating_sum, summary.stars_2) == (2, 7, 1)
    assert "No drift" in recompute()
