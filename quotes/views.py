"""Quote pages: a customer's request form and "My quotes", a provider's "Quote requests",
and one request's page, where each side answers. Thin: a form, one service call, a page."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.decorators import provider_required
from booking import selectors as booking_selectors
from booking import services as booking_services
from booking.forms import parse_date
from catalog.selectors import public_services
from core.forms import add_domain_error
from core.storage import private_storage

from . import selectors, services
from .forms import AcceptForm, QuoteForm, QuoteRequestForm, ReasonForm
from .models import QuoteRequest, QuoteStatus

LIST_LIMIT = 50
DATE_PICKER_DAYS = 28


def _go(request, url):
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _status_filter(request) -> str | None:
    status = request.GET.get("status") or None
    return status if status in QuoteStatus.values else None


# --- Requesting -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_quote(request, service_pk):
    service = get_object_or_404(public_services().select_related("provider"), pk=service_pk)
    if not service.takes_quote_requests:
        raise Http404("This service does not take quote requests.")
    if not request.user.is_customer:
        raise PermissionDenied("Quote requests come from customer accounts.")
    cities = service.provider.cities.order_by("name")
    if request.method == "POST":
        form = QuoteRequestForm(request.POST, request.FILES, cities=cities)
    else:
        form = QuoteRequestForm(cities=cities)
    if request.method == "POST" and form.is_valid():
        try:
            quote_request = services.request_quote(
                customer=request.user, service=service, **form.cleaned_data
            )
        except services.QuoteError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Quote request {quote_request.reference} is sent. "
                f"{service.provider.display_name} will answer with a price; we'll tell you.",
            )
            return _go(request, quote_request.get_absolute_url())
    return render(
        request,
        "quotes/request.html",
        {"service": service, "form": form},
        status=400 if form.errors else 200,
    )


# --- Lists ----------------------------------------------------------------------------------


def _list_page(request, template, title):
    status = _status_filter(request)
    quotes = list(selectors.quote_list(user=request.user, status=status)[:LIST_LIMIT])
    return render(
        request,
        template,
        {
            "quotes": quotes,
            "status": status,
            "statuses": QuoteStatus.choices,
            "title": title,
        },
    )


@login_required
@require_GET
@vary_on_headers("HX-Request")
def my_quotes(request):
    if request.user.is_provider:
        return redirect("quotes:provider_requests")
    return _list_page(request, "quotes/list.html", "My quotes")


@provider_required
@require_GET
@vary_on_headers("HX-Request")
def provider_requests(request):
    return _list_page(request, "quotes/list.html", "Quote requests")


# --- One request ----------------------------------------------------------------------------


def _visible(request, reference) -> QuoteRequest:
    try:
        return selectors.quote_for_user(user=request.user, reference=reference)
    except QuoteRequest.DoesNotExist:
        # Someone else's request is as absent as a mistyped reference.
        raise Http404("No such quote request.") from None


def _zone(quote_request):
    return booking_selectors.schedule_for(quote_request.provider).zone


def _detail_page(request, quote_request, *, quote_form=None, decline_form=None, status=200):
    user = request.user
    is_provider = quote_request.provider.user_id == user.pk
    is_customer = quote_request.customer_id == user.pk
    zone = _zone(quote_request)
    open_ = quote_request.status in (QuoteStatus.REQUESTED, QuoteStatus.QUOTED)
    if is_provider and open_ and quote_form is None:
        initial = {
            "pricing": quote_request.pricing or "FIXED",
            "price": quote_request.price,
            "estimated_hours": quote_request.estimated_hours,
            "duration_minutes": quote_request.duration_minutes
            or quote_request.service.duration_minutes,
            "included": quote_request.included,
            "valid_until": quote_request.valid_until
            or timezone.now().astimezone(zone).date() + timedelta(days=7),
        }
        if quote_request.proposed_start:
            local = quote_request.proposed_start.astimezone(zone)
            initial |= {"proposed_date": local.date(), "proposed_time": local.time()}
        quote_form = QuoteForm(initial=initial, zone=zone)
    return render(
        request,
        "quotes/detail.html",
        {
            "quote": quote_request,
            "history": list(quote_request.history.all()),
            "photos": list(quote_request.photos.all()),
            "zone": zone,
            "is_provider": is_provider,
            "is_customer": is_customer,
            "can_answer": is_provider and open_,
            "can_withdraw": is_provider and quote_request.status == QuoteStatus.QUOTED,
            "can_accept": is_customer and services.acceptance_blocker(quote_request) is None,
            "quote_form": quote_form,
            "decline_form": decline_form or ReasonForm(),
        },
        status=status,
    )


@login_required
@require_GET
@vary_on_headers("HX-Request")
def detail(request, reference):
    return _detail_page(request, _visible(request, reference))


def _provider_of(request, quote_request):
    if quote_request.provider.user_id != request.user.pk:
        raise PermissionDenied("Only the provider who was asked can answer this request.")


@login_required
@require_POST
def send_quote(request, reference):
    quote_request = _visible(request, reference)
    _provider_of(request, quote_request)
    form = QuoteForm(request.POST, zone=_zone(quote_request))
    if form.is_valid():
        was = quote_request.status
        try:
            services.send_quote(
                quote_request=quote_request, by=request.user, **form.service_arguments()
            )
        except services.QuoteClosed as error:
            messages.error(request, error.message)
            return _go(request, quote_request.get_absolute_url())
        except services.QuoteError as error:
            add_domain_error(form, error)
        else:
            verb = "sent" if was == QuoteStatus.REQUESTED else "changed"
            messages.success(request, f"Quote {quote_request.reference} {verb}.")
            return _go(request, quote_request.get_absolute_url())
    return _detail_page(request, quote_request, quote_form=form, status=400)


@login_required
@require_POST
def decline(request, reference):
    quote_request = _visible(request, reference)
    _provider_of(request, quote_request)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.decline_quote_request(
                quote_request=quote_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.QuoteError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"You declined {quote_request.reference}.")
        return _go(request, quote_request.get_absolute_url())
    return _detail_page(request, quote_request, decline_form=form, status=400)


@login_required
@require_POST
def withdraw(request, reference):
    quote_request = _visible(request, reference)
    _provider_of(request, quote_request)
    form = ReasonForm(request.POST, required=False)
    form.is_valid()
    try:
        services.withdraw_quote(
            quote_request=quote_request,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except services.QuoteError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"You withdrew quote {quote_request.reference}.")
    return _go(request, quote_request.get_absolute_url())


@login_required
@require_GET
def photo(request, reference, pk):
    """A request's photo, to its two sides and the marketplace team; 404 to anyone else."""
    quote_request = _visible(request, reference)
    stored = get_object_or_404(quote_request.photos.all(), pk=pk)
    try:
        handle = private_storage.open(stored.file_name, "rb")
    except FileNotFoundError:
        raise Http404("This photo is missing.") from None
    response = FileResponse(handle, content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Accepting ------------------------------------------------------------------------------


def _accept_page(request, quote_request, form, *, problem=None, next_slots=(), status=200):
    zone = _zone(quote_request)
    today = timezone.now().astimezone(zone).date()
    proposed_free = selectors.proposed_slot_free(quote_request)
    day = parse_date(request.GET.get("date"))
    if day is None and quote_request.proposed_start and proposed_free:
        day = quote_request.proposed_start.astimezone(zone).date()
    slots = selectors.acceptable_slots(quote_request, day=day) if day else []
    open_days = booking_selectors.bookable_dates(
        service=quote_request.service,
        start=today,
        days=DATE_PICKER_DAYS,
        duration_minutes=quote_request.duration_minutes,
    )
    return render(
        request,
        "quotes/accept.html",
        {
            "quote": quote_request,
            "form": form,
            "zone": zone,
            "day": day,
            "slots": [slot.astimezone(zone) for slot in slots],
            "open_days": open_days,
            "proposed_free": proposed_free,
            "proposed_local": quote_request.proposed_start.astimezone(zone)
            if quote_request.proposed_start
            else None,
            "problem": problem,
            "next_slots": [slot.astimezone(zone) for slot in next_slots],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def accept(request, reference):
    quote_request = _visible(request, reference)
    if quote_request.customer_id != request.user.pk:
        raise PermissionDenied("Only the customer who asked can accept this quote.")
    if quote_request.status == QuoteStatus.ACCEPTED:
        messages.info(
            request, f"You accepted this quote: booking {quote_request.booking.booking_reference}."
        )
        return _go(request, quote_request.booking.get_absolute_url())
    blocker = services.acceptance_blocker(quote_request)
    if blocker:
        messages.error(request, blocker)
        return _go(request, quote_request.get_absolute_url())
    form = AcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _accept_page(request, quote_request, form)
    if not form.is_valid():
        return _accept_page(request, quote_request, form, status=400)
    try:
        booking = services.accept_quote(
            quote_request=quote_request, customer=request.user, **form.cleaned_data
        )
    except services.AlreadyAccepted as done:
        messages.info(request, done.message)
        return _go(request, done.booking.get_absolute_url())
    except booking_services.SlotTaken as taken:
        return _accept_page(
            request,
            quote_request,
            form,
            problem=taken.message,
            next_slots=taken.next_slots,
            status=409,
        )
    except services.QuoteClosed as error:
        messages.error(request, error.message)
        return _go(request, quote_request.get_absolute_url())
    except (services.QuoteError, booking_services.BookingError) as error:
        add_domain_error(form, error)
        return _accept_page(request, quote_request, form, status=400)
    messages.success(
        request,
        f"Quote accepted: booking {booking.booking_reference} is requested at the quoted price. "
        f"{quote_request.provider.display_name} will confirm it.",
    )
    return _go(request, reverse("booking:detail", args=[booking.booking_reference]))
