"""Writes on accounts: sign-up, roles, profiles, provider verification."""

from datetime import date

from allauth.account import app_settings as allauth_account_settings
from allauth.account import signals as allauth_signals
from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from allauth.account.internal.flows.email_verification import (
    send_verification_email_for_user,
    send_verification_email_to_address,
)
from allauth.account.models import EmailAddress
from allauth.account.utils import has_verified_email
from allauth.core import ratelimit
from allauth.utils import get_form_class
from django import forms
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from core.errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    RateLimited,
)
from core.roles import ADMIN_GROUP_NAME
from notifications.models import NotificationKind
from notifications.services import notify

from .documents import inspect_documents, validate_insurance_expiry
from .limits import MAX_CITIES_PER_PROVIDER, TOO_MANY_CITIES
from .models import (
    SELF_SERVICE_ROLES,
    DocumentKind,
    Role,
    ServiceProviderProfile,
    User,
    UserProfile,
    VerificationApplication,
    VerificationDecision,
    VerificationDocument,
    VerificationStatus,
)
from .selectors import application_blocker
from .signals import provider_listing_changed
from .storage import private_documents


class AccountError(DomainError):
    """An accounts rule refused the request (400); the subclasses below say when it is
    another kind (core/errors.py)."""


class InvalidAccountDetails(AccountError, InvalidInput):
    """Sign-up details or an application's documents are wrong; `errors` lists them by field."""


class InvalidCredentials(AccountError, NotAuthenticated):
    """Unknown email or wrong password; deliberately does not say which."""


class EmailNotVerified(AccountError, Forbidden):
    """The password is right but the email address has not been verified yet."""


class AccountInactive(AccountError, Forbidden):
    """The password is right but the account has been deactivated."""


class TooManyAttempts(AccountError, RateLimited):
    """allauth's sign-up or login rate limit was reached; retry after `retry_after` s."""


REQUIRED = "This field is required."
INVALID_DETAILS = "Please correct the fields marked."


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


def sign_up(
    *,
    request,
    email: str,
    password: str,
    password_confirm: str,
    role: str,
    first_name: str,
    last_name: str,
    phone: str = "",
) -> User | None:
    """Open an account through the site's own sign-up form, then send allauth's verification email.

    The account cannot log in until the address is verified (mandatory verification).
    Raises InvalidAccountDetails with the messages per API field, or TooManyAttempts.
    An address that already has an account is not refused (that would tell anyone who has an
    account here): as on the site, its owner is emailed instead and None is returned.
    """
    _consume_allauth_rate_limit(request, "signup", "Too many sign-ups from your address.")
    form = _validated_signup_form(
        request,
        {
            "email": email,
            "password": password,
            "password_confirm": password_confirm,
            "role": role,
            "first_name": first_name,
            "last_name": last_name,
            "phone": phone,
        },
    )
    if form.account_already_exists:
        return _tell_owner_of_taken_address(request, form.cleaned_data["email"], password)
    try:
        with transaction.atomic():
            # allauth's own save: AccountAdapter.save_user (register_user) and the address.
            user = form.save(request)
    except IntegrityError:
        # Another sign-up with this address won the race since the form's check.
        if User.objects.filter(email__iexact=form.cleaned_data["email"]).exists():
            return _tell_owner_of_taken_address(request, form.cleaned_data["email"], None)
        raise
    allauth_signals.user_signed_up.send(sender=User, request=request, user=user)
    send_verification_email_to_address(request, EmailAddress.objects.get_primary(user), signup=True)
    return user


def _tell_owner_of_taken_address(request, email: str, password: str | None) -> None:
    """What the site's sign-up does for a taken address (ACCOUNT_PREVENT_ENUMERATION): no
    account, an email to the owner saying someone tried to sign up and how to reset."""
    if password:
        make_password(password)  # about the time a new account's password hash takes
    get_adapter(request).send_account_already_exists_mail(email)
    return None


# The API's names for the sign-up fields that allauth's form names otherwise.
SIGNUP_FORM_FIELD_NAMES = {"password": "password1", "password_confirm": "password2"}
SIGNUP_API_FIELD_NAMES = {form: api for api, form in SIGNUP_FORM_FIELD_NAMES.items()}
SIGNUP_ERROR_ORDER = ("email", "first_name", "last_name", "phone", "role", "password_confirm")


def signup_form_class():
    """The sign-up form allauth shows on the site, with SignupDetailsForm's fields in it."""
    return get_form_class(allauth_account_settings.FORMS, "signup", SignupForm)


def _validated_signup_form(request, details: dict):
    """allauth's sign-up form filled with the API's `details`, valid, or InvalidAccountDetails
    with its messages under the API's field names."""
    form = signup_form_class()(
        data={SIGNUP_FORM_FIELD_NAMES.get(name, name): value for name, value in details.items()}
    )
    form.is_valid()
    # A taken address is no error here, as on the site (form.account_already_exists).
    if form.errors:
        errors = {
            SIGNUP_API_FIELD_NAMES.get(name, name): list(messages)
            for name, messages in form.errors.items()
        }
        # In the order the API has always listed them (the payload's), not the form's.
        order = {name: i for i, name in enumerate(SIGNUP_ERROR_ORDER)}
        errors = dict(sorted(errors.items(), key=lambda item: order.get(item[0], len(order))))
        raise InvalidAccountDetails(INVALID_DETAILS, errors=errors)
    return form


def check_login(*, request, email: str, password: str) -> User:
    """Return the user these credentials log in, by the site's rules and rate limits.

    Failed attempts count against allauth's limits shared with the site's login form. An
    unverified address gets its verification email again, as on the site.
    """
    _consume_allauth_rate_limit(request, "login", "Too many login attempts.")
    try:
        user = get_adapter(request).authenticate(request, email=email, password=password)
    except forms.ValidationError as exc:  # allauth's "too many failed login attempts"
        raise TooManyAttempts(
            " ".join(exc.messages), retry_after=allauth_rate_window("login_failed")
        ) from None
    if user is None:
        raise InvalidCredentials("Invalid email or password.")
    if not user.is_active:
        raise AccountInactive("This account is inactive.")
    if not has_verified_email(user):
        send_verification_email_for_user(request, user)
        raise EmailNotVerified(
            f"Verify your email address before logging in: follow the link we sent to {user.email}."
        )
    return user


def _consume_allauth_rate_limit(request, action: str, message: str) -> None:
    if not ratelimit.consume(request, action=action):
        raise TooManyAttempts(
            f"{message} Try again later.", retry_after=allauth_rate_window(action)
        )


def allauth_rate_window(action: str) -> int:
    """Seconds in the longest window of ACCOUNT_RATE_LIMITS[action], e.g. 300 for "5/5m/key".

    allauth does not tell which of its rates refused the request, so this is the longest
    time a client may have to wait.
    """
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    longest = 60
    for rate in (allauth_account_settings.RATE_LIMITS.get(action) or "").split(","):
        parts = rate.strip().split("/")
        if len(parts) >= 2 and parts[1] and parts[1][-1] in units:
            count = parts[1][:-1]
            longest = max(longest, int(float(count or 1) * units[parts[1][-1]]))
    return longest


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
    cities = list(cities)
    if len(cities) > MAX_CITIES_PER_PROVIDER:
        raise InvalidInput(TOO_MANY_CITIES, field="cities")
    profile = user.provider_profile
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    profile.cities.set(cities)
    provider_listing_changed.send(
        ServiceProviderProfile, provider=profile, verification_changed=False
    )
    return profile


def submit_verification_application(
    *,
    user: User,
    statement: str,
    identity_documents: list,
    trade_documents: list,
    licence_number: str = "",
    insurance_expires_on: date | None = None,
) -> VerificationApplication:
    """Record a provider's application with its documents stored privately: all or nothing.

    Raises AccountError when the provider cannot apply now, ValidationError per field.
    """
    if not user.is_provider:
        raise AccountError("Only providers apply for verification.")
    stored: list[str] = []
    try:
        with transaction.atomic():
            # The row lock makes a double submission wait, then see the first one pending.
            provider = ServiceProviderProfile.objects.select_for_update().get(user=user)
            blocker = application_blocker(provider)
            if blocker:
                raise AccountError(blocker)
            documents = _checked_documents(
                statement=statement,
                insurance_expires_on=insurance_expires_on,
                identity_documents=identity_documents,
                trade_documents=trade_documents,
            )
            application = VerificationApplication.objects.create(
                provider=provider,
                statement=statement.strip(),
                licence_number=licence_number.strip(),
                insurance_expires_on=insurance_expires_on,
            )
            for kind, upload, doc_type in documents:
                document = VerificationDocument(
                    application=application,
                    kind=kind,
                    original_name=upload.name,
                    content_type=doc_type.content_type,
                    size=upload.size,
                )
                document.file.save(upload.name, upload, save=False)
                stored.append(document.file.name)
                document.save()
    except BaseException:
        # Nothing stored on failure: no rows (rolled back) and no files (deleted here).
        for name in stored:
            private_documents().delete(name)
        raise
    return application


def _checked_documents(*, statement, insurance_expires_on, identity_documents, trade_documents):
    """(kind, upload, type) of each document, or InvalidAccountDetails with every problem by
    field."""
    errors: dict[str, list] = {}
    if not statement.strip():
        errors["statement"] = [REQUIRED]
    try:
        validate_insurance_expiry(insurance_expires_on)
    except ValidationError as exc:
        errors["insurance_expires_on"] = exc.messages
    documents = []
    for field, kind, uploads in (
        ("identity_documents", DocumentKind.IDENTITY, identity_documents),
        ("trade_documents", DocumentKind.TRADE, trade_documents),
    ):
        if not uploads:
            errors[field] = [REQUIRED]
            continue
        try:
            types = inspect_documents(uploads)
        except ValidationError as exc:
            errors[field] = exc.messages
        else:
            documents += [
                (kind, upload, doc_type) for upload, doc_type in zip(uploads, types, strict=True)
            ]
    if errors:
        raise InvalidAccountDetails(INVALID_DETAILS, errors=errors)
    return documents


@transaction.atomic
def decide_verification(
    *,
    provider: ServiceProviderProfile,
    status: str,
    by: User,
    reason: str = "",
    application: VerificationApplication | None = None,
) -> ServiceProviderProfile:
    """Record a verification decision (who, when, why) and show or hide the provider's services.

    The decision also settles the provider's pending application, if any; `application`, when
    given, must be that one (an application decided meanwhile is not decided twice). Verifying
    needs a pending application with its documents, unless a Superadmin gives the reason (see
    _check_approval). Every decision, revocations included, is kept as a VerificationDecision.
    """
    reason = reason.strip()
    _check_decision(status=status, reason=reason, by=by)
    pending = _lock_pending_application(provider=provider, status=status, application=application)
    if status == VerificationStatus.VERIFIED:
        _check_approval(provider=provider, pending=pending, by=by, reason=reason)
    _record_decision(provider=provider, pending=pending, status=status, by=by, reason=reason)
    provider_listing_changed.send(
        ServiceProviderProfile, provider=provider, verification_changed=True
    )
    _notify_verification_decision(provider)
    return provider


def _check_decision(*, status: str, reason: str, by: User) -> None:
    """AccountError unless `by` may decide and the decision is complete."""
    if status not in (VerificationStatus.VERIFIED, VerificationStatus.REJECTED):
        raise AccountError("A decision verifies or rejects the provider.")
    if status == VerificationStatus.REJECTED and not reason:
        raise AccountError("Give the provider a reason for the rejection.")
    if not by.is_marketplace_staff:
        raise AccountError("Only admins decide on verification.")


def _has_every_document_kind(application: VerificationApplication) -> bool:
    kinds = set(application.documents.values_list("kind", flat=True).distinct())
    return kinds >= set(DocumentKind)


def _check_approval(
    *,
    provider: ServiceProviderProfile,
    pending: VerificationApplication | None,
    by: User,
    reason: str,
) -> None:
    """AccountError unless the provider sent what verifying them rests on: a pending application
    with an identity and a trade document, or a Superadmin vouches for them with a reason (kept
    on the decision)."""
    if pending is not None and _has_every_document_kind(pending):
        return
    missing = (
        f"{provider} has no pending application"
        if pending is None
        else f"{provider}'s application lacks an identity or a trade document"
    )
    if not by.is_superuser:
        raise AccountError(
            f"{missing}. Verifying needs a pending application with its documents; "
            "only a Superadmin can verify without one, giving a reason."
        )
    if not reason:
        raise AccountError(f"{missing}. Give the reason for verifying them without an application.")


def _lock_pending_application(
    *,
    provider: ServiceProviderProfile,
    status: str,
    application: VerificationApplication | None,
) -> VerificationApplication | None:
    """Lock the provider and its pending application, if any, and return that application;
    AccountError when the decision would decide something already decided."""
    # Locked, so two admins deciding at once are serialised and the second sees the first.
    current = ServiceProviderProfile.objects.select_for_update().get(pk=provider.pk)
    pending = (
        VerificationApplication.objects.select_for_update()
        .filter(provider=provider, status=VerificationStatus.PENDING)
        .first()
    )
    if application is not None and (pending is None or pending.pk != application.pk):
        raise AccountError("This application was already decided.")
    if pending is None and current.verification_status == status:
        raise AccountError(
            f"{current} is already {current.get_verification_status_display().lower()}."
        )
    return pending


def _record_decision(
    *,
    provider: ServiceProviderProfile,
    pending: VerificationApplication | None,
    status: str,
    by: User,
    reason: str,
) -> None:
    """Write the decision on the provider, on its pending application and in the history."""
    now = timezone.now()
    provider.verification_status = status
    provider.verification_decided_by = by
    provider.verification_decided_at = now
    provider.verification_reason = reason
    # Only the decision's fields: the caller's copy of the rest of the profile may be stale.
    provider.save(
        update_fields=[
            "verification_status",
            "verification_decided_by",
            "verification_decided_at",
            "verification_reason",
            "updated_at",
        ]
    )
    if pending is not None:
        pending.status = status
        pending.decided_by = by
        pending.decided_at = now
        pending.reason = reason
        pending.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    VerificationDecision.objects.create(
        provider=provider,
        application=pending,
        status=status,
        decided_by=by,
        decided_at=now,
        reason=reason,
    )


def _notify_verification_decision(provider: ServiceProviderProfile) -> None:
    if provider.verification_status == VerificationStatus.VERIFIED:
        kind, title = (
            NotificationKind.VERIFICATION_APPROVED,
            "You are verified: customers can book you",
        )
        body = "Your services are now listed in search."
    elif provider.verification_status == VerificationStatus.REJECTED:
        kind, title = NotificationKind.VERIFICATION_REJECTED, "Your verification was not approved"
        body = (
            f"Reason: {provider.verification_reason}\nYou can update your details and apply again."
        )
    else:
        return
    notify(
        recipient=provider.user,
        kind=kind,
        # One notification per decision: a later decision is a new event.
        event_key=f"verification:{provider.pk}:{provider.verification_decided_at.isoformat()}",
        title=title,
        body=body,
        url=reverse("accounts:verification"),
    )
