"""The review form on a customer's finished booking, and a provider's reply to a review.

The lists of reviews are part of the service and provider pages (catalog.views), which
read them through reviews.selectors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.decorators import provider_required
from booking import selectors as booking_selectors
from booking.models import Booking, BookingStatus
from core.forms import add_domain_error
from core.next_url import safe_next_url

from . import selectors, services
from .forms import ReplyForm, ReviewForm
from .models import Review

# What the booking page says when the form cannot open; the services' longer messages
# explain the rule to API clients and beside the form.
NOT_COMPLETED_YET = "You can review this job once it is completed."
NO_LONGER_EDITABLE = "Your review can no longer be changed."


def _visible_booking(request, reference) -> Booking:
    try:
        return booking_selectors.booking_for_user(user=request.user, reference=reference)
    except Booking.DoesNotExist:
        raise Http404("No such booking.") from None


def _back_to_booking(request, booking, message, level=messages.SUCCESS):
    messages.add_message(request, level, message)
    if request.htmx:
        return HttpResponseClientRedirect(booking.get_absolute_url())
    return redirect(booking)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def write_review(request, reference):
    """Write the review of a finished job, or change it while the edit window is open."""
    booking = _visible_booking(request, reference)
    opening = selectors.review_opening(booking, request.user)
    if isinstance(opening.blocker, services.NotAllowed):
        # The provider (or an admin) can see the booking, but only its customer reviews it.
        raise PermissionDenied(opening.blocker.message)
    if opening.blocker is not None:
        if opening.review:
            refusal = NO_LONGER_EDITABLE
        elif booking.status == BookingStatus.COMPLETED:
            refusal = opening.blocker.message  # e.g. marked completed before its start
        else:
            refusal = NOT_COMPLETED_YET
        return _back_to_booking(request, booking, refusal, messages.ERROR)
    review = opening.review

    form = ReviewForm.for_review(review, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if review is None:
                services.submit_review(booking=booking, customer=request.user, **form.cleaned_data)
            else:
                services.edit_review(review=review, customer=request.user, **form.cleaned_data)
        except services.ReviewError as error:
            add_domain_error(form, error)
        else:
            done = "Your review is updated." if review else "Thank you! Your review is published."
            return _back_to_booking(request, booking, done)

    template = "reviews/review_form.html"
    if request.htmx:
        template += "#review-form"
    return render(
        request,
        template,
        {"form": form, "booking": booking, "review": review},
    )


@provider_required
@require_POST
@vary_on_headers("HX-Request")
def reply(request, pk):
    """The reviewed provider's one public reply, posted from under the review."""
    review = get_object_or_404(
        Review.objects.select_related("service", "provider", "customer"), pk=pk, is_hidden=False
    )
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_to_review(
                review=review, provider_user=request.user, text=form.cleaned_data["text"]
            )
        except services.NotAllowed as error:
            raise PermissionDenied(error.message) from None
        except services.ReviewError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your reply is published under the review.")

    if request.htmx:
        review = Review.objects.select_related(
            "customer", "reply", "service", "provider__user"
        ).get(pk=pk)
        return render(
            request,
            "reviews/includes/review.html",
            {
                "review": review,
                "can_reply": True,
                "reply_form": form,
                "provider_name": review.provider.display_name,
            },
        )
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(
        safe_next_url(request, f"{review.service.get_absolute_url()}#review-{review.pk}")
    )
