"""The site's access matrix: every page, for every role, and what they get.

Each pattern of the URL configuration has an entry (the meta-tests below fail on a
pattern without one, and on an entry without a pattern). Arguments come from what "A"
owns (see world.py); the B accounts must get 403/404 on A's things, change nothing of
A's with a POST, and never see A's private details in an answer. The admin's patterns are
checked by rule in test_access_admin.py, the API's operations in test_access_api.py.
"""

import dataclasses

import pytest
from django.urls import reverse

from booking.slots import local_time

from .matrix import (
    LOGIN,
    REDIRECT,
    Ask,
    api_operations,
    check,
    every,
    row,
    signed_in,
    url_patterns,
)
from .test_access_admin import ADMIN_PAGES, admin_pattern_rule
from .test_access_api import API

pytestmark = pytest.mark.django_db

# Each row, in ROLES order: anonymous, customer A, customer B, provider A, provider B,
# Admin, Superadmin.
PROVIDERS_ONLY = row(LOGIN, 403, 403, 200, 200, 403, 403)
A_PROVIDERS_OWN = row(LOGIN, 403, 403, 200, 404, 403, 403)
A_BOOKING = row(LOGIN, 200, 404, 200, 404, 200, 200)
POST_ONLY = signed_in(405)
PROVIDER_POST_ONLY = row(LOGIN, 403, 403, 405, 405, 403, 403)


def _service_form(world):
    service = world.a.service
    return {
        "title": "Hijacked",
        "slug": "",
        "category": service.category_id,
        "short_description": "x",
        "description": "",
        "pricing_type": service.pricing_type,
        "base_price": "1.00",
        "currency": "USD",
        "duration_minutes": 60,
        "is_active": "on",
    }


def _slot_query(world):
    slot = world.a.free_slot
    return f"date={slot.date().isoformat()}&time={local_time(slot)}"


def _review_answers(world):
    return {
        "rating": 1,
        "title": "Hijacked",
        "comment": "Hijacked",
        "quality_rating": 1,
        "punctuality_rating": 1,
        "professionalism_rating": 1,
        "value_rating": 1,
    }


def _photo_of_a(world):
    """Provider A's service photo (a row only: no test here reads its files)."""
    from photos.models import Photo

    photo = Photo.objects.filter(service=world.a.service).first()
    if photo is None:
        photo = Photo.objects.create(
            provider=world.a.service.provider,
            service=world.a.service,
            alt_text="A's kitchen",
            original_name="photos/originals/none.jpg",
            width=900,
            height=600,
        )
    return photo


def _photo_in_conversation_of_a(world):
    """A photo on provider A's answer in A's conversation (#22), stored as a sent one is."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.tests.factories import image_bytes
    from messaging import services as messaging_services
    from messaging.models import MessageAttachment

    answer = world.a.conversation.messages.last()
    photo = MessageAttachment.objects.filter(message=answer).first()
    if photo is None:
        upload = SimpleUploadedFile("tap.png", image_bytes("PNG", (80, 80)))
        stored = messaging_services._store_photo(upload, [])
        photo = MessageAttachment.objects.create(message=answer, **stored)
    return photo


# Each entry: the URL's arguments from the world, then one or more Asks.
SITE = {
    "catalog:home": (None, [Ask(every(200))]),
    "catalog:search": (None, [Ask(every(200), query="q=plumbing")]),
    "catalog:category": (lambda w: {"slug": w.a.service.category.slug}, [Ask(every(200))]),
    "catalog:service_detail": (
        lambda w: {"pk": w.a.service.pk, "slug": w.a.service.slug},
        [Ask(every(200))],
    ),
    "catalog:provider_detail": (
        lambda w: {"slug": w.a.provider.provider_profile.slug},
        [Ask(every(200))],
    ),
    "catalog:my_services": (None, [Ask(PROVIDERS_ONLY)]),
    "catalog:service_create": (
        None,
        # An empty form is shown again with its errors.
        [Ask(PROVIDERS_ONLY), Ask(PROVIDERS_ONLY, method="post")],
    ),
    "catalog:service_edit": (
        lambda w: {"pk": w.a.service.pk},
        [
            Ask(A_PROVIDERS_OWN),
            Ask(row(LOGIN, 403, 403, REDIRECT, 404, 403, 403), method="post", data=_service_form),
        ],
    ),
    "catalog:service_toggle": (
        lambda w: {"pk": w.a.service.pk},
        [
            Ask(PROVIDER_POST_ONLY),
            Ask(row(LOGIN, 403, 403, REDIRECT, 404, 403, 403), method="post"),
        ],
    ),
    "catalog:service_delete": (
        lambda w: {"pk": w.a.service.pk},
        [
            Ask(A_PROVIDERS_OWN),
            # A's service has bookings: refused with a message, back to the list.
            Ask(row(LOGIN, 403, 403, REDIRECT, 404, 403, 403), method="post"),
        ],
    ),
    # Anyone signed out may browse the free times; a signed-in provider or admin is told
    # at the first step that bookings come from customer accounts.
    "booking:book_date": (
        lambda w: {"service_pk": w.a.service.pk},
        [Ask(row(200, 200, 200, 403, 403, 403, 403))],
    ),
    "booking:book_time": (
        lambda w: {"service_pk": w.a.service.pk},
        [
            Ask(
                row(200, 200, 200, 403, 403, 403, 403),
                query=lambda w: f"date={w.a.free_slot.date().isoformat()}",
            )
        ],
    ),
    "booking:book_details": (
        lambda w: {"service_pk": w.a.service.pk},
        [
            Ask(row(LOGIN, 200, 200, 403, 403, 403, 403), query=_slot_query),
            # Details missing: the form again, with its errors.
            Ask(row(LOGIN, 400, 400, 403, 403, 403, 403), method="post", query=_slot_query),
        ],
    ),
    "booking:book_review": (
        lambda w: {"service_pk": w.a.service.pk},
        # Nothing in the session's draft yet: back to the first step.
        [Ask(row(LOGIN, REDIRECT, REDIRECT, 403, 403, 403, 403), query=_slot_query)],
    ),
    "booking:my_bookings": (None, [Ask(row(LOGIN, 200, 200, REDIRECT, REDIRECT, 200, 200))]),
    "booking:detail": (lambda w: {"reference": w.a.booking.booking_reference}, [Ask(A_BOOKING)]),
    "booking:change_status": (
        lambda w: {"reference": w.a.booking.booking_reference},
        [
            Ask(POST_ONLY),
            Ask(
                row(LOGIN, REDIRECT, 404, REDIRECT, 404, REDIRECT, REDIRECT),
                method="post",
                data={"status": "CANCELLED", "notes": "Hijacked"},
            ),
        ],
    ),
    "booking:reschedule": (
        lambda w: {"reference": w.a.booking.booking_reference},
        [
            Ask(A_BOOKING),
            Ask(
                row(LOGIN, REDIRECT, 404, REDIRECT, 404, REDIRECT, REDIRECT),
                method="post",
                data=lambda w: {
                    "date": w.a.free_slot.date().isoformat(),
                    "time": local_time(w.a.free_slot),
                },
            ),
        ],
    ),
    "booking:ics": (lambda w: {"reference": w.a.booking.booking_reference}, [Ask(A_BOOKING)]),
    "booking:provider_dashboard": (None, [Ask(PROVIDERS_ONLY)]),
    "booking:availability": (
        None,
        [
            Ask(PROVIDERS_ONLY),
            # No form named: nothing saved, the page again.
            Ask(row(LOGIN, 403, 403, 400, 400, 403, 403), method="post"),
        ],
    ),
    "booking:remove_time_off": (
        lambda w: {"pk": w.a.time_off.pk},
        [
            Ask(PROVIDER_POST_ONLY),
            Ask(row(LOGIN, 403, 403, REDIRECT, 404, 403, 403), method="post"),
        ],
    ),
    # The private feed's token is its only key (a calendar app cannot log in); A's feed
    # lists confirmed jobs only, and A's booking is still pending.
    "booking:calendar_feed": (
        lambda w: {"token": w.a.schedule.calendar_token},
        [Ask(every(200), private_to_a=False)],
    ),
    "reviews:write": (
        lambda w: {"reference": w.a.completed_booking.booking_reference},
        [
            Ask(row(LOGIN, 200, 404, 403, 404, 403, 403)),
            Ask(row(LOGIN, REDIRECT, 404, 403, 404, 403, 403), method="post", data=_review_answers),
        ],
    ),
    "reviews:reply": (
        lambda w: {"pk": w.a.review.pk},
        [
            Ask(PROVIDER_POST_ONLY),
            # A already replied (one reply a review): told so, back to the service page.
            Ask(
                row(LOGIN, 403, 403, REDIRECT, 403, 403, 403),
                method="post",
                data={"text": "Hijacked"},
            ),
        ],
    ),
    "accounts:dashboard": (None, [Ask(signed_in(200))]),
    "accounts:profile": (
        None,
        [Ask(signed_in(200)), Ask(signed_in(200), method="post")],  # own profile only
    ),
    "accounts:provider_profile": (
        None,
        [Ask(PROVIDERS_ONLY), Ask(PROVIDERS_ONLY, method="post")],
    ),
    "accounts:verification": (
        None,
        # An empty application is shown again with its errors.
        [Ask(PROVIDERS_ONLY), Ask(PROVIDERS_ONLY, method="post")],
    ),
    "accounts:verification_document": (
        lambda w: {"pk": w.a.documents[0].pk},
        [Ask(row(LOGIN, 404, 404, 200, 404, 200, 200))],
    ),
    "notifications:list": (None, [Ask(signed_in(200))]),
    "notifications:unread_badge": (None, [Ask(signed_in(200))]),
    "notifications:mark_read": (
        lambda w: {"pk": w.a.notification.pk},
        # Customer A's own; anyone else's is a 404 and stays unread.
        [
            Ask(POST_ONLY),
            Ask(row(LOGIN, REDIRECT, 404, 404, 404, 404, 404), method="post"),
        ],
    ),
    "notifications:mark_all_read": (
        None,
        [Ask(POST_ONLY), Ask(signed_in(REDIRECT), method="post")],
    ),
    # Insights (#21): each provider's own figures and CSV; B's answers never hold A's.
    "insights:overview": (None, [Ask(PROVIDERS_ONLY)]),
    "insights:export": (None, [Ask(PROVIDERS_ONLY)]),
    # Clients (#21): a provider's own; A's client is a 404 to B and changes nothing of A's.
    "clients:list": (None, [Ask(PROVIDERS_ONLY)]),
    "clients:detail": (
        lambda w: {"customer_id": w.a.customer.pk},
        [
            Ask(A_PROVIDERS_OWN),
            Ask(row(LOGIN, 403, 403, REDIRECT, 404, 403, 403), method="post", data={"text": "x"}),
        ],
    ),
    # The site's own pages (#19): text pages for everyone; a new customer's welcome;
    # each person's own data (the export shows only theirs: B's never holds A's markers).
    "pages:how_it_works": (None, [Ask(every(200))]),
    "pages:help": (None, [Ask(every(200))]),
    "pages:about": (None, [Ask(every(200))]),
    "pages:terms": (None, [Ask(every(200))]),
    "pages:privacy": (None, [Ask(every(200))]),
    "pages:become_a_provider": (None, [Ask(every(200))]),
    # An empty message is shown again with its errors; nothing is stored or sent.
    "pages:contact": (None, [Ask(every(200)), Ask(every(400), method="post")]),
    "pages:contact_sent": (None, [Ask(every(200))]),
    "pages:welcome": (None, [Ask(row(LOGIN, 200, 200, REDIRECT, REDIRECT, REDIRECT, REDIRECT))]),
    "pages:data_export": (None, [Ask(signed_in(200))]),
    # Without the password nothing is deleted: the form again, with its error.
    "pages:delete_account": (None, [Ask(signed_in(200)), Ask(signed_in(400), method="post")]),
    # Quotes (#22): A's customer asked A's provider, who quoted; only they (and the
    # marketplace team, to read) reach it. Only customers ask and accept; only the provider
    # asked answers. POSTs with nothing filled in re-render with errors (400).
    "quotes:request": (
        lambda w: {"service_pk": w.a.quote_request.service_id},
        [
            Ask(row(LOGIN, 200, 200, 403, 403, 403, 403)),
            Ask(row(LOGIN, 400, 400, 403, 403, 403, 403), method="post"),
        ],
    ),
    "quotes:my_quotes": (None, [Ask(row(LOGIN, 200, 200, REDIRECT, REDIRECT, 200, 200))]),
    "quotes:provider_requests": (None, [Ask(PROVIDERS_ONLY)]),
    "quotes:detail": (lambda w: {"reference": w.a.quote_request.reference}, [Ask(A_BOOKING)]),
    "quotes:send": (
        lambda w: {"reference": w.a.quote_request.reference},
        [Ask(POST_ONLY), Ask(row(LOGIN, 403, 404, 400, 404, 403, 403), method="post")],
    ),
    "quotes:decline": (
        lambda w: {"reference": w.a.quote_request.reference},
        [Ask(POST_ONLY), Ask(row(LOGIN, 403, 404, 400, 404, 403, 403), method="post")],
    ),
    "quotes:withdraw": (
        lambda w: {"reference": w.a.quote_request.reference},
        [Ask(POST_ONLY), Ask(row(LOGIN, 403, 404, REDIRECT, 404, 403, 403), method="post")],
    ),
    "quotes:photo": (
        lambda w: {
            "reference": w.a.quote_request.reference,
            "pk": w.a.quote_request.photos.get().pk,
        },
        [Ask(A_BOOKING)],
    ),
    "quotes:accept": (
        lambda w: {"reference": w.a.quote_request.reference},
        [
            Ask(row(LOGIN, 200, 404, 403, 404, 403, 403)),
            Ask(row(LOGIN, 400, 404, 403, 404, 403, 403), method="post"),
        ],
    ),
    "pages:favicon": (None, [Ask(every(REDIRECT))]),
    # Photos (#18): each provider's own; another provider's service or photo is not found.
    # An empty upload is shown again with its errors; nothing is stored.
    "photos:profile_photo": (
        None,
        [Ask(PROVIDERS_ONLY), Ask(row(LOGIN, 403, 403, 400, 400, 403, 403), method="post")],
    ),
    "photos:service_photos": (
        lambda w: {"pk": w.a.service.pk},
        [
            Ask(A_PROVIDERS_OWN),
            Ask(row(LOGIN, 403, 403, 400, 404, 403, 403), method="post"),
        ],
    ),
    "photos:photo_edit": (
        lambda w: {"pk": _photo_of_a(w).pk},
        [
            Ask(PROVIDER_POST_ONLY),
            Ask(
                row(LOGIN, 403, 403, REDIRECT, 404, 403, 403),
                method="post",
                data=lambda w: {f"photo-{_photo_of_a(w).pk}-alt_text": "Hijacked"},
            ),
        ],
    ),
    "photos:photo_move": (
        lambda w: {"pk": _photo_of_a(w).pk},
        [
            Ask(PROVIDER_POST_ONLY),
            Ask(
                row(LOGIN, 403, 403, REDIRECT, 404, 403, 403),
                method="post",
                data={"direction": "later"},
            ),
        ],
    ),
    "photos:photo_delete": (
        lambda w: {"pk": _photo_of_a(w).pk},
        [
            Ask(PROVIDER_POST_ONLY),
            Ask(row(LOGIN, 403, 403, REDIRECT, 404, 403, 403), method="post"),
        ],
    ),
    # Messages (#22): each side's own conversations; admins read a reported one and hide
    # its messages, never write. A's conversation is reported (world.py).
    "messaging:inbox": (None, [Ask(row(LOGIN, 200, 200, 200, 200, 403, 403))]),
    "messaging:unread_badge": (None, [Ask(signed_in(200))]),
    "messaging:preferences": (
        None,
        [
            Ask(POST_ONLY),
            Ask(row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403, 403), method="post"),
        ],
    ),
    "messaging:ask": (
        lambda w: {"service_pk": w.a.service.pk},
        [
            Ask(row(LOGIN, 200, 200, 403, 403, 403, 403)),
            # B's question to provider A opens B's own conversation, never A's.
            Ask(
                row(LOGIN, REDIRECT, REDIRECT, 403, 403, 403, 403),
                method="post",
                data={"body": "Hijacked"},
            ),
        ],
    ),
    "messaging:booking": (
        lambda w: {"reference": w.a.booking.booking_reference},
        [
            Ask(POST_ONLY),
            Ask(
                row(LOGIN, REDIRECT, 404, REDIRECT, 404, 403, 403),
                method="post",
                data={"body": "Hijacked"},
            ),
        ],
    ),
    "messaging:conversation": (
        lambda w: {"pk": w.a.conversation.pk},
        [
            Ask(row(LOGIN, 200, 404, 200, 404, 200, 200)),
            Ask(
                row(LOGIN, REDIRECT, 404, REDIRECT, 404, 403, 403),
                method="post",
                data={"body": "Hijacked"},
            ),
        ],
    ),
    "messaging:report": (
        lambda w: {"pk": w.a.conversation.pk, "message_pk": w.a.conversation.messages.last().pk},
        [
            Ask(row(LOGIN, 200, 404, 403, 404, 403, 403)),
            # Customer A reported it already: told so, back to the conversation.
            Ask(
                row(LOGIN, REDIRECT, 404, 403, 404, 403, 403),
                method="post",
                data={"reason": "SPAM"},
            ),
        ],
    ),
    "messaging:hide": (
        lambda w: {"pk": w.a.conversation.pk, "message_pk": w.a.conversation.messages.last().pk},
        [
            Ask(POST_ONLY),
            Ask(row(LOGIN, 403, 403, 403, 403, REDIRECT, REDIRECT), method="post"),
        ],
    ),
    # A photo sent in A's conversation (#22): its two participants, and staff (reported).
    "messaging:photo": (
        lambda w: {"pk": w.a.conversation.pk, "photo_pk": _photo_in_conversation_of_a(w).pk},
        [Ask(row(LOGIN, 200, 404, 200, 404, 200, 200))],
    ),
    # The live stream (#22): signed-in people only, each their own events; the suite's
    # WSGI test client gets the 204 a WSGI worker answers (tests/live/ test it on uvicorn).
    "live:events": (None, [Ask(row(401, 204, 204, 204, 204, 204, 204))]),
    # django-allauth's pages. Signed-in people are sent on from login and sign-up.
    "account_login": (None, [Ask(row(200, *[REDIRECT] * 6))]),
    "account_logout": (None, [Ask(row(REDIRECT, *[200] * 6))]),
    "account_inactive": (None, [Ask(every(200))]),
    "account_signup": (None, [Ask(row(200, *[REDIRECT] * 6))]),
    "account_reauthenticate": (None, [Ask(signed_in(200))]),
    "account_email": (None, [Ask(signed_in(200))]),
    "account_email_verification_sent": (None, [Ask(every(200))]),
    "account_change_password": (None, [Ask(signed_in(200))]),
    "account_set_password": (None, [Ask(signed_in(REDIRECT))]),  # they have a password
    "account_reset_password": (None, [Ask(every(200))]),
    # No login code is pending: back to the login page (which sends signed-in people on).
    "account_confirm_login_code": (None, [Ask(row(LOGIN, *[REDIRECT] * 6))]),
    "account_confirm_email": (lambda w: {"key": "not-a-key"}, [Ask(every(200))]),
    "account_reset_password_from_key_done": (None, [Ask(every(200))]),
    "account_reset_password_from_key": (
        lambda w: {"uidb36": "zz", "key": "not-a-key"},
        [Ask(every(200))],
    ),
    "account_reset_password_done": (None, [Ask(every(200))]),
    # The API's own pages (its operations are in test_access_api.py).
    "api:openapi-json": (None, [Ask(every(200))]),
    "api:openapi-view": (None, [Ask(every(200))]),
    "api:api-root": (None, [Ask(every(404))]),
    "healthz": (None, [Ask(every(200))]),
    "livez": (None, [Ask(every(200))]),
    # Development only (DEBUG): uploaded files; nothing is uploaded here.
    "^media/(?P<path>.*)$": (lambda w: {"path": "nothing-here.png"}, [Ask(every(404))]),
}

UNNAMED_URLS = {"^media/(?P<path>.*)$": "/media/{path}"}


def _url(key, world):
    kwargs_for, _ = SITE[key]
    kwargs = kwargs_for(world) if kwargs_for else {}
    if key in UNNAMED_URLS:
        return UNNAMED_URLS[key].format(**kwargs)
    return reverse(key, kwargs=kwargs)


def _resolved(ask, world):
    """The Ask with its callables (data, query) applied to the world."""
    return dataclasses.replace(
        ask, **{n: getattr(ask, n)(world) for n in ("data", "query") if callable(getattr(ask, n))}
    )


@pytest.mark.parametrize(
    ("key", "index"),
    [(key, index) for key, (_, asks) in SITE.items() for index in range(len(asks))],
    ids=lambda value: str(value),
)
def test_site_access_matrix(world, key, index):
    ask = _resolved(SITE[key][1][index], world)
    problems = check(world, _url(key, world), ask)
    assert not problems, f"{ask.method.upper()} {key}: " + "; ".join(problems)


# --- The matrix covers the URL configuration, and nothing else ------------------------------


def _entry_for(pattern):
    if pattern.is_api_operation:
        return "api"
    if pattern.key in SITE:
        return "site"
    if pattern.key in ADMIN_PAGES or admin_pattern_rule(pattern) is not None:
        return "admin"
    return None


def test_every_url_pattern_has_a_matrix_entry():
    missing = [p.key for p in url_patterns() if _entry_for(p) is None]

    assert not missing, f"URL patterns without an access-matrix entry: {missing}"


def test_every_matrix_entry_names_a_url_pattern():
    keys = {p.key for p in url_patterns()}

    assert not set(SITE) - keys, f"entries for no URL pattern: {set(SITE) - keys}"
    assert not set(ADMIN_PAGES) - keys, f"admin entries for no pattern: {set(ADMIN_PAGES) - keys}"


def test_every_api_operation_has_a_matrix_entry_and_every_entry_an_operation():
    operations = set(api_operations())

    assert not operations - set(API), f"API operations without an entry: {operations - set(API)}"
    assert not set(API) - operations, f"entries for no API operation: {set(API) - operations}"


def test_every_api_url_pattern_is_an_operation_in_the_schema():
    schema_paths = {operation.split(" ", 1)[1] for operation in api_operations()}
    routes = {
        "/" + p.route.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for p in url_patterns()
        if p.is_api_operation
    }

    assert routes == schema_paths
