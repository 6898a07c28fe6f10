"""Reads of reviews: the public lists of a service or provider, and their rating summaries."""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import QuerySet

from accounts.models import ServiceProviderProfile

from . import conf
from .models import ProviderRatingSummary, RatingSummary, Review, ServiceRatingSummary


class ReviewSort(models.TextChoices):
    NEWEST = "newest", "Newest"
    HIGHEST = "highest", "Highest rated"
    LOWEST = "lowest", "Lowest rated"


# Ties are broken newest first, then by id, so paging never repeats or skips a review.
ORDER_BY = {
    ReviewSort.NEWEST: ["-created_at", "-id"],
    ReviewSort.HIGHEST: ["-rating", "-created_at", "-id"],
    ReviewSort.LOWEST: ["rating", "-created_at", "-id"],
}


def visible_reviews(*, service=None, provider=None, sort=ReviewSort.NEWEST) -> QuerySet[Review]:
    """The reviews the public sees of one service or one provider, with what a review shows."""
    reviews = Review.objects.filter(is_hidden=False)
    if service is not None:
        reviews = reviews.filter(service=service)
    if provider is not None:
        reviews = reviews.filter(provider=provider)
    return reviews.select_related("customer", "reply", "service").order_by(*ORDER_BY[sort])


def rating_summary(*, service=None, provider=None) -> RatingSummary:
    """The stored figures of a service or provider (all zeros before its first review).

    Free when the service or provider was read with select_related("rating_summary").
    """
    if service is not None:
        try:
            return service.rating_summary
        except ServiceRatingSummary.DoesNotExist:
            return ServiceRatingSummary(service_id=service.pk)
    try:
        return provider.rating_summary
    except ProviderRatingSummary.DoesNotExist:
        return ProviderRatingSummary(provider_id=provider.pk)


class CountedPaginator(Paginator):
    """A paginator given its count: the stored review count, kept exact by every write, so
    a page of reviews costs one query and a service without reviews none."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


@dataclass
class ReviewList:
    provider: ServiceProviderProfile  # the provider reviewed (of the service, or the one)
    summary: RatingSummary
    page: Page
    sort: str
    # The viewer is the provider reviewed, so reply forms are shown under unanswered reviews.
    can_reply: bool

    sorts = ReviewSort.choices

    @property
    def sort_label(self) -> str:
        return ReviewSort(self.sort).label


def review_list(*, service=None, provider=None, sort=None, page=None, viewer=None) -> ReviewList:
    """A page of visible reviews in the asked order, with the summary above it.

    Unknown sorts mean newest first and a page out of range the nearest one, as pages are
    shared links; the API checks its parameters itself. At most two queries (the summary,
    unless already read with the service or provider, and the page of reviews).
    """
    if sort not in ReviewSort.values:
        sort = ReviewSort.NEWEST
    summary = rating_summary(service=service, provider=provider)
    reviews = visible_reviews(service=service, provider=provider, sort=sort)
    reviewed = provider or service.provider
    return ReviewList(
        provider=reviewed,
        summary=summary,
        page=CountedPaginator(reviews, conf.PAGE_SIZE, count=summary.review_count).get_page(page),
        sort=sort,
        can_reply=bool(
            viewer is not None and viewer.is_authenticated and viewer.pk == reviewed.user_id
        ),
    )
