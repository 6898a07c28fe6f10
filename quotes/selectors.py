"""Reads of quotes: who sees which requests, lists for each side, one request with its
history, and the free times a quote can be accepted at."""

from datetime import date, datetime

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from booking import selectors as booking_selectors

from .models import QuoteEvent, QuoteRequest, QuoteStatus

LIST_RELATED = ("customer", "provider", "service", "city", "booking")


def quotes_visible_to(user) -> QuerySet[QuoteRequest]:
    """The requests `user` may see: their own as customer or provider; all for admins."""
    requests = QuoteRequest.objects.select_related(*LIST_RELATED)
    if user.is_marketplace_staff:
        return requests
    if user.is_provider:
        return requests.filter(provider__user=user)
    return requests.filter(customer=user)


def quote_list(*, user, status: str | None = None) -> QuerySet[QuoteRequest]:
    """`user`'s requests, newest first, optionally of one status (two queries a page at most:
    the rows with their related rows, and a count)."""
    requests = quotes_visible_to(user)
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "-id")


def quote_for_user(*, user, reference: str) -> QuoteRequest:
    """One request by reference with its history, if `user` may see it; else
    QuoteRequest.DoesNotExist (pages and the API answer 404 either way)."""
    history = QuoteEvent.objects.select_related("changed_by")
    return (
        quotes_visible_to(user)
        .select_related("provider__user")
        .prefetch_related(Prefetch("history", queryset=history))
        .get(reference=reference.strip().upper())
    )


def status_counts(*, user) -> dict[str, int]:
    """How many of `user`'s requests are in each status (the list's filter tabs)."""

    rows = quotes_visible_to(user).order_by().values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in QuoteStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def proposed_slot_free(quote_request: QuoteRequest, *, now: datetime | None = None) -> bool:
    """Whether the provider's proposed start is still bookable for the quoted duration."""
    start = quote_request.proposed_start
    if start is None:
        return False
    now = now or timezone.now()
    zone = booking_selectors.schedule_for(quote_request.provider).zone
    day = start.astimezone(zone).date()
    finder = booking_selectors.SlotFinder(
        service=quote_request.service,
        first_day=day,
        last_day=day,
        now=now,
        duration_minutes=quote_request.duration_minutes,
    )
    return finder.problem_with(start) is None


def acceptable_slots(quote_request: QuoteRequest, *, day: date) -> list[datetime]:
    """Free starts on the provider's local `day` for the quoted duration."""
    return booking_selectors.free_slots(
        service=quote_request.service,
        date=day,
        duration_minutes=quote_request.duration_minutes,
    )
