"""One small marketplace owned by "A" and "B", built once per test module.

Every URL pattern's arguments are filled from what A owns: customer A's booking with
provider A, provider A's service, time off, verification documents and calendar, the
review customer A wrote and provider A's reply, A's notifications. The B accounts own the
same kinds of things, so "B never reaches A's" is checked against real neighbours.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from allauth.core import context
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from accounts import services as account_services
from accounts import tokens
from accounts.models import ServiceProviderProfile, UserProfile, VerificationStatus
from accounts.tests.factories import (
    AdminFactory,
    CityFactory,
    CustomerFactory,
    ProviderFactory,
    SuperadminFactory,
    apply_for_verification,
)
from booking import selectors as booking_selectors
from booking import services as booking_services
from booking.models import Booking, ProviderSchedule, TimeOff
from booking.tests.factories import BookingFactory, bookable_service
from catalog.models import Service
from messaging.models import Conversation, Message, MessageReport
from notifications.models import Notification, NotificationKind
from notifications.services import notify
from photos.models import Photo
from reviews import services as review_services
from reviews.models import Review, ReviewReply
from reviews.tests.factories import ReviewFactory, completed_booking

ROLES = ("anonymous", "customer_a", "customer_b", "provider_a", "provider_b", "admin", "superadmin")
B_ROLES = ("customer_b", "provider_b")


@dataclass
class Side:
    """What one of A or B owns."""

    customer: object
    provider: object
    service: Service
    booking: Booking  # PENDING, three days ahead
    completed_booking: Booking
    review: Review
    reply: ReviewReply
    time_off: TimeOff
    notification: Notification  # the customer's
    provider_notification: Notification
    documents: list = field(default_factory=list)
    free_slot: object = None  # an aware start time nobody has booked, a week or so ahead
    quote_request: object = None  # quotes (#22): the customer's, quoted by the provider
    conversation: object = None  # the customer's with the provider (#22), reported

    @property
    def schedule(self) -> ProviderSchedule:
        return ProviderSchedule.objects.get(provider=self.provider.provider_profile)


@dataclass
class World:
    a: Side
    b: Side
    admin: object
    superadmin: object

    def user(self, role):
        return {
            "anonymous": None,
            "customer_a": self.a.customer,
            "customer_b": self.b.customer,
            "provider_a": self.a.provider,
            "provider_b": self.b.provider,
            "admin": self.admin,
            "superadmin": self.superadmin,
        }[role]


def _side(name: str, superadmin, city) -> Side:
    customer = CustomerFactory(email=f"customer-{name}@example.com", first_name=f"Cora{name}")
    provider = ProviderFactory(
        email=f"provider-{name}@example.com", first_name=f"Piet{name}", verification=None
    )
    profile = provider.provider_profile
    profile.business_name = f"{name.upper()} Plumbing"
    profile.save()
    profile.cities.add(city)
    application = apply_for_verification(provider)
    account_services.decide_verification(
        provider=profile, status=VerificationStatus.VERIFIED, by=superadmin
    )
    service = bookable_service(provider=ServiceProviderProfile.objects.get(pk=profile.pk))
    booking = BookingFactory(
        service=service,
        customer=customer,
        starts_at=timezone.now().replace(microsecond=0) + timedelta(days=3),
        customer_notes=f"Gate code of {name}",
    )
    done = completed_booking(service=service, customer=customer)
    review = ReviewFactory(booking=done, comment=f"Review by {name}")
    reply = review_services.reply_to_review(
        review=review, provider_user=provider, text=f"Thanks from {name}"
    )
    time_off = booking_services.add_time_off(
        provider=profile,
        start_date=date.today() + timedelta(days=30),
        end_date=date.today() + timedelta(days=31),
        reason="Holiday",
    )
    notification = notify(
        recipient=customer,
        kind=NotificationKind.BOOKING_CONFIRMED,
        event_key=f"world-{name}-customer",
        title=f"News for customer {name}",
        url=booking.get_absolute_url(),
    )
    provider_notification = notify(
        recipient=provider,
        kind=NotificationKind.BOOKING_REQUESTED,
        event_key=f"world-{name}-provider",
        title=f"News for provider {name}",
        url=booking.get_absolute_url(),
    )
    return Side(
        free_slot=_first_free_slot(service),
        quote_request=_quote_request(name, customer, profile),
        conversation=_conversation(
            name, customer, ServiceProviderProfile.objects.get(pk=profile.pk)
        ),
        customer=customer,
        provider=provider,
        service=service,
        booking=booking,
        completed_booking=done,
        review=review,
        reply=reply,
        time_off=time_off,
        notification=notification,
        provider_notification=provider_notification,
        documents=list(application.documents.all()),
    )


def _first_free_slot(service):
    day = timezone.localdate() + timedelta(days=7)
    for offset in range(14):
        slots = booking_selectors.free_slots(service=service, date=day + timedelta(days=offset))
        if slots:
            return slots[len(slots) // 2]
    raise AssertionError("the world's service has no free slot in two weeks")


def _conversation(name, customer, provider_profile):
    """Customer and provider's conversation (#22): a question, an answer the customer
    reported (so the marketplace team may read it)."""
    from messaging import services as messaging_services
    from messaging.models import ReportReason

    thread = messaging_services.start_conversation(customer=customer, provider=provider_profile)
    messaging_services.send_message(
        conversation=thread, sender=customer, body=f"Boiler question from customer {name}"
    )
    answer = messaging_services.send_message(
        conversation=thread, sender=provider_profile.user, body=f"Cash only, says provider {name}"
    )
    messaging_services.report_message(
        message=answer, reporter=customer, reason=ReportReason.OFF_PLATFORM
    )
    return thread


def _quote_request(name, customer, provider_profile):
    """Quotes (#22): the customer's request on the provider's price-on-quote service,
    quoted (open, so it may be accepted)."""
    from catalog.models import PricingType
    from photos.tests.factories import photo_upload
    from quotes.tests.factories import quoted, requested

    service = bookable_service(
        provider=ServiceProviderProfile.objects.get(pk=provider_profile.pk),
        pricing_type=PricingType.QUOTE,
        title=f"Quoted job of {name}",
    )
    asked = requested(
        service=service,
        customer=customer,
        description=f"Secret leak of {name}",
        photos=[photo_upload(f"leak-{name}.jpg")],
    )
    return quoted(quote_request=asked)


def _quote_rows(side):
    from quotes.models import QuoteEvent, QuoteRequest

    return [
        QuoteRequest.objects.filter(customer=side.customer).order_by("pk"),
        QuoteEvent.objects.filter(quote_request__customer=side.customer).order_by("pk"),
    ]


def build_world() -> World:
    superadmin = SuperadminFactory(email="superadmin@example.com")
    admin = AdminFactory(email="admin@example.com")
    city = CityFactory(name="Austin", state="TX")
    return World(
        a=_side("a", superadmin, city),
        b=_side("b", superadmin, city),
        admin=admin,
        superadmin=superadmin,
    )


def fingerprint(side: Side):
    """Everything of `side` a stranger might try to change, as comparable plain data."""
    customer, provider = side.customer, side.provider
    rows = [
        customer.__class__.objects.filter(pk__in=[customer.pk, provider.pk]).order_by("pk"),
        UserProfile.objects.filter(user__in=[customer, provider]).order_by("pk"),
        ServiceProviderProfile.objects.filter(user=provider),
        Service.objects.filter(provider__user=provider).order_by("pk"),
        Booking.objects.filter(customer=customer).order_by("pk"),
        Review.objects.filter(customer=customer).order_by("pk"),
        ReviewReply.objects.filter(review__customer=customer).order_by("pk"),
        TimeOff.objects.filter(provider__user=provider).order_by("pk"),
        # A's notifications as they were: new ones (B booked A's service) are A's business.
        Notification.objects.filter(
            pk__in=[side.notification.pk, side.provider_notification.pk]
        ).order_by("pk"),
        EmailAddress.objects.filter(user__in=[customer, provider]).order_by("pk"),
        *_quote_rows(side),  # quotes (#22)
        # #22: A's conversation, its messages and reports.
        Conversation.objects.filter(pk=side.conversation.pk),
        Message.objects.filter(conversation=side.conversation).order_by("pk"),
        MessageReport.objects.filter(message__conversation=side.conversation).order_by("pk"),
        Photo.objects.filter(provider__user=provider).order_by("pk"),  # #18
    ]
    # values(): every column, those the admin cannot edit included.
    return [list(queryset.values()) for queryset in rows] + [
        sorted(str(doc.pk) + doc.file.name for doc in side.documents),
        list(
            Booking.objects.filter(customer=customer)
            .values_list("history__to_status", flat=True)
            .order_by("history__pk")
        ),
    ]


def access_token(user) -> str:
    """A valid API access token for `user`, issued as the login operation issues it."""
    request = RequestFactory().post("/api/users/login/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = AnonymousUser()
    request.allauth = SimpleNamespace()  # what allauth's middleware gives every request
    with context.request_context(request), tokens.app_client_session(request):
        return tokens.issue_tokens(request, user)["access"]


@contextmanager
def rolled_back():
    """Run a request whose writes must not outlive it (the next role sees the same world)."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)
