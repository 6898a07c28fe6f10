from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def provider_required(view):
    """Logged-in providers only: others are sent to log in, or told they can't."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_provider:
            raise PermissionDenied("This page is for providers.")
        return view(request, *args, **kwargs)

    return wrapper
