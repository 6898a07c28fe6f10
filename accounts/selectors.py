"""Reads on accounts."""

from .models import User


def get_account(*, user_id) -> User:
    """The user with what their own profile page shows, the business profile included."""
    return User.objects.select_related("provider_profile").get(pk=user_id)
