"""The review rules: who may review, edit, reply, hide; and the figures that move with them."""

from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache

from accounts.tests.factories import AdminFactory, CustomerFactory, ProviderFactory
from booking.models import BookingStatus
from booking.tests.factories import bookable_service
from catalog import cache as catalog_cache
from notifications.models import Notification, NotificationKind
from reviews import services
from reviews.models import (
    ModerationAction,
    ProviderRatingSummary,
    Review,
    ReviewReply,
    ServiceRatingSummary,
)
from reviews.selectors import rating_summary

from .factories import ReviewFactory, answers, completed_booking

pytestmark = pytest.mark.django_db


def figures(service):
    """What a customer reads about a service and its provider: (average, count) of each."""
    service.refresh_from_db()
    service.provider.refresh_from_db()
    return (
        (service.rating_average, service.review_count),
        (service.provider.rating_average, service.provider.review_count),
    )


def submit(booking, **overrides):
    return services.submit_review(
        booking=booking, customer=booking.customer, **answers(**overrides)
    )


# --- Who may review what ---------------------------------------------------------------------


def test_customer_reviews_their_completed_booking():
    booking = completed_booking()

    review = submit(booking, rating=4, title="Good work", comment="Tidy.")

    review.refresh_from_db()
    assert (review.customer, review.service, review.provider) == (
        booking.customer,
        booking.service,
        booking.provider,
    )
    assert (review.rating, review.title, review.comment) == (4, "Good work", "Tidy.")
    assert (review.quality_rating, review.punctuality_rating) == (5, 4)
    assert figures(booking.service) == ((Decimal("4.00"), 1), (Decimal("4.00"), 1))


@pytest.mark.parametrize(
    "status",
    [
        BookingStatus.PENDING,
        BookingStatus.CONFIRMED,
        BookingStatus.IN_PROGRESS,
        BookingStatus.CANCELLED,
    ],
)
def test_a_booking_can_be_reviewed_only_once_completed(status):
    booking = completed_booking(status=status)

    with pytest.raises(services.NotNow, match="once the job is completed"):
        submit(booking)

    assert not Review.objects.exists()
    assert not ServiceRatingSummary.objects.exists()
    assert figures(booking.service) == ((Decimal("0.00"), 0), (Decimal("0.00"), 0))


def test_nobody_but_its_customer_reviews_a_booking():
    booking = completed_booking()

    for someone in (CustomerFactory(), booking.provider.user, AdminFactory()):
        with pytest.raises(services.NotAllowed, match="Only the customer who booked"):
            services.submit_review(booking=booking, customer=someone, **answers())

    assert not Review.objects.exists()
    assert not Notification.objects.exists()


def test_a_second_review_of_a_booking_is_refused_and_changes_nothing(
    mailoutbox, django_capture_on_commit_callbacks
):
    booking = completed_booking()
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(booking, rating=5, title="First")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.AlreadyReviewed, match="already reviewed this booking"),
    ):
        submit(booking, rating=1, title="Second")

    assert list(Review.objects.values_list("pk", "title", "rating")) == [(first.pk, "First", 5)]
    assert figures(booking.service) == ((Decimal("5.00"), 1), (Decimal("5.00"), 1))
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("rating", 0), ("rating", 6), ("value_rating", "x"), ("quality_rating", None)],
)
def test_ratings_are_whole_numbers_from_1_to_5(field, value):
    booking = completed_booking()

    with pytest.raises(services.ReviewError, match="from 1 to 5") as raised:
        submit(booking, **{field: value})

    assert raised.value.field == field
    assert not Review.objects.exists()


def test_a_review_needs_a_title_and_keeps_it_on_one_line():
    with pytest.raises(services.ReviewError, match="A title is required") as raised:
        submit(completed_booking(), title="   ")
    assert raised.value.field == "title"

    review = submit(completed_booking(), title="Great\r\n  job")

    assert review.title == "Great job"


# --- The figures -----------------------------------------------------------------------------


def test_averages_counts_distribution_and_sub_ratings_follow_each_new_review():
    service = bookable_service()
    for rating, quality in ((5, 5), (4, 3), (2, 1)):
        ReviewFactory(service=service, rating=rating, quality_rating=quality)

    summary = rating_summary(service=service)
    assert figures(service) == ((Decimal("3.67"), 3), (Decimal("3.67"), 3))
    assert summary.rating_average == Decimal("3.67")
    assert [(stars, count) for stars, count, _ in summary.distribution] == [
        (5, 1),
        (4, 1),
        (3, 0),
        (2, 1),
        (1, 0),
    ]
    assert dict(summary.sub_rating_averages) == {
        "Quality": Decimal("3.0"),
        "Punctuality": Decimal("3.7"),
        "Professionalism": Decimal("3.7"),
        "Value for money": Decimal("3.7"),
    }


def test_a_providers_figures_cover_all_their_services():
    first = bookable_service()
    second = bookable_service(provider=first.provider)
    ReviewFactory(service=first, rating=5)
    ReviewFactory(service=first, rating=4)
    ReviewFactory(service=second, rating=2)

    assert figures(first) == ((Decimal("4.50"), 2), (Decimal("3.67"), 3))
    assert figures(second)[0] == (Decimal("2.00"), 1)
    assert ProviderRatingSummary.objects.get(pk=first.provider.pk).stars_2 == 1


def test_editing_a_review_moves_the_figures_by_the_difference():
    service = bookable_service()
    ReviewFactory(service=service, rating=5)
    review = ReviewFactory(service=service, rating=2)

    services.edit_review(
        review=review,
        customer=review.customer,
        **answers(rating=4, title="Better after a follow-up", value_rating=1),
    )

    review.refresh_from_db()
    assert (review.rating, review.title, review.value_rating) == (4, "Better after a follow-up", 1)
    assert figures(service) == ((Decimal("4.50"), 2), (Decimal("4.50"), 2))
    summary = rating_summary(service=service)
    assert (summary.stars_2, summary.stars_4, summary.stars_5) == (0, 1, 1)
    assert dict(summary.sub_rating_averages)["Value for money"] == Decimal("3.0")


def test_a_review_can_be_changed_only_by_its_customer_within_the_window(time_machine, now):
    review = ReviewFactory(rating=3)

    with pytest.raises(services.NotAllowed, match="Only the customer who wrote"):
        services.edit_review(review=review, customer=CustomerFactory(), **answers())

    # 14 days of real time: in Chicago, daylight saving starts within them.
    time_machine.move_to(now.astimezone(UTC) + timedelta(days=14, minutes=1), tick=False)
    with pytest.raises(services.NotNow, match="changed for 14 days after they are written"):
        services.edit_review(review=review, customer=review.customer, **answers(rating=5))

    review.refresh_from_db()
    assert review.rating == 3
    assert figures(review.service)[0] == (Decimal("3.00"), 1)


def test_the_edit_window_is_a_setting(time_machine, now, settings):
    settings.REVIEWS_EDIT_WINDOW_DAYS = 30
    review = ReviewFactory(rating=3)
    time_machine.move_to(now + timedelta(days=20), tick=False)

    services.edit_review(review=review, customer=review.customer, **answers(rating=5))

    assert figures(review.service)[0] == (Decimal("5.00"), 1)


def test_hidden_reviews_leave_the_figures_and_come_back_when_shown():
    service = bookable_service()
    ReviewFactory(service=service, rating=5, quality_rating=5)
    abusive = ReviewFactory(service=service, rating=1, quality_rating=1)
    admin = AdminFactory()
    assert figures(service) == ((Decimal("3.00"), 2), (Decimal("3.00"), 2))

    services.hide_review(review=abusive, by=admin, reason="Insults the provider.")

    assert figures(service) == ((Decimal("5.00"), 1), (Decimal("5.00"), 1))
    summary = rating_summary(service=service)
    assert (summary.stars_1, dict(summary.sub_rating_averages)["Quality"]) == (0, Decimal("5.0"))
    abusive.refresh_from_db()
    assert (abusive.is_hidden, abusive.hidden_reason, abusive.hidden_by) == (
        True,
        "Insults the provider.",
        admin,
    )

    services.unhide_review(review=abusive, by=admin, reason="Appeal accepted.")

    assert figures(service) == ((Decimal("3.00"), 2), (Decimal("3.00"), 2))
    assert list(abusive.moderation.values_list("action", "reason", "by")) == [
        (ModerationAction.HIDDEN, "Insults the provider.", admin.pk),
        (ModerationAction.SHOWN, "Appeal accepted.", admin.pk),
    ]


def test_hiding_the_only_review_leaves_no_rating():
    review = ReviewFactory(rating=4)

    services.hide_review(review=review, by=AdminFactory(), reason="Spam.")

    assert figures(review.service) == ((Decimal("0.00"), 0), (Decimal("0.00"), 0))


def test_only_the_marketplace_team_hides_reviews_and_always_with_a_reason():
    review = ReviewFactory(rating=1)

    with pytest.raises(services.NotAllowed, match="Only the marketplace team"):
        services.hide_review(review=review, by=review.provider.user, reason="I disagree.")
    with pytest.raises(services.ReviewError, match="A reason is required"):
        services.hide_review(review=review, by=AdminFactory(), reason="  ")

    review.refresh_from_db()
    assert not review.is_hidden
    assert figures(review.service)[0] == (Decimal("1.00"), 1)


def test_hiding_twice_or_showing_a_visible_review_is_refused():
    review = ReviewFactory()
    admin = AdminFactory()

    with pytest.raises(services.NotNow, match="not hidden"):
        services.unhide_review(review=review, by=admin, reason="Oops.")
    services.hide_review(review=review, by=admin, reason="Spam.")
    with pytest.raises(services.NotNow, match="already hidden"):
        services.hide_review(review=review, by=admin, reason="Spam again.")

    assert figures(review.service)[0] == (Decimal("0.00"), 0)


def test_a_hidden_review_can_no_longer_be_edited():
    review = ReviewFactory(rating=1)
    services.hide_review(review=review, by=AdminFactory(), reason="Abusive.")

    with pytest.raises(services.NotNow, match="hidden by the marketplace team"):
        services.edit_review(review=review, customer=review.customer, **answers(rating=5))

    assert figures(review.service)[0] == (Decimal("0.00"), 0)


def test_a_review_leaves_the_cached_listings_in_place(django_capture_on_commit_callbacks):
    # A review moves one service's and provider's figures, whose pages are not cached; it no
    # longer bumps the catalog's generation (#17, catalog/cache.py: ratings_changed).
    booking = completed_booking()
    before = catalog_cache.generation()

    with django_capture_on_commit_callbacks(execute=True):
        submit(booking)

    assert catalog_cache.generation() == before
    assert cache.get(catalog_cache.GENERATION_KEY) == before


# --- Replies ---------------------------------------------------------------------------------


def test_the_provider_replies_once():
    review = ReviewFactory()

    reply = services.reply_to_review(
        review=review, provider_user=review.provider.user, text="  Thank you!  "
    )
    with pytest.raises(services.NotNow, match="already replied"):
        services.reply_to_review(
            review=review, provider_user=review.provider.user, text="Another one"
        )

    assert list(ReviewReply.objects.values_list("review", "text")) == [(review.pk, "Thank you!")]
    assert reply.text == "Thank you!"


def test_only_the_reviewed_provider_replies():
    review = ReviewFactory()

    for someone in (ProviderFactory(), review.customer, AdminFactory()):
        with pytest.raises(services.NotAllowed, match="Only the provider who did the job"):
            services.reply_to_review(review=review, provider_user=someone, text="Hello")

    assert not ReviewReply.objects.exists()


def test_a_reply_needs_words_and_a_visible_review():
    review = ReviewFactory()
    with pytest.raises(services.ReviewError, match="Your reply is required"):
        services.reply_to_review(review=review, provider_user=review.provider.user, text=" ")

    services.hide_review(review=review, by=AdminFactory(), reason="Spam.")
    with pytest.raises(services.NotNow, match="hidden"):
        services.reply_to_review(review=review, provider_user=review.provider.user, text="Hi")

    assert not ReviewReply.objects.exists()


# --- Notifications ---------------------------------------------------------------------------


def test_a_new_review_notifies_the_provider_once_with_a_link_to_it(
    mailoutbox, django_capture_on_commit_callbacks, settings
):
    booking = completed_booking()

    with django_capture_on_commit_callbacks(execute=True):
        review = submit(booking, rating=4, title="Good work")

    link = f"{booking.service.get_absolute_url()}#review-{review.pk}"
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.url) == (
        booking.provider.user,
        NotificationKind.REVIEW_RECEIVED,
        link,
    )
    assert [message.to for message in mailoutbox] == [[booking.provider.user.email]]
    assert "New 4-star review" in mailoutbox[0].subject
    assert "Good work" in mailoutbox[0].subject
    assert f"{settings.SITE_URL}{link}" in mailoutbox[0].body


def test_a_reply_notifies_the_customer_once_with_a_link_to_their_booking(
    mailoutbox, django_capture_on_commit_callbacks, settings
):
    review = ReviewFactory(title="Good work")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.reply_to_review(
            review=review, provider_user=review.provider.user, text="Thanks, see you soon."
        )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.NotNow):
        services.reply_to_review(review=review, provider_user=review.provider.user, text="Again")

    assert [message.to for message in mailoutbox] == [[review.customer.email]]
    assert "replied to your review “Good work”" in mailoutbox[0].subject
    assert "Thanks, see you soon." in mailoutbox[0].body
    link = f"{settings.SITE_URL}/bookings/{review.booking.booking_reference}/"
    assert link in mailoutbox[0].body
    assert Notification.objects.get(kind=NotificationKind.REVIEW_REPLY).recipient == (
        review.customer
    )


def test_editing_hiding_and_showing_notify_nobody(mailoutbox, django_capture_on_commit_callbacks):
    review = ReviewFactory()
    admin = AdminFactory()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.edit_review(review=review, customer=review.customer, **answers(rating=3))
        services.hide_review(review=review, by=admin, reason="Spam.")
        services.unhide_review(review=review, by=admin, reason="Not spam.")

    assert mailoutbox == []
    assert Notification.objects.count() == 1  # the provider's "new review", from before
