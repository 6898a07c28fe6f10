"""A person's own data: a copy of it (export) and deleting the account.

It lives above reviews because it reads and anonymises rows of every app. What others
still need is kept without the person in it; the rest is deleted:

- kept, anonymised: the user row (no name, email, phone or password; inactive) when any
  booking or review refers to it; a customer's bookings (their address, postal code and
  notes removed) and reviews (signed "A customer"); a provider's profile (renamed, no bio,
  cities or slug of theirs), the services of their bookings (unlisted), the
  verification applications and decisions (the audit trail) without statement, licence
  number or documents;
- deleted: the profile and avatar, email addresses, sessions (site and API), notifications,
  contact messages, the provider's schedule, hours, time off, verification documents (and
  their files), the services nobody booked, and the user row itself when nothing refers to
  it.

docs/privacy.md lists the same, row by row.
"""

from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import (
    ApiSession,
    ServiceProviderProfile,
    User,
    UserProfile,
    VerificationApplication,
    VerificationDocument,
)
from booking.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatusHistory,
    ProviderSchedule,
    TimeOff,
    WeeklyAvailability,
)
from catalog.models import Service
from catalog.services import sync_provider_listings
from core.errors import Conflict
from notifications.models import Notification
from reviews.models import Review

from .models import ContactMessage

FORMER_PROVIDER = "Former provider"


class AccountDeletionRefused(Conflict):
    """The account cannot be deleted yet; the message says what to do first."""


# --- Export -----------------------------------------------------------------------------


def _who(entry, user, booking) -> str:
    if entry.changed_by_id is None:
        return "automatically"
    if entry.changed_by_id == user.pk:
        return "you"
    if entry.changed_by_id == booking.customer_id:
        return "the customer"
    if entry.changed_by_id == booking.provider.user_id:
        return "the provider"
    return "the marketplace"


def _history(booking, user) -> list[dict]:
    return [
        {
            "from_status": entry.from_status,
            "to_status": entry.to_status,
            "changed_at": entry.changed_at,
            "changed_by": _who(entry, user, booking),
            "notes": entry.notes,
        }
        for entry in booking.history.all()
    ]


def _customer_booking(booking, user) -> dict:
    return {
        "reference": booking.booking_reference,
        "service": booking.service.title,
        "provider": booking.provider.display_name,
        "status": booking.status,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "time_zone": booking.time_zone,
        "address": booking.service_address,
        "city": booking.service_city.name,
        "state": booking.service_state,
        "postal_code": booking.service_postal_code,
        "notes": booking.customer_notes,
        "estimated_duration_minutes": booking.estimated_duration_minutes,
        "pricing_type": booking.pricing_type,
        "base_price": booking.base_price,
        "estimated_total": booking.estimated_total,
        "currency": booking.currency,
        "free_cancellation_hours": booking.cancellation_free_hours,
        "cancellation_reason": booking.cancellation_reason,
        "requested_at": booking.created_at,
        "history": _history(booking, user),
    }


def _provider_job(booking) -> dict:
    # The job as the provider's record: no customer's name, address or notes (theirs).
    return {
        "reference": booking.booking_reference,
        "service": booking.service.title,
        "status": booking.status,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "time_zone": booking.time_zone,
        "city": booking.service_city.name,
        "estimated_total": booking.estimated_total,
        "currency": booking.currency,
        "requested_at": booking.created_at,
    }


def _review(review, *, with_booking=True) -> dict:
    data = {
        "service": review.service.title,
        "rating": review.rating,
        "quality_rating": review.quality_rating,
        "punctuality_rating": review.punctuality_rating,
        "professionalism_rating": review.professionalism_rating,
        "value_rating": review.value_rating,
        "title": review.title,
        "comment": review.comment,
        "created_at": review.created_at,
        "is_hidden": review.is_hidden,
        "reply": review.public_reply.text if review.public_reply else "",
    }
    if with_booking:
        data["booking"] = review.booking.booking_reference
    return data


def _provider_part(profile: ServiceProviderProfile) -> dict:
    schedule = ProviderSchedule.objects.filter(provider=profile).first()
    applications = VerificationApplication.objects.filter(provider=profile).prefetch_related(
        "documents"
    )
    jobs = (
        Booking.objects.filter(provider=profile)
        .select_related("service", "service_city")
        .order_by("starts_at")
    )
    reviews = (
        Review.objects.filter(provider=profile)
        .select_related("service", "reply")
        .order_by("created_at")
    )
    return {
        "business_name": profile.business_name,
        "public_page": profile.get_absolute_url(),
        "bio": profile.bio,
        "years_of_experience": profile.years_of_experience,
        "cities": [str(city) for city in profile.cities.all()],
        "verification_status": profile.verification_status,
        "verification_reason": profile.verification_reason,
        "created_at": profile.created_at,
        "schedule": schedule
        and {
            "time_zone": schedule.time_zone,
            "buffer_minutes": schedule.buffer_minutes,
            "min_notice_hours": schedule.min_notice_hours,
            "max_advance_days": schedule.max_advance_days,
            "cancellation_free_hours": schedule.cancellation_free_hours,
            "pending_expiry_hours": schedule.pending_expiry_hours,
        },
        "weekly_hours": [
            {
                "weekday": hours.get_weekday_display(),
                "start": hours.start_time,
                "end": hours.end_time,
            }
            for hours in WeeklyAvailability.objects.filter(provider=profile)
        ],
        "time_off": [
            {"from": off.start_date, "to": off.end_date, "reason": off.reason}
            for off in TimeOff.objects.filter(provider=profile)
        ],
        "services": [
            {
                "title": service.title,
                "category": service.category.name,
                "short_description": service.short_description,
                "description": service.description,
                "pricing_type": service.pricing_type,
                "base_price": service.base_price,
                "currency": service.currency,
                "duration_minutes": service.duration_minutes,
                "is_active": service.is_active,
                "created_at": service.created_at,
            }
            for service in Service.objects.filter(provider=profile).select_related("category")
        ],
        "verification_applications": [
            {
                "submitted_at": application.submitted_at,
                "statement": application.statement,
                "licence_number": application.licence_number,
                "insurance_expires_on": application.insurance_expires_on,
                "status": application.status,
                "decided_at": application.decided_at,
                "reason": application.reason,
                "documents": [
                    {
                        "kind": document.kind,
                        "name": document.original_name,
                        "content_type": document.content_type,
                        "size": document.size,
                    }
                    for document in application.documents.all()
                ],
            }
            for application in applications
        ],
        "jobs": [_provider_job(booking) for booking in jobs],
        "reviews_received": [_review(review, with_booking=False) for review in reviews],
    }


def export_data(user: User) -> dict:
    """Everything stored about `user` (and nothing about anyone else), as plain data."""
    from allauth.account.models import EmailAddress

    profile = UserProfile.objects.filter(user=user).first()
    bookings = (
        Booking.objects.filter(customer=user)
        .select_related("service", "service_city", "provider__user")
        .prefetch_related("history")
        .order_by("starts_at")
    )
    reviews = (
        Review.objects.filter(customer=user)
        .select_related("service", "booking", "reply")
        .order_by("created_at")
    )
    provider = ServiceProviderProfile.objects.filter(user=user).first()
    data = {
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "role": user.role,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
        },
        "profile": profile
        and {
            "address": profile.address,
            "city": profile.city,
            "state": profile.state,
            "postal_code": profile.postal_code,
            "time_zone": profile.time_zone,
            "preferred_language": profile.preferred_language,
            "email_reminders": profile.email_reminders,
            "email_review_invitations": profile.email_review_invitations,
            "avatar": profile.avatar.url if profile.avatar else "",
        },
        "bookings": [_customer_booking(booking, user) for booking in bookings],
        "reviews_written": [_review(review) for review in reviews],
        "provider": _provider_part(provider) if provider else None,
        "notifications": [
            {
                "kind": notification.kind,
                "title": notification.title,
                "body": notification.body,
                "url": notification.url,
                "created_at": notification.created_at,
                "read_at": notification.read_at,
            }
            for notification in Notification.objects.filter(recipient=user).order_by("created_at")
        ],
        "contact_messages": [
            {"subject": m.subject, "message": m.message, "email": m.email, "sent_at": m.created_at}
            for m in _contact_messages(user).order_by("created_at")
        ],
    }
    return data


def _contact_messages(user: User):
    return ContactMessage.objects.filter(Q(sender=user) | Q(email__iexact=user.email))


# --- Deletion ---------------------------------------------------------------------------


def deletion_blocker(user: User) -> str | None:
    """Why `user` cannot delete their account now, or None if they can."""
    if user.is_marketplace_staff:
        return (
            "Admin accounts are not deleted from here: another admin deactivates them, so "
            "the decisions they took keep their author."
        )
    active = Booking.objects.filter(
        Q(customer=user) | Q(provider__user=user), status__in=ACTIVE_STATUSES
    )
    if active.exists():
        return (
            "You have bookings that are still open (requested, confirmed or in progress). "
            "Cancel or finish them first; then you can delete your account."
        )
    return None


def _referred_to(user: User) -> bool:
    """Whether rows others need (bookings, reviews) point at the user or their business."""
    return (
        Booking.objects.filter(Q(customer=user) | Q(provider__user=user)).exists()
        or Review.objects.filter(Q(customer=user) | Q(provider__user=user)).exists()
    )


def what_is_kept(user: User) -> list[str]:
    """In plain words, what deleting the account keeps for others (empty: nothing)."""
    kept = []
    if Booking.objects.filter(customer=user).exists():
        kept.append(
            "Your past bookings stay in the providers' records, without your name, address "
            "or notes."
        )
    if Review.objects.filter(customer=user).exists():
        kept.append('Your reviews stay on the providers\' pages, signed "A customer".')
    if Booking.objects.filter(provider__user=user).exists():
        kept.append(
            "The jobs you did stay in your customers' records, under the name "
            f'"{FORMER_PROVIDER}"; your services are taken out of search.'
        )
    return kept


def _end_sessions(user: User) -> None:
    # The browser's own session ends with the logout that follows; any other browser's
    # fails its check once the password hash changes (or the user row is gone).
    api_sessions = ApiSession.objects.filter(user=user).values("session_id")
    Session.objects.filter(session_key__in=api_sessions).delete()


def _anonymise_customer_side(user: User) -> None:
    Booking.objects.filter(customer=user).update(
        service_address="", service_postal_code="", customer_notes=""
    )
    Booking.objects.filter(cancelled_by=user).update(cancellation_reason="")
    BookingStatusHistory.objects.filter(changed_by=user).update(notes="")


def _anonymise_provider_side(profile: ServiceProviderProfile) -> None:
    booked = Service.objects.filter(provider=profile, bookings__isnull=False).values("pk")
    Service.objects.filter(provider=profile).exclude(pk__in=booked).delete()
    Service.objects.filter(provider=profile).update(is_active=False, is_featured=False)
    profile.business_name = FORMER_PROVIDER
    profile.slug = f"former-provider-{profile.pk}"
    profile.bio = ""
    profile.years_of_experience = 0
    profile.save(update_fields=["business_name", "slug", "bio", "years_of_experience"])
    profile.cities.clear()
    ProviderSchedule.objects.filter(provider=profile).delete()
    WeeklyAvailability.objects.filter(provider=profile).delete()
    TimeOff.objects.filter(provider=profile).delete()
    VerificationDocument.objects.filter(application__provider=profile).delete()
    VerificationApplication.objects.filter(provider=profile).update(
        statement="", licence_number="", insurance_expires_on=None
    )
    sync_provider_listings(provider=profile)


def delete_account(*, user: User) -> None:
    """Delete `user`'s account: what others still need kept without them, the rest deleted
    (see the module's docstring), in one transaction; files after it commits. Raises
    AccountDeletionRefused (nothing changed) while deletion_blocker says why not."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        blocker = deletion_blocker(user)
        if blocker:
            raise AccountDeletionRefused(blocker)
        documents = [
            document.file.name
            for document in VerificationDocument.objects.filter(application__provider__user=user)
        ]
        profile = UserProfile.objects.filter(user=user).first()
        avatar = profile.avatar.name if profile and profile.avatar else None
        _end_sessions(user)
        _contact_messages(user).delete()
        Notification.objects.filter(recipient=user).delete()
        if not _referred_to(user):
            provider = ServiceProviderProfile.objects.filter(user=user).first()
            if provider is not None:
                # Out of search (and its caches) before the rows go.
                Service.objects.filter(provider=provider).update(is_active=False)
                sync_provider_listings(provider=provider)
                provider.delete()
            user.delete()
        else:
            _anonymise_customer_side(user)
            provider = ServiceProviderProfile.objects.filter(user=user).first()
            if provider is not None:
                _anonymise_provider_side(provider)
            UserProfile.objects.filter(user=user).delete()
            EmailAddress.objects.filter(user=user).delete()
            user.email = f"deleted-{user.pk}@deleted.invalid"
            user.first_name = user.last_name = user.phone = ""
            user.is_active = False
            user.last_login = None
            user.set_unusable_password()
            user.save()
        transaction.on_commit(lambda: _remove_files(documents, avatar))


def _remove_files(documents: list[str], avatar: str | None) -> None:
    # Each field's own storage: the private directory (or S3 prefix) and the media one.
    private = VerificationDocument._meta.get_field("file").storage
    for name in documents:
        private.delete(name)
    if avatar:
        UserProfile._meta.get_field("avatar").storage.delete(avatar)
