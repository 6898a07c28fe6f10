"""Writes on accounts: sign-up, roles, profiles."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from catalog.cache import invalidate_listings
from catalog.services import sync_provider_listings

from .models import (
    SELF_SERVICE_ROLES,
    Role,
    ServiceProviderProfile,
    User,
    UserProfile,
    VerificationStatus,
)
from .roles import ADMIN_GROUP_NAME


class AccountError(Exception):
    """A rule about accounts was broken; the message is safe to show to the user."""


def _unique_provider_slug(base: str) -> str:
    slug = slugify(base)[:100] or "provider"
    candidate = slug
    while ServiceProviderProfile.objects.filter(slug=candidate).exists():
        candidate = f"{slug}-{get_random_string(5, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return candidate


@transaction.atomic
def register_user(
    *,
    email: str,
    password: str | None,
    role: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    user: User | None = None,
) -> User:
    """Create a customer or provider account with every profile its role needs, atomically.

    `user` lets django-allauth hand over the unsaved instance it keeps using afterwards.
    """
    if role not in SELF_SERVICE_ROLES:
        raise AccountError("You can sign up as a customer or as a provider.")
    user = user or User()
    user.email = email
    user.first_name = first_name
    user.last_name = last_name
    user.phone = phone
    user.role = role
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    UserProfile.objects.create(user=user)
    if role == Role.PROVIDER:
        create_provider_profile(user=user)
    return user


def create_provider_profile(*, user: User, business_name: str = "") -> ServiceProviderProfile:
    """Start a provider's business profile, pending verification."""
    base = business_name or user.get_full_name() or user.email.split("@")[0]
    return ServiceProviderProfile.objects.create(
        user=user, business_name=business_name, slug=_unique_provider_slug(base)
    )


@transaction.atomic
def change_role(*, user: User, role: str) -> User:
    """Set a user's role and the admin group membership that goes with it."""
    user.role = role
    user.save()
    sync_admin_group(user=user)
    if role == Role.PROVIDER and not hasattr(user, "provider_profile"):
        create_provider_profile(user=user)
    UserProfile.objects.get_or_create(user=user)
    return user


def sync_admin_group(*, user: User) -> None:
    group, _ = Group.objects.get_or_create(name=ADMIN_GROUP_NAME)
    if user.role == Role.ADMIN:
        user.groups.add(group)
    else:
        user.groups.remove(group)


@transaction.atomic
def update_profile(*, user: User, user_fields: dict, profile_fields: dict) -> User:
    """Save a user's own details and profile together."""
    for name, value in user_fields.items():
        setattr(user, name, value)
    user.save()
    profile, _ = UserProfile.objects.get_or_create(user=user)
    for name, value in profile_fields.items():
        setattr(profile, name, value)
    profile.save()
    return user


@transaction.atomic
def update_provider_profile(*, user: User, fields: dict, cities) -> ServiceProviderProfile:
    """Save a provider's business profile; only providers have one."""
    if not user.is_provider:
        raise AccountError("Only providers have a business profile.")
    profile = user.provider_profile
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    profile.cities.set(cities)
    invalidate_listings()  # the cities customers can filter by may have changed
    return profile


@transaction.atomic
def decide_verification(
    *, provider: ServiceProviderProfile, status: str, by: User, reason: str = ""
) -> ServiceProviderProfile:
    """Record a verification decision (who, when, why) and show or hide the provider's services."""
    if status == VerificationStatus.REJECTED and not reason.strip():
        raise AccountError("Give the provider a reason for the rejection.")
    provider.verification_status = status
    provider.verification_decided_by = by
    provider.verification_decided_at = timezone.now()
    provider.verification_reason = reason.strip()
    provider.save()
    sync_provider_listings(provider=provider)
    return provider
