from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.decorators import provider_required
from accounts.models import ServiceProviderProfile, VerificationStatus
from core.forms import add_domain_error

from . import cache as catalog_cache
from . import selectors, services
from .forms import SearchForm, ServiceForm
from .models import Service
from .signals import service_page_viewed


def _root_categories():
    tree = selectors.category_tree()
    return [tree.nodes[pk] for pk in tree.roots]


def home(request):
    # The template caches its content per catalog generation: what it shows is computed
    # only when that cache misses.
    home_page = SimpleLazyObject(selectors.home_page)
    return render(
        request,
        "catalog/home.html",
        {
            "catalog_generation": catalog_cache.generation(),
            "categories": SimpleLazyObject(_root_categories),
            "search_form": SimpleLazyObject(SearchForm),
            "featured": SimpleLazyObject(lambda: home_page["featured"]),
            "figures": SimpleLazyObject(lambda: home_page["figures"]),
        },
    )


def _search_page(request, *, category=None):
    form = SearchForm(request.GET, fixed_category=category)
    form.is_valid()  # every field is optional: an invalid one is reported and then ignored
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.warning(
                request, f"{label}: {error} This filter was ignored." if label else error
            )
    filters = form.filters()
    # A category page as linked (at most a page and an order chosen) is the same for
    # everyone: its results, and the HTML of them, are cached until the catalog changes.
    # Search is not, so bench_search keeps timing the queries.
    results_cache_key = None
    if category is not None and set(request.GET) <= {"page", "sort"} and not form.errors:
        results = SimpleLazyObject(lambda: selectors.browse_services(filters))
        root_generation = catalog_cache.category_generation(form.tree.root_of(category.id))
        results_cache_key = (
            f"{catalog_cache.generation()}:{root_generation}:{category.id}:{filters.sort}:"
            f"{filters.page}"
        )
    else:
        results = selectors.search_services(filters)
    tree = form.tree
    context = {
        "form": form,
        "filters": filters,
        "results": results,
        "results_cache_key": results_cache_key,
        "category": category,
        "breadcrumbs": tree.ancestors(category.id) if category else [],
        "subcategories": [tree.nodes[pk] for pk in category.children] if category else [],
        "chips": _filter_chips(request, form, filters),
        "suggestions": [tree.nodes[pk] for pk in tree.roots],
    }
    template = "catalog/search.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _free_label(day_name: str) -> str:
    """ "Free this week", "Free today", "Free Thursday 3 December"."""
    if day_name.startswith("This week"):
        return "Free this week"
    return f"Free {day_name.lower() if day_name in ('Today', 'Tomorrow') else day_name}"


def _filter_chips(request, form, filters):
    """Active filters, each with the URL that removes it."""
    chips = []
    labels = {
        "q": lambda v: f"“{v}”",
        "category": lambda v: filters.category.name if filters.category else v,
        "city": lambda v: dict(form.fields["city"].choices).get(v, v),
        "min_price": lambda v: f"From {v}",
        "max_price": lambda v: f"Up to {v}",
        "min_rating": lambda v: f"★ {v}+",
        "pricing_type": lambda v: dict(form.fields["pricing_type"].choices).get(v, v),
        "available": lambda v: _free_label(dict(form.fields["available"].choices).get(v, v)),
    }
    for name, label in labels.items():
        value = request.GET.get(name, "").strip()
        if not value or name in form.errors or name not in form.fields:
            continue
        remaining = request.GET.copy()
        remaining.pop(name, None)
        remaining.pop("page", None)
        chips.append({"label": label(value), "url": f"{request.path}?{remaining.urlencode()}"})
    return chips


@require_GET
@vary_on_headers("HX-Request")
def search(request):
    return _search_page(request)


@require_GET
@vary_on_headers("HX-Request")
def category_detail(request, slug):
    category = selectors.category_tree().get(slug)
    if category is None:
        raise Http404("No such category.")
    return _search_page(request, category=category)


@require_GET
@vary_on_headers("HX-Request")
def service_detail(request, pk, slug):
    service = get_object_or_404(selectors.public_services().select_related("rating_summary"), pk=pk)
    if service.slug != slug:
        return redirect(service, permanent=True)
    tree = selectors.category_tree()
    breadcrumbs = tree.ancestors(service.category_id) if service.category_id in tree.nodes else []
    template = "catalog/service_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#reviews"
    service_page_viewed.send(sender=Service, request=request, service=service)  # insights (#21)
    return render(
        request,
        template,
        {"service": service, "breadcrumbs": breadcrumbs},
    )


@require_GET
@vary_on_headers("HX-Request")
def provider_detail(request, slug):
    provider = get_object_or_404(
        ServiceProviderProfile.objects.select_related("user", "rating_summary").prefetch_related(
            "cities"
        ),
        slug=slug,
        verification_status=VerificationStatus.VERIFIED,
    )
    services_ = selectors.public_services().filter(provider=provider)
    template = "catalog/provider_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#reviews"
    return render(
        request,
        template,
        {"provider": provider, "services": services_},
    )


# --- Provider dashboard: their own services ------------------------------------------


def _own_service(request, pk) -> Service:
    # Another provider's service is simply not found: its existence is not theirs to know.
    return get_object_or_404(
        Service.objects.select_related("category", "provider"),
        pk=pk,
        provider__user=request.user,
    )


@provider_required
@require_GET
def my_services(request):
    return render(
        request,
        "catalog/my_services.html",
        {
            "services": selectors.services_of_provider(request.user.provider_profile),
            "profile": request.user.provider_profile,
        },
    )


def _service_form_page(request, form, service=None):
    template = "catalog/service_form.html"
    if request.htmx:
        template += "#service-form"
    return render(request, template, {"form": form, "service": service})


def _saved(request, message):
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(reverse("catalog:my_services"))
    return redirect("catalog:my_services")


@provider_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def service_create(request):
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.create_service(user=request.user, **form.service_fields())
        except services.CatalogError as exc:
            add_domain_error(form, exc)
        else:
            return _saved(request, f"“{service.title}” is saved.")
    return _service_form_page(request, form)


@provider_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def service_edit(request, pk):
    service = _own_service(request, pk)
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_service(service=service, user=request.user, **form.service_fields())
        except services.CatalogError as exc:
            add_domain_error(form, exc)
        else:
            return _saved(request, f"“{service.title}” is updated.")
    return _service_form_page(request, form, service)


@provider_required
@require_POST
@vary_on_headers("HX-Request")
def service_toggle(request, pk):
    service = _own_service(request, pk)
    services.set_service_active(service=service, user=request.user, active=not service.is_active)
    messages.success(
        request, f"“{service.title}” is {'back on offer' if service.is_active else 'paused'}."
    )
    if request.htmx:
        return render(request, "catalog/my_services.html#service-row", {"service": service})
    return redirect("catalog:my_services")


@provider_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def service_delete(request, pk):
    service = _own_service(request, pk)
    if request.method == "POST":
        try:
            services.delete_service(service=service, user=request.user)
        except services.CatalogError as exc:
            messages.error(request, exc.message)
            return redirect("catalog:my_services")
        messages.success(request, f"“{service.title}” is deleted.")
        if request.htmx:
            return render(request, "catalog/my_services.html#deleted-row", {"service": service})
        return redirect("catalog:my_services")
    return render(request, "catalog/service_confirm_delete.html", {"service": service})
