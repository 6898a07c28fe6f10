import pytest

from accounts.tests.factories import CustomerFactory
from booking.tests.factories import bookable_service
from tests.security.world import access_token

from ..models import Message
from .factories import conversation

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {access_token(user)}"}


def test_customer_asks_about_a_service_and_the_provider_lists_it_unread(client):
    service = bookable_service()
    customer = CustomerFactory()

    started = client.post(
        "/api/conversations/",
        {"service": service.pk, "body": "Call me on 415 555 0123"},
        content_type="application/json",
        **_auth(customer),
    )
    inbox = client.get("/api/conversations/", **_auth(service.provider.user)).json()

    assert started.status_code == 201
    assert started.json()["last_message"] == "Call me on [phone hidden]"
    assert inbox["unread_count"] == 1
    assert inbox["results"][0]["unread"] == 1


def test_an_empty_message_is_a_400_naming_body(client):
    thread = conversation()

    response = client.post(
        f"/api/conversations/{thread.pk}/messages/",
        {"body": "  "},
        content_type="application/json",
        **_auth(thread.customer),
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["Write a message before sending."]}
    assert not Message.objects.exists()


def test_sending_past_the_per_user_limit_is_a_429_with_retry_after(client, settings):
    settings.MESSAGING_SEND_RATE_PER_USER = "1/h"
    thread = conversation()
    url = f"/api/conversations/{thread.pk}/messages/"
    headers = _auth(thread.customer)
    client.post(url, {"body": "one"}, content_type="application/json", **headers)

    response = client.post(url, {"body": "two"}, content_type="application/json", **headers)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Message.objects.count() == 1


def test_messages_are_paginated_newest_first_and_reading_marks_read(client):
    thread = conversation(messages=[("customer", "first"), ("customer", "second")])
    provider = thread.provider.user

    page = client.get(f"/api/conversations/{thread.pk}/messages/", **_auth(provider)).json()
    read = client.post(f"/api/conversations/{thread.pk}/read/", **_auth(provider)).json()

    assert [m["body"] for m in page["results"]] == ["second", "first"]
    assert page["results"][0]["sender"] == "customer" and not page["results"][0]["mine"]
    assert read == {"unread_count": 0}


def test_a_stranger_gets_404_for_someone_elses_conversation(client):
    thread = conversation(messages=[("customer", "private")])

    response = client.get(f"/api/conversations/{thread.pk}/messages/", **_auth(CustomerFactory()))

    assert response.status_code == 404
    assert "private" not in response.content.decode()


def test_reporting_the_other_sides_message(client):
    thread = conversation(messages=[("provider", "pay cash")])
    message = thread.messages.get()
    url = f"/api/conversations/{thread.pk}/messages/{message.pk}/report/"

    first = client.post(
        url, {"reason": "OFF_PLATFORM"}, content_type="application/json", **_auth(thread.customer)
    )
    again = client.post(
        url, {"reason": "SPAM"}, content_type="application/json", **_auth(thread.customer)
    )

    assert first.status_code == 201
    assert again.status_code == 409
