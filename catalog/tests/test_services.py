import pytest
from django.core.cache import cache

from accounts.models import VerificationStatus
from accounts.services import AccountError, decide_verification
from accounts.tests.factories import AdminFactory, ProviderFactory, apply_for_verification
from catalog import cache as catalog_cache
from catalog import services
from catalog.cache import CATEGORY_TREE_KEY
from catalog.selectors import SearchFilters, category_tree, search_services

from .factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_revoking_verification_hides_services_and_approving_shows_them():
    provider = ProviderFactory().provider_profile
    service = ServiceFactory(provider=provider)
    admin = AdminFactory()

    decide_verification(
        provider=provider, status=VerificationStatus.REJECTED, by=admin, reason="Expired licence"
    )
    service.refresh_from_db()
    assert not service.is_listed

    apply_for_verification(provider.user)  # verifying again needs a new application
    decide_verification(provider=provider, status=VerificationStatus.VERIFIED, by=admin)
    service.refresh_from_db()
    assert service.is_listed


def test_provider_is_told_of_each_decision_by_email(django_capture_on_commit_callbacks, mailoutbox):
    provider = ProviderFactory(verification=VerificationStatus.PENDING).provider_profile

    with django_capture_on_commit_callbacks(execute=True):
        decide_verification(
            provider=provider,
            status=VerificationStatus.REJECTED,
            by=AdminFactory(),
            reason="Blurry ID",
        )
    apply_for_verification(provider.user)  # verifying again needs a new application
    with django_capture_on_commit_callbacks(execute=True):
        decide_verification(
            provider=provider, status=VerificationStatus.VERIFIED, by=AdminFactory()
        )

    assert [m.subject for m in mailoutbox] == [
        "[Marketplace] Your verification was not approved",
        "[Marketplace] You are verified: customers can book you",
    ]
    assert "Reason: Blurry ID" in mailoutbox[0].body
    assert provider.user.notifications.count() == 2


def test_rejection_needs_a_reason():
    provider = ProviderFactory().provider_profile

    with pytest.raises(AccountError, match="reason"):
        decide_verification(
            provider=provider, status=VerificationStatus.REJECTED, by=AdminFactory()
        )
    provider.refresh_from_db()
    assert provider.verification_status == VerificationStatus.VERIFIED


def test_paused_service_stays_hidden_after_verification():
    provider = ProviderFactory(verification=VerificationStatus.PENDING).provider_profile
    service = ServiceFactory(provider=provider, is_active=False)
    apply_for_verification(provider.user)

    decide_verification(provider=provider, status=VerificationStatus.VERIFIED, by=AdminFactory())

    service.refresh_from_db()
    assert not service.is_listed


def test_only_providers_create_services():
    with pytest.raises(services.CatalogError, match="Only providers"):
        services.create_service(user=AdminFactory(), title="x", category=CategoryFactory())


def test_renaming_a_category_makes_its_services_findable_by_the_new_name(
    django_capture_on_commit_callbacks,
):
    category = CategoryFactory(name="Odd jobs")
    ServiceFactory(title="Shelf fitting", category=category)

    category.name = "Carpentry"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_category(category=category)

    assert [s.title for s in search_services(SearchFilters(q="carpentry")).services] == [
        "Shelf fitting"
    ]


def test_category_tree_cache_is_rebuilt_after_a_change(django_capture_on_commit_callbacks):
    CategoryFactory(name="Moving")
    assert [n.name for n in category_tree().nodes.values()] == ["Moving"]
    assert cache.get(CATEGORY_TREE_KEY) is not None

    with django_capture_on_commit_callbacks(execute=True):
        CategoryFactory(name="Packing")

    assert cache.get(CATEGORY_TREE_KEY) is None
    assert {n.name for n in category_tree().nodes.values()} == {"Moving", "Packing"}


def test_a_category_cannot_be_moved_under_its_own_child():
    parent = CategoryFactory(name="Cleaning")
    child = CategoryFactory(name="Deep clean", parent=parent)

    parent.parent = child
    with pytest.raises(services.CatalogError, match="under itself"):
        services.save_category(category=parent)


def test_inactive_category_hides_its_subtree_from_the_tree():
    parent = CategoryFactory(name="Seasonal")
    CategoryFactory(name="Snow removal", parent=parent)
    parent.is_active = False
    services.save_category(category=parent)
    cache.delete(CATEGORY_TREE_KEY)

    assert category_tree().nodes == {}


def test_a_category_with_services_cannot_be_deleted():
    service = ServiceFactory()

    with pytest.raises(services.CatalogError, match="still has services"):
        services.delete_category(category=service.category)


def test_category_tree_change_made_by_another_process_shows_on_the_next_read():
    CategoryFactory(name="Moving")
    assert [n.name for n in category_tree().nodes.values()] == ["Moving"]

    # What another gunicorn worker's save_category does after its commit, in Redis alone.
    CategoryFactory(name="Packing")
    cache.delete(catalog_cache.CATEGORY_TREE_KEY)
    cache.incr(catalog_cache.GENERATION_KEY)

    assert {n.name for n in category_tree().nodes.values()} == {"Moving", "Packing"}
