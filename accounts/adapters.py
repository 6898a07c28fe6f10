from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.urls import reverse

from . import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Every sign-up, from the site or the API, goes through the one service.
        data = form.cleaned_data
        return services.register_user(
            user=user,
            email=data["email"],
            password=data.get("password1"),
            role=data["role"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            phone=data.get("phone", ""),
        )

    def get_signup_redirect_url(self, request):
        # Asked once the confirmed email logs the new user in: a new customer lands on the
        # welcome page (search and next steps); a new provider has no business name yet,
        # so their first login goes where any such login goes (the checklist's first step).
        user = request.user
        if user.is_authenticated and user.is_customer:
            return reverse("pages:welcome")
        if user.is_authenticated:
            return self.get_login_redirect_url(request)
        return super().get_signup_redirect_url(request)

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Too many failed logins for this address: the login page answers 429 with
            # Retry-After (accounts.rate_limited.RetryAfterMiddleware), like the API.
            request.rate_limited_for = services.allauth_rate_window("login_failed")
            raise

    def get_login_redirect_url(self, request):
        user = request.user
        # A provider's first stop is the business profile customers will see.
        if user.is_provider and not user.provider_profile.is_complete:
            return reverse("accounts:provider_profile")
        return super().get_login_redirect_url(request)
