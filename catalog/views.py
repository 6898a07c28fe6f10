from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import ServiceProviderProfile, VerificationStatus

from . import selectors
from .models import ServiceCategory

PAGE_SIZE = 20


def home(request):
    return render(
        request,
        "catalog/home.html",
        {
            "categories": selectors.top_level_categories(),
            "featured": selectors.public_services().filter(is_featured=True)[:8],
        },
    )


def category_detail(request, slug):
    category = get_object_or_404(ServiceCategory, slug=slug, is_active=True)
    page = Paginator(selectors.services_in_category(category), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "catalog/category.html",
        {"category": category, "children": category.children.filter(is_active=True), "page": page},
    )


def service_detail(request, pk, slug):
    service = get_object_or_404(selectors.public_services(), pk=pk)
    if service.slug != slug:
        return redirect(service, permanent=True)
    return render(request, "catalog/service_detail.html", {"service": service})


def provider_detail(request, slug):
    provider = get_object_or_404(
        ServiceProviderProfile.objects.select_related("user").prefetch_related("cities"),
        slug=slug,
        verification_status=VerificationStatus.VERIFIED,
    )
    services = selectors.public_services().filter(provider=provider)
    return render(
        request, "catalog/provider_detail.html", {"provider": provider, "services": services}
    )
