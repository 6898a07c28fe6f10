"""A provider's clients: the list, a page per client with the history and private notes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import provider_required
from booking.selectors import schedule_for
from core.errors import DomainError
from core.forms import add_domain_error

from . import selectors, services
from .forms import ClientNoteForm

CLIENTS_PER_PAGE = 25


@provider_required
@require_GET
@vary_on_headers("HX-Request")
def client_list(request):
    provider = request.user.provider_profile
    page = Paginator(selectors.client_rows(provider), CLIENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "clients": selectors.clients_for(provider, page.object_list),
        "zone": schedule_for(provider).time_zone,
    }
    template = "clients/client_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#client-table"
    return render(request, template, context)


@provider_required
@require_http_methods(["GET", "POST"])
def client_detail(request, customer_id):
    provider = request.user.provider_profile
    client = selectors.client_of(provider, customer_id)
    if client is None:
        raise Http404("No such client.")
    form = ClientNoteForm(
        request.POST if request.method == "POST" else None,
        initial={"text": selectors.note_for(provider, customer_id)},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_client_note(
                    provider=provider, customer_id=customer_id, text=form.cleaned_data["text"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Your notes are saved.")
                return redirect("clients:detail", customer_id=customer_id)
        status = 400
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "bookings": selectors.client_history(provider, customer_id)[:100],
            "reviews": selectors.client_reviews(provider, customer_id),
            "form": form,
        },
        status=status,
    )
