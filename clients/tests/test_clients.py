"""A provider's clients (#21): who they are, their figures, private notes only the provider
reads, contact details by the booking page's rule, nobody else's, constant queries."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import CustomerFactory, ProviderFactory
from booking.models import BookingStatus
from booking.tests.factories import local
from clients.models import ClientNote
from insights.tests.factories import job, provider_service
from reviews.tests.factories import ReviewFactory
from tests.api_client import bearer

pytestmark = pytest.mark.django_db

S = BookingStatus
LIST = reverse("clients:list")


@pytest.fixture
def service(time_machine):
    time_machine.move_to(local(2026, 1, 1, 8), tick=False)
    return provider_service(base_price=Decimal("90.00"), title="Lawn care")


@pytest.fixture
def rosa(service, time_machine):
    rosa = CustomerFactory(first_name="Rosa", last_name="Diaz", phone="+14155550123")
    job(service, local(2026, 2, 3, 10), answer=S.CONFIRMED, finish=S.COMPLETED, customer=rosa)
    job(service, local(2026, 3, 3, 10), answer=S.CONFIRMED, finish=S.COMPLETED, customer=rosa)
    job(service, local(2026, 4, 7, 10), answer=S.CONFIRMED, customer=rosa)
    time_machine.move_to(local(2026, 3, 20, 9), tick=False)
    return rosa


def test_the_list_shows_each_client_with_their_figures(client, service, rosa):
    declined = CustomerFactory(first_name="Never", last_name="Served")
    job(service, local(2026, 3, 25, 10), answer=S.REJECTED, customer=declined)
    client.force_login(service.provider.user)

    body = client.get(LIST).content.decode()

    row = re.search(r"<tr>\s*<th scope=\"row\"><a [^>]*>Rosa Diaz</a>.*?</tr>", body, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[1:5] == ["2", "3 Mar 2026", "7 Apr 2026", "180.00 USD"]
    assert "Never Served" not in body  # a declined request makes no client


def test_a_client_s_reviews_are_counted(client, service, rosa):
    from booking.models import Booking

    done = Booking.objects.filter(customer=rosa, status=S.COMPLETED).first()
    ReviewFactory(booking=done, rating=4)
    client.force_login(service.provider.user)

    assert "1 (4.0 ★)" in client.get(LIST).content.decode()


def test_the_client_page_shows_contact_history_and_keeps_private_notes(client, service, rosa):
    client.force_login(service.provider.user)
    url = reverse("clients:detail", args=[rosa.pk])

    page = client.get(url).content.decode()
    saved = client.post(url, {"text": "Gate code 4411. Two friendly dogs."})

    # The booking page's rule: the provider of a booking sees its customer's email and phone.
    assert 'href="mailto:' + rosa.email + '"' in page and "+14155550123" in page
    assert page.count("Lawn care</td>") == 3
    assert saved.status_code == 302
    assert "Gate code 4411" in client.get(url).content.decode()


def test_the_notes_are_never_shown_to_the_customer_or_another_provider(client, service, rosa):
    ClientNote.objects.create(provider=service.provider, customer=rosa, text="Code 4411")
    other = provider_service()
    job(other, local(2026, 3, 25, 10), answer=S.CONFIRMED, customer=rosa)
    from booking.models import Booking

    booking = Booking.objects.filter(customer=rosa, provider=service.provider).first()

    client.force_login(rosa)
    customer_sees = client.get(booking.get_absolute_url()).content.decode()
    client.force_login(other.provider.user)
    other_sees = client.get(reverse("clients:detail", args=[rosa.pk])).content.decode()

    assert "Code 4411" not in customer_sees
    assert "Code 4411" not in other_sees
    assert "Rosa Diaz" in other_sees  # Rosa is the other provider's client too, without notes


def test_another_provider_s_client_is_not_found_and_their_note_unchanged(client, service, rosa):
    ClientNote.objects.create(provider=service.provider, customer=rosa, text="Code 4411")
    client.force_login(ProviderFactory())
    url = reverse("clients:detail", args=[rosa.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "hijacked"}).status_code == 404
    assert "Rosa" not in client.get(LIST).content.decode()
    assert ClientNote.objects.get().text == "Code 4411"


def test_a_note_too_long_is_refused_and_nothing_saved(client, service, rosa):
    client.force_login(service.provider.user)

    response = client.post(reverse("clients:detail", args=[rosa.pk]), {"text": "x" * 2001})

    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert not ClientNote.objects.exists()


@pytest.mark.parametrize("clients", [1, 6])
def test_the_list_costs_the_same_queries_whatever_the_clients(
    client, service, time_machine, clients, django_assert_num_queries
):
    for index in range(clients):
        job(service, local(2026, 3, 2, 8) + timedelta(hours=index), answer=S.CONFIRMED)
    time_machine.move_to(local(2026, 3, 1, 9), tick=False)
    client.force_login(service.provider.user)
    client.get(LIST)

    # user, provider, count, page, users with their cities, spent, reviews, schedule, the
    # nav's unread notifications and messages
    with django_assert_num_queries(10):
        response = client.get(LIST)
    assert response.status_code == 200


def test_the_api_lists_the_provider_s_clients_only(client, service, rosa):
    stranger = ProviderFactory()

    mine = client.get("/api/me/clients/", **bearer(service.provider.user))
    theirs = client.get("/api/me/clients/", **bearer(stranger))

    assert mine.status_code == 200
    [row] = mine.json()["results"]
    assert (row["name"], row["jobs_done"], row["total_spent"]) == (
        "Rosa Diaz",
        2,
        {"USD": "180.00"},
    )
    assert row["email"] == rosa.email
    assert theirs.json() == {"count": 0, "next": None, "previous": None, "results": []}
