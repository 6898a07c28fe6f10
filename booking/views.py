"""Booking pages for customers: the step-by-step flow, their bookings, a booking's page."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url

from catalog.selectors import public_services
from core.next_url import safe_next_url
from core.ratelimit import RateLimitExceeded, limit_user

from . import ics, selectors, services
from .forms import BookingDetailsForm, StatusChangeForm, parse_date, parse_time
from .local_time import offset_param, parse_offset
from .models import Booking, free_cancellation_deadline

DATE_PICKER_DAYS = 28
STEPS = ("date", "time", "details", "review")


# --- The booking flow: date → time → details → review ---------------------------------------


def _draft_key(service):
    return f"booking-draft-{service.pk}"


def _draft(request, service) -> dict:
    return request.session.get(_draft_key(service), {})


def _save_draft(request, service, **values):
    # Every step stores what it learnt, so going back (or reloading) keeps it.
    request.session[_draft_key(service)] = {**_draft(request, service), **values}


def _step_page(request, service, step, context, *, status=200):
    context = {
        "service": service,
        "step": step,
        "steps": STEPS,
        "step_number": STEPS.index(step) + 1,
        "draft": _draft(request, service),
        # Every time on these pages is the provider's local time.
        "time_zone": selectors.schedule_for(service.provider).time_zone,
        **context,
    }
    template = "booking/book.html"
    if request.htmx and not request.htmx.boosted:
        template += "#step"
    response = render(request, template, context, status=status)
    if request.htmx and request.method == "POST":
        # A POST answered with the next step: show that step's own address.
        push_url(response, context["step_url"])
    return response


def _bookable_service(pk):
    return get_object_or_404(public_services(), pk=pk)


def _quote_only(request, service):
    """A price-on-quote service is never booked through the steps: back to its page, which
    offers "Request a quote", saying why."""
    messages.info(request, services.QUOTE_ONLY_MESSAGE)
    url = service.get_absolute_url() + "#request-quote"
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _today(service):
    return timezone.now().astimezone(selectors.schedule_for(service.provider).zone).date()


def _remember_searched_city(request, service):
    """`?city=<slug>` (the city the customer searched in) starts the address step with that
    city, if this provider serves it; a city already chosen in the draft is kept."""
    slug = request.GET.get("city")
    if not slug or "service_city" in _draft(request, service):
        return
    city = service.provider.cities.filter(slug=slug).first()
    if city is not None:
        _save_draft(request, service, service_city=city.pk)


@require_GET
@vary_on_headers("HX-Request")
def book_date(request, service_pk):
    service = _bookable_service(service_pk)
    if service.is_quote_only:
        return _quote_only(request, service)
    _not_for_other_roles(request)
    _remember_searched_city(request, service)
    today = _today(service)
    month = _month(request.GET.get("month"), today)
    calendar = _month_calendar(service, month, today)
    step_url = reverse("booking:book_date", args=[service.pk])
    return _step_page(
        request,
        service,
        "date",
        calendar
        | {"step_url": f"{step_url}?month={month:%Y-%m}" if "month" in request.GET else step_url},
    )


# The day step's calendar (#18): one month, Monday to Sunday, with the next and previous.
CALENDAR_MONTHS_AHEAD = 3
WEEKDAY_NAMES = [(f"{date(2026, 1, 5 + i):%A}", f"{date(2026, 1, 5 + i):%a}") for i in range(7)]


def _month(value, today) -> date:
    """The first day of `?month=YYYY-MM`, within this month and CALENDAR_MONTHS_AHEAD more;
    this month when absent or wrong."""
    first = today.replace(day=1)
    try:
        year, number = (int(part) for part in (value or "").split("-"))
        asked = date(year, number, 1)
    except ValueError:
        return first
    return min(max(asked, first), _add_months(first, CALENDAR_MONTHS_AHEAD))


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_calendar(service, month: date, today: date) -> dict:
    """The weeks of `month` (Monday first; None pads the first and last), each day with
    whether it has a free time, and the months either side one may go to."""
    following = _add_months(month, 1)
    length = (following - month).days
    open_days = set(selectors.bookable_dates(service=service, start=month, days=length))
    cells = [None] * month.weekday() + [
        (month + timedelta(days=offset), month + timedelta(days=offset) in open_days)
        for offset in range(length)
    ]
    cells += [None] * (-len(cells) % 7)
    first = today.replace(day=1)
    return {
        "month": month,
        "weeks": [cells[i : i + 7] for i in range(0, len(cells), 7)],
        "any_open": bool(open_days),
        "today": today,
        "weekday_names": WEEKDAY_NAMES,
        "previous_month": _add_months(month, -1) if month > first else None,
        "next_month": following if following <= _add_months(first, CALENDAR_MONTHS_AHEAD) else None,
    }


@require_GET
@vary_on_headers("HX-Request")
def book_time(request, service_pk):
    service = _bookable_service(service_pk)
    if service.is_quote_only:
        return _quote_only(request, service)
    _not_for_other_roles(request)
    day = parse_date(request.GET.get("date"))
    if day is None:
        messages.warning(request, "Pick a day first.")
        return redirect("booking:book_date", service.pk)
    slots = selectors.free_slots(service=service, date=day)
    _save_draft(request, service, date=day.isoformat())
    return _step_page(
        request,
        service,
        "time",
        {"day": day, "slots": slots, "step_url": f"{request.path}?date={day.isoformat()}"},
    )


def _chosen_slot(request, service):
    """The instant the date, time and offset of the query string (or the draft) name, or
    None (with a message saying why when the time cannot be on that day's clock)."""
    draft = _draft(request, service)
    chosen = request.GET if request.GET.get("date") and request.GET.get("time") else draft
    return _local_start(
        request, service, chosen.get("date"), chosen.get("time"), chosen.get("offset")
    )


def _local_start(request, service, day, at, offset):
    day, at = parse_date(day), parse_time(at)
    if day is None or at is None:
        return None
    try:
        # The offset (from a slot link) tells the two passes of the fall-back hour apart.
        return selectors.starts_at_for(
            service=service, scheduled_date=day, scheduled_time=at, utc_offset=parse_offset(offset)
        )
    except services.BookingError as error:
        messages.warning(request, error.message)
        return None


def _not_for_other_roles(request):
    # Anyone may look at the free times; a signed-in provider or admin is told at once
    # that bookings come from customer accounts, not after picking a time.
    if request.user.is_authenticated and not request.user.is_customer:
        raise PermissionDenied("Bookings are made from a customer account.")


def _customer_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_customer:
        raise PermissionDenied("Bookings are made from a customer account.")
    return None


def _details_form(request, service, data=None):
    draft = _draft(request, service)
    profile = getattr(request.user, "profile", None)
    cities = list(service.provider.cities.all())
    by_name = {city.name.lower(): city.pk for city in cities}
    # The city searched in (kept in the draft), else the profile's, else the only one served.
    profile_city = by_name.get((getattr(profile, "city", "") or "").lower())
    only_city = cities[0].pk if len(cities) == 1 else None
    initial = {
        "service_address": draft.get("service_address", getattr(profile, "address", "")),
        "service_city": draft.get("service_city", profile_city or only_city),
        "service_state": draft.get("service_state", getattr(profile, "state", "")),
        "service_postal_code": draft.get(
            "service_postal_code", getattr(profile, "postal_code", "")
        ),
        "estimated_duration_minutes": draft.get(
            "estimated_duration_minutes", service.duration_minutes
        ),
        "customer_notes": draft.get("customer_notes", ""),
    }
    return BookingDetailsForm(data, initial=initial, service=service, cities=cities)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def book_details(request, service_pk):
    service = _bookable_service(service_pk)
    if service.is_quote_only:
        return _quote_only(request, service)
    refused = _customer_only(request)
    if refused:
        return refused
    starts_at = _chosen_slot(request, service)
    if starts_at is None:
        messages.warning(request, "Pick a day and a time first.")
        return redirect("booking:book_date", service.pk)
    local = starts_at.astimezone(selectors.schedule_for(service.provider).zone)
    _save_draft(
        request,
        service,
        date=local.date().isoformat(),
        time=local.strftime("%H:%M"),
        offset=offset_param(local),
    )
    form = _details_form(request, service, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        _save_draft(request, service, **form.cleaned_data)
        return _review_page(request, service)
    return _step_page(
        request,
        service,
        "details",
        {
            "form": form,
            "starts_at": local,
            "step_url": reverse("booking:book_details", args=[service.pk]),
        },
        status=400 if form.errors else 200,
    )


def _review_page(request, service, *, problem=None, next_slots=(), status=200):
    draft = _draft(request, service)
    starts_at = _chosen_slot(request, service)
    city = service.provider.cities.filter(pk=draft.get("service_city")).first()
    minutes = int(draft.get("estimated_duration_minutes") or service.duration_minutes)
    schedule = selectors.schedule_for(service.provider)
    return _step_page(
        request,
        service,
        "review",
        {
            "starts_at": starts_at.astimezone(schedule.zone),
            # Said before sending: a job booked inside this period never had free cancellation.
            "free_cancellation_until": free_cancellation_deadline(
                starts_at=starts_at,
                hours=schedule.cancellation_free_hours,
                booked_at=timezone.now(),
            ),
            "cancellation_free_hours": schedule.cancellation_free_hours,
            "city": city,
            "duration_minutes": minutes,
            "estimated_total": selectors.estimate_total(service=service, duration_minutes=minutes),
            "problem": problem,
            "next_slots": next_slots,
            "step_url": reverse("booking:book_review", args=[service.pk]),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def book_review(request, service_pk):
    service = _bookable_service(service_pk)
    if service.is_quote_only:
        return _quote_only(request, service)
    refused = _customer_only(request)
    if refused:
        return refused
    draft = _draft(request, service)
    starts_at = _chosen_slot(request, service)
    if starts_at is None or not draft.get("service_address"):
        messages.warning(request, "A few details are missing; please go through the steps again.")
        return redirect("booking:book_date", service.pk)
    if request.method == "GET":
        return _review_page(request, service)
    city = service.provider.cities.filter(pk=draft.get("service_city")).first()
    if city is None:
        messages.error(request, "Choose one of the cities this provider serves.")
        return redirect("booking:book_details", service.pk)
    try:
        # One hourly allowance per customer, shared with the API's booking operation.
        limit_user(request, "API_RATE_LIMIT_BOOKING_CREATE", request.user)
    except RateLimitExceeded as exc:
        response = _review_page(
            request,
            service,
            problem="You have sent a lot of booking requests in the last hour. "
            f"Please try again in {-(-exc.retry_after // 60)} minutes.",
            status=429,
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    try:
        booking = services.create_booking(
            customer=request.user,
            service=service,
            starts_at=starts_at,
            service_address=draft["service_address"],
            service_city=city,
            service_state=draft.get("service_state", ""),
            service_postal_code=draft.get("service_postal_code", ""),
            customer_notes=draft.get("customer_notes", ""),
            estimated_duration_minutes=draft.get("estimated_duration_minutes"),
        )
    except services.SlotTaken as taken:
        return _review_page(
            request, service, problem=taken.message, next_slots=taken.next_slots, status=409
        )
    except services.BookingError as error:
        return _review_page(request, service, problem=error.message, status=400)
    request.session.pop(_draft_key(service), None)
    messages.success(
        request,
        f"Request {booking.booking_reference} is sent. {service.provider.display_name} "
        "will confirm or decline it; we'll email you either way.",
    )
    url = reverse("booking:detail", args=[booking.booking_reference])
    if request.htmx:
        return HttpResponseClientRedirect(url, status=204)
    return redirect(url)


# --- A customer's bookings and a booking's page ----------------------------------------------


@login_required
@require_GET
def my_bookings(request):
    if request.user.is_provider:
        return redirect("booking:provider_dashboard")
    return render(
        request,
        "booking/my_bookings.html",
        {
            "upcoming": selectors.customer_bookings(customer=request.user, upcoming=True),
            "past": selectors.customer_bookings(customer=request.user, upcoming=False)[:50],
        },
    )


def _visible_booking(request, reference) -> Booking:
    try:
        return selectors.booking_for_user(user=request.user, reference=reference)
    except Booking.DoesNotExist:
        # Someone else's booking is as absent as a mistyped reference.
        raise Http404("No such booking.") from None


@login_required
@require_GET
def booking_detail(request, reference):
    booking = _visible_booking(request, reference)
    return render(
        request,
        "booking/detail.html",
        {
            "booking": booking,
            "actions": services.available_actions(booking, request.user),
            "can_reschedule": services.can_reschedule(booking, request.user),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
@vary_on_headers("HX-Request")
def change_status(request, reference):
    booking = _visible_booking(request, reference)
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to do with the booking.")
        return redirect(booking)
    try:
        services.transition_booking(
            booking=booking,
            to_status=form.cleaned_data["status"],
            by=request.user,
            notes=form.cleaned_data["notes"],
        )
    except services.BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Booking {booking.booking_reference} is now {booking.get_status_display().lower()}.",
        )
    if request.htmx and request.POST.get("row"):
        return _request_row(request, reference)
    return redirect(safe_next_url(request, booking.get_absolute_url()))


def _request_row(request, reference):
    """The dashboard's row of the booking just answered, swapped in place of the old one."""
    booking = _visible_booking(request, reference)
    booking.quick_actions = services.quick_actions(booking, request.user)
    schedule = selectors.schedule_for(booking.provider)  # the dashboard's times are in its zone
    context = {
        "booking": booking,
        "schedule": schedule,
        # The heading's count follows, swapped out of band beside the row.
        "requests_count": selectors.provider_requests(provider=booking.provider).count(),
        "oob": True,
    }
    page = "booking/provider_dashboard.html"
    response = HttpResponse(
        render_to_string(f"{page}#request-row", context, request)
        + render_to_string(f"{page}#requests-heading", context, request)
    )
    # The agenda reloads on this event. Set by hand because the header's plain-name form is
    # pinned (test_views): trigger_client_event would write {"booking-changed": {}} instead.
    response["HX-Trigger"] = "booking-changed"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reschedule(request, reference):
    booking = _visible_booking(request, reference)
    if not services.can_reschedule(booking, request.user):
        messages.error(request, "This booking can't be moved now.")
        return redirect(booking)
    service = booking.service
    if request.method == "POST":
        post = request.POST
        starts_at = _local_start(
            request, service, post.get("date"), post.get("time"), post.get("offset")
        )
        if starts_at is None:
            messages.error(request, "Pick a new day and time.")
            return redirect("booking:reschedule", reference)
        try:
            services.reschedule_booking(booking=booking, starts_at=starts_at, by=request.user)
        except services.SlotTaken as taken:
            messages.error(request, taken.message)
            return redirect("booking:reschedule", reference)
        except services.BookingError as error:
            messages.error(request, error.message)
            return redirect("booking:reschedule", reference)
        messages.success(request, f"Booking {booking.booking_reference} is moved.")
        return redirect(booking)
    start = _today(service)
    day = parse_date(request.GET.get("date"))
    open_days = selectors.bookable_dates(
        service=service,
        start=start,
        days=DATE_PICKER_DAYS,
        duration_minutes=booking.estimated_duration_minutes,
        rescheduling=booking,
    )
    slots = (
        selectors.free_slots(
            service=service,
            date=day,
            duration_minutes=booking.estimated_duration_minutes,
            rescheduling=booking,
        )
        if day
        else []
    )
    return render(
        request,
        "booking/reschedule.html",
        {
            "booking": booking,
            "open_days": open_days,
            "day": day,
            "slots": slots,
            "awaits_answer": services.move_awaits_answer(booking, request.user),
        },
    )


@login_required
@require_GET
def booking_ics(request, reference):
    booking = _visible_booking(request, reference)
    response = HttpResponse(
        ics.calendar([booking], name=booking.booking_reference),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{booking.booking_reference}.ics"'
    return response
