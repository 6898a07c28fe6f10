"""Booking pages for providers: requests and agenda, availability, the private calendar feed."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import provider_required
from core.forms import add_domain_error

from . import ics, selectors, services
from .forms import ScheduleSettingsForm, TimeOffForm, WeeklyHoursForm
from .models import Booking, BookingStatus, ProviderSchedule, TimeOff

# A page of either list stays small however many bookings a provider has (issue #17).
REQUESTS_PER_PAGE = 20
AGENDA_PER_PAGE = 50


@provider_required
@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def provider_dashboard(request):
    provider = request.user.provider_profile
    schedule = services.ensure_schedule(provider=provider)
    today = timezone.now().astimezone(schedule.zone).date()
    week = request.GET.get("agenda") == "week"
    span = 7 if week else 1
    # An HTMX swap of one region (a page of requests, the agenda reloading after an answer)
    # reads only that region's list; the other's page is carried in the links as asked.
    target = request.htmx.target if request.htmx else None
    regions = {target} if target in ("requests", "agenda") else {"requests", "agenda"}
    state = {
        "week": week,
        "requests_page": _asked_page(request.GET.get("requests_page")),
        "agenda_page": _asked_page(request.GET.get("agenda_page")),
    }
    # get_page clamps: a page past the last (an old link, followed after answering requests)
    # shows the last page, and one that isn't a number the first, never an error. Each list
    # costs one COUNT and one page of rows, whatever its length.
    requests = agenda = None
    if "requests" in regions:
        requests = Paginator(selectors.provider_requests(provider=provider), REQUESTS_PER_PAGE)
        requests = requests.get_page(request.GET.get("requests_page"))
        for booking in requests:
            booking.quick_actions = services.quick_actions(booking, request.user)
        state["requests_page"] = requests.number
    if "agenda" in regions:
        agenda = selectors.provider_agenda(
            provider=provider, start=today, days=span, schedule=schedule
        )
        agenda = Paginator(agenda, AGENDA_PER_PAGE).get_page(request.GET.get("agenda_page"))
        state["agenda_page"] = agenda.number

    def url(**changes):
        return _dashboard_url(**(state | changes))

    context = {"profile": provider, "span": span, "today": today, "schedule": schedule}
    if requests is not None:
        context |= {
            "requests": requests,
            "requests_count": requests.paginator.count,
            "requests_pager": _pager(requests, lambda number: url(requests_page=number)),
        }
    if agenda is not None:
        context |= {
            "agenda": agenda,
            "agenda_count": agenda.paginator.count,
            "agenda_pager": _pager(agenda, lambda number: url(agenda_page=number)),
            # Where the agenda reloads itself from on `booking-changed`: this page of it.
            "agenda_url": url(),
            "agenda_switch_url": url(week=not week, agenda_page=1),
        }
    template = "booking/provider_dashboard.html"
    if regions != {"requests", "agenda"}:
        return render(request, f"{template}#{target}", context)
    context["feed_url"] = request.build_absolute_uri(
        reverse("booking:calendar_feed", args=[schedule.calendar_token])
    )
    return render(request, template, context)


def _asked_page(number: str | None) -> int:
    """The page number a link asked for, 1 unless it is a positive whole number."""
    return int(number) if number and number.isascii() and number.isdigit() and int(number) else 1


def _dashboard_url(*, week: bool, requests_page: int, agenda_page: int) -> str:
    """The dashboard's address showing this state; today and first pages are the defaults."""
    query = {
        "agenda": "week" if week else None,
        "requests_page": requests_page if requests_page > 1 else None,
        "agenda_page": agenda_page if agenda_page > 1 else None,
    }
    query = urlencode({name: value for name, value in query.items() if value is not None})
    return reverse("booking:provider_dashboard") + (f"?{query}" if query else "")


def _pager(page, url_for) -> dict | None:
    """The previous and next links of a list's page; None when the list fits on one page."""
    if not page.has_other_pages():
        return None
    return {
        "page": page,
        "previous_url": url_for(page.previous_page_number()) if page.has_previous() else None,
        "next_url": url_for(page.next_page_number()) if page.has_next() else None,
    }


@provider_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def availability(request):
    provider = request.user.provider_profile
    schedule = services.ensure_schedule(provider=provider)
    sent = request.POST.get("form") if request.method == "POST" else None
    settings_form = ScheduleSettingsForm(
        request.POST if sent == "settings" else None,
        initial={name: getattr(schedule, name) for name in ScheduleSettingsForm.base_fields},
        prefix="settings",
        city_zones=provider.cities.values_list("time_zone", flat=True),
    )
    hours_form = WeeklyHoursForm(
        request.POST if sent == "hours" else None,
        intervals=provider.weekly_availability.order_by("weekday", "start_time").values_list(
            "weekday", "start_time", "end_time"
        ),
    )
    time_off_form = TimeOffForm(request.POST if sent == "time_off" else None, prefix="time_off")
    status = 200
    if sent == "hours" and not hours_form.wants_save:
        # Add or remove a row, copy Monday: the same form again, changed, nothing saved.
        hours_form.apply_action()
    elif request.method == "POST":
        saved = _save_availability(request, provider, settings_form, hours_form, time_off_form)
        if saved:
            messages.success(request, saved)
            if request.htmx and sent == "hours":
                hours_form = WeeklyHoursForm(
                    intervals=provider.weekly_availability.values_list(
                        "weekday", "start_time", "end_time"
                    )
                )
            else:
                return redirect("booking:availability")
        else:
            status = 400
    context = {"schedule": schedule, "hours_form": hours_form}
    if request.htmx and sent == "hours":
        return render(request, "booking/availability.html#hours-form", context, status=status)
    context |= {
        "settings_form": settings_form,
        "time_off_form": time_off_form,
        "time_off": provider.time_off.filter(end_date__gte=timezone.now().date()).order_by(
            "start_date"
        ),
    }
    return render(request, "booking/availability.html", context, status=status)


def _save_availability(request, provider, settings_form, hours_form, time_off_form):
    """Save whichever of the three forms was sent; return the success message or None."""
    form, save, message = {
        "settings": (
            settings_form,
            lambda data: services.update_schedule_settings(provider=provider, **data),
            "Booking settings saved.",
        ),
        "hours": (
            hours_form,
            lambda data: services.set_weekly_availability(
                provider=provider, intervals=hours_form.intervals
            ),
            "Weekly hours saved.",
        ),
        "time_off": (
            time_off_form,
            lambda data: services.add_time_off(provider=provider, **data),
            "Time off added.",
        ),
    }.get(request.POST.get("form"), (None, None, None))
    if form is None or not form.is_valid():
        return None
    try:
        save(getattr(form, "cleaned_data", None))
    except services.BookingError as error:
        if form is hours_form:
            hours_form.add_domain_error(error)
        else:
            add_domain_error(form, error)
        return None
    return message


@provider_required
@require_POST
def remove_time_off(request, pk):
    provider = request.user.provider_profile
    time_off = get_object_or_404(TimeOff, pk=pk, provider=provider)
    services.remove_time_off(provider=provider, time_off=time_off)
    messages.success(request, "Time off removed.")
    return redirect("booking:availability")


@require_GET
def calendar_feed(request, token):
    """A provider's confirmed and running jobs as a calendar; the token is the only key."""
    schedule = (
        ProviderSchedule.objects.select_related("provider").filter(calendar_token=token).first()
    )
    if schedule is None:
        raise Http404("No such calendar.")
    since = timezone.now() - timedelta(days=30)
    bookings = (
        Booking.objects.filter(
            provider=schedule.provider,
            status__in=(BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS),
            starts_at__gte=since,
        )
        .select_related("service", "service_city")
        .order_by("starts_at")
    )
    body = ics.calendar(bookings, name=f"{schedule.provider.display_name} — Marketplace jobs")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
