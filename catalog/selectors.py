"""Reads on the catalog: what customers may see, already joined for the page."""

from django.db.models import QuerySet

from accounts.models import VerificationStatus

from .models import Service, ServiceCategory


def public_services() -> QuerySet[Service]:
    """Active services of verified providers, with what a listing card shows."""
    return Service.objects.filter(
        is_active=True, provider__verification_status=VerificationStatus.VERIFIED
    ).select_related("provider", "provider__user", "category")


def top_level_categories() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.filter(parent__isnull=True, is_active=True)


def category_with_descendant_ids(category: ServiceCategory) -> list[int]:
    """The category's id and every id below it, at any depth."""
    children_by_parent: dict[int | None, list[int]] = {}
    for pk, parent_id in ServiceCategory.objects.filter(is_active=True).values_list(
        "pk", "parent_id"
    ):
        children_by_parent.setdefault(parent_id, []).append(pk)
    found, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = [child for pk in frontier for child in children_by_parent.get(pk, [])]
        found.extend(frontier)
    return found


def services_in_category(category: ServiceCategory) -> QuerySet[Service]:
    return public_services().filter(category_id__in=category_with_descendant_ids(category))
