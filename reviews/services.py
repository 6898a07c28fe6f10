"""Writes on reviews: submit, edit, reply, hide and unhide.

Every function takes keyword arguments, runs in one transaction and raises a ReviewError
whose message can be shown to the user as is; nothing is written when it raises. Who may
write or change a review, and when, is decided by reviews.selectors (`review_blocker`,
`edit_blocker`): submit and edit raise what those answer, read under the row lock.

Figures: each change moves the service's and the provider's RatingSummary (sums, counts,
1-5 distribution) by the difference it makes, with `UPDATE ... SET x = x + n` (F
expressions), which row-locks the summary until commit; the review itself is re-read
under `select_for_update` first, so the difference is computed from what is really stored.
Locks are always taken review (or booking) → service summary → provider summary, so
concurrent changes queue instead of deadlocking. `Service.rating_average/review_count` and
the provider's are rewritten from the locked summary in the same transaction.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import Truncator

from accounts.models import ServiceProviderProfile
from booking.models import Booking
from catalog import cache as catalog_cache
from catalog.models import Service
from notifications.models import NotificationKind
from notifications.services import notify

from . import selectors

# Defined beside the rules that answer with them (reviews.selectors), and named here too,
# where callers catch them: `except services.ReviewError`.
from .errors import AlreadyReviewed, InvalidReview, NotAllowed, NotNow, ReviewError  # noqa: F401
from .models import (
    COMMENT_MAX_LENGTH,
    MAX_RATING,
    MIN_RATING,
    RATED_FIELDS,
    REASON_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    STAR_FIELDS,
    SUB_RATINGS,
    SUM_FIELDS,
    TITLE_MAX_LENGTH,
    ModerationAction,
    ProviderRatingSummary,
    Review,
    ReviewModeration,
    ReviewReply,
    ServiceRatingSummary,
    average,
)

NOTIFICATION_TITLE_MAX = 200
NOTIFICATION_BODY_MAX = 500


# --- Checking input ----------------------------------------------------------------------


LABELS = {
    "rating": "The overall rating",
    **{field: f"The {label.lower()} rating" for field, label in SUB_RATINGS.items()},
}


def _clean_rating(value, field: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not MIN_RATING <= value <= MAX_RATING
    ):
        raise InvalidReview(
            f"{LABELS[field]} must be a whole number from {MIN_RATING} to {MAX_RATING}.",
            field=field,
        )
    return value


def _clean_text(value, *, field, label, max_length, required, one_line=False) -> str:
    text = (value or "").strip()
    if one_line:
        # Titles travel into email subjects and notification titles: one line only.
        text = " ".join(text.split())
    if required and not text:
        raise InvalidReview(f"{label} is required.", field=field)
    if len(text) > max_length:
        raise InvalidReview(f"{label} can be at most {max_length} characters.", field=field)
    return text


def _checked_answers(*, rating, title, comment, **sub_ratings) -> dict:
    """The customer's answers as a review's fields, or InvalidReview naming the first wrong
    one: what submitting and editing both check."""
    ratings = {"rating": rating, **sub_ratings}
    fields = {name: _clean_rating(ratings.get(name), name) for name in RATED_FIELDS}
    fields["title"] = _clean_text(
        title,
        field="title",
        label="A title",
        max_length=TITLE_MAX_LENGTH,
        required=True,
        one_line=True,
    )
    fields["comment"] = _clean_text(
        comment, field="comment", label="The comment", max_length=COMMENT_MAX_LENGTH, required=False
    )
    return fields


# --- Figures -----------------------------------------------------------------------------


def _contribution(review: Review) -> dict[str, int]:
    """What one visible review adds to its summaries."""
    figures = {"review_count": 1, STAR_FIELDS[review.rating]: 1}
    for field, sum_field in SUM_FIELDS.items():
        figures[sum_field] = getattr(review, field)
    return figures


def _difference(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        name: after.get(name, 0) - before.get(name, 0)
        for name in before.keys() | after.keys()
        if after.get(name, 0) != before.get(name, 0)
    }


def _negated(figures: dict[str, int]) -> dict[str, int]:
    return {name: -amount for name, amount in figures.items()}


def _move_figures(review: Review, change: dict[str, int]) -> None:
    """Add `change` to the summaries of the review's service and provider, in the caller's
    transaction, and copy the new average and count onto Service and ServiceProviderProfile
    (what search sorts and filters on)."""
    if not change:
        return
    for summary_model, owner_model, owner_id in (
        (ServiceRatingSummary, Service, review.service_id),
        (ProviderRatingSummary, ServiceProviderProfile, review.provider_id),
    ):
        summary_model.objects.get_or_create(pk=owner_id)
        summary_model.objects.filter(pk=owner_id).update(
            **{name: F(name) + amount for name, amount in change.items()}
        )
        summary = summary_model.objects.get(pk=owner_id)
        owner_model.objects.filter(pk=owner_id).update(
            rating_average=summary.rating_average, review_count=summary.review_count
        )
    # Only this service's and provider's ratings moved: no global bump (see the function).
    catalog_cache.ratings_changed(service_id=review.service_id, provider_id=review.provider_id)


# --- Notifications -----------------------------------------------------------------------


def review_link(review: Review) -> str:
    """Where a review is read and answered: its place on the service page."""
    return f"{review.service.get_absolute_url()}#review-{review.pk}"


def _notify_provider(review: Review) -> None:
    title = f"New {review.rating}-star review of {review.service.title}: “{review.title}”"
    notify(
        recipient=review.provider.user,
        kind=NotificationKind.REVIEW_RECEIVED,
        event_key=f"review:{review.pk}:received",
        title=Truncator(title).chars(NOTIFICATION_TITLE_MAX),
        body=Truncator(review.comment).chars(NOTIFICATION_BODY_MAX),
        url=review_link(review),
    )


def _notify_customer(review: Review, reply: ReviewReply) -> None:
    title = f"{review.provider.display_name} replied to your review “{review.title}”"
    notify(
        recipient=review.customer,
        kind=NotificationKind.REVIEW_REPLY,
        event_key=f"review:{review.pk}:reply",
        title=Truncator(title).chars(NOTIFICATION_TITLE_MAX),
        body=Truncator(reply.text).chars(NOTIFICATION_BODY_MAX),
        # Their booking page shows their review with the reply, whatever page of the
        # service's reviews it has moved to since.
        url=review.booking.get_absolute_url(),
    )


# --- Writes ------------------------------------------------------------------------------


def _locked_review(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("service", "provider__user", "customer", "booking")
        .get(pk=review.pk)
    )


def _copy_onto(stale: Review, fresh: Review) -> None:
    """Let the caller's object show what was saved."""
    for field in fresh._meta.concrete_fields:
        setattr(stale, field.attname, getattr(fresh, field.attname))


def _refuse(blocker: ReviewError | None) -> None:
    """Raise the rule's refusal (reviews.selectors), if any, before anything is written."""
    if blocker is not None:
        raise blocker


def _locked_booking(booking: Booking) -> Booking:
    # The booking row lock makes a double submission wait and then see the first review:
    # the rule reads the review in a query of its own, after the lock is granted.
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("service", "provider__user")
        .get(pk=booking.pk)
    )


def _record_review(booking: Booking, customer, fields: dict, *, now: datetime | None) -> Review:
    return Review.objects.create(
        booking=booking,
        customer=customer,
        service=booking.service,
        provider=booking.provider,
        created_at=now or timezone.now(),
        **fields,
    )


def _change_answers(review: Review, fields: dict) -> None:
    for name, value in fields.items():
        setattr(review, name, value)
    review.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def submit_review(
    *,
    booking: Booking,
    customer,
    rating,
    title: str,
    comment: str = "",
    quality_rating,
    punctuality_rating,
    professionalism_rating,
    value_rating,
    now: datetime | None = None,
) -> Review:
    """Record the customer's one review of their COMPLETED booking, move the service's and
    the provider's figures with it, and tell the provider once the transaction commits."""
    locked = _locked_booking(booking)
    _refuse(selectors.review_blocker(locked, customer))
    fields = _checked_answers(
        rating=rating,
        title=title,
        comment=comment,
        quality_rating=quality_rating,
        punctuality_rating=punctuality_rating,
        professionalism_rating=professionalism_rating,
        value_rating=value_rating,
    )
    review = _record_review(locked, customer, fields, now=now)
    _move_figures(review, _contribution(review))
    _notify_provider(review)
    return review


@transaction.atomic
def edit_review(
    *,
    review: Review,
    customer,
    rating,
    title: str,
    comment: str = "",
    quality_rating,
    punctuality_rating,
    professionalism_rating,
    value_rating,
    now: datetime | None = None,
) -> Review:
    """Change the customer's own review within the edit window; the figures move by the
    difference."""
    locked = _locked_review(review)
    _refuse(selectors.edit_blocker(locked, customer, now=now))
    fields = _checked_answers(
        rating=rating,
        title=title,
        comment=comment,
        quality_rating=quality_rating,
        punctuality_rating=punctuality_rating,
        professionalism_rating=professionalism_rating,
        value_rating=value_rating,
    )
    before = _contribution(locked)
    _change_answers(locked, fields)
    _move_figures(locked, _difference(before, _contribution(locked)))
    _copy_onto(review, locked)
    return locked


@transaction.atomic
def reply_to_review(
    *, review: Review, provider_user, text: str, now: datetime | None = None
) -> ReviewReply:
    """Publish the provider's one reply under a visible review and tell the customer."""
    locked = _locked_review(review)
    if provider_user is None or locked.provider.user_id != provider_user.pk:
        raise NotAllowed("Only the provider who did the job can reply to this review.")
    if locked.is_hidden:
        raise NotNow("This review is hidden, so it cannot be answered.")
    if ReviewReply.objects.filter(review=locked).exists():
        raise NotNow("You have already replied to this review; a review gets one reply.")
    text = _clean_text(
        text, field="text", label="Your reply", max_length=REPLY_MAX_LENGTH, required=True
    )
    reply = ReviewReply.objects.create(review=locked, text=text, created_at=now or timezone.now())
    _notify_customer(locked, reply)
    return reply


def _require_staff(user, verb: str) -> None:
    if user is None or not user.is_marketplace_staff:
        raise NotAllowed(f"Only the marketplace team can {verb} reviews.")


def _clean_reason(reason) -> str:
    return _clean_text(
        reason,
        field="reason",
        label="A reason",
        max_length=REASON_MAX_LENGTH,
        required=True,
    )


@transaction.atomic
def hide_review(*, review: Review, by, reason: str, now: datetime | None = None) -> Review:
    """Hide a review from every page and take it out of the figures, recording why."""
    _require_staff(by, "hide")
    reason = _clean_reason(reason)
    locked = _locked_review(review)
    if locked.is_hidden:
        raise NotNow("This review is already hidden.")
    now = now or timezone.now()
    locked.is_hidden, locked.hidden_reason = True, reason
    locked.hidden_by, locked.hidden_at = by, now
    locked.save(
        update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at", "updated_at"]
    )
    ReviewModeration.objects.create(
        review=locked, action=ModerationAction.HIDDEN, reason=reason, by=by, at=now
    )
    _move_figures(locked, _negated(_contribution(locked)))
    _copy_onto(review, locked)
    return locked


@transaction.atomic
def unhide_review(*, review: Review, by, reason: str, now: datetime | None = None) -> Review:
    """Show a hidden review again and count it again, recording why."""
    _require_staff(by, "unhide")
    reason = _clean_reason(reason)
    locked = _locked_review(review)
    if not locked.is_hidden:
        raise NotNow("This review is not hidden.")
    locked.is_hidden, locked.hidden_reason = False, ""
    locked.hidden_by, locked.hidden_at = None, None
    locked.save(
        update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at", "updated_at"]
    )
    ReviewModeration.objects.create(
        review=locked,
        action=ModerationAction.SHOWN,
        reason=reason,
        by=by,
        at=now or timezone.now(),
    )
    _move_figures(locked, _contribution(locked))
    _copy_onto(review, locked)
    return locked


# --- Repair ------------------------------------------------------------------------------


@transaction.atomic
def rebuild_figures(*, kind: str, pk: int) -> None:
    """Rewrite one service's or provider's figures from a recount of its visible reviews.

    The summary row is locked first, as every review write locks it, so a write under way
    either finishes before the recount (which then sees it) or adds its change after.
    """
    summary_model, owner_model, group_by, _name = selectors.DRIFT_KINDS[kind]
    summary_model.objects.get_or_create(pk=pk)
    summary_model.objects.select_for_update().get(pk=pk)
    figures = Review.objects.filter(is_hidden=False, **{group_by: pk}).aggregate(
        **selectors.recount_expressions()
    )
    summary_model.objects.filter(pk=pk).update(**figures)
    owner_model.objects.filter(pk=pk).update(
        review_count=figures["review_count"],
        rating_average=average(figures["rating_sum"], figures["review_count"]),
    )
    catalog_cache.invalidate_listings()
