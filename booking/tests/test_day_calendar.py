"""The day step as a month calendar, Monday to Sunday (#18)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _day_step(client, service, **query):
    return client.get(reverse("booking:book_date", args=[service.pk]), query)


def test_the_day_step_is_this_month_from_monday(client, service, now):
    response = _day_step(client, service)
    page = response.content.decode()
    assert "March 2026" in page
    weeks = response.context["weeks"]
    # 1 March 2026 is a Sunday: six empty cells, then the Sunday, in the first week.
    assert weeks[0][:6] == [None] * 6 and weeks[0][6][0].day == 1
    assert all(len(week) == 7 for week in weeks)
    assert page.index("Mon</abbr>") < page.index("Sun</abbr>")


def test_days_without_free_time_say_so_in_text(client, service, now):
    page = _day_step(client, service).content.decode()
    assert "Sunday 1 March: no free time" in page  # before today, and a Sunday
    assert "Saturday 7 March: no free time" in page
    assert "Monday 2 March: free times" in page
    assert f"{reverse('booking:book_time', args=[service.pk])}?date=2026-03-02" in page


def test_next_and_previous_months(client, service, now):
    march = _day_step(client, service).content.decode()
    assert "?month=2026-04" in march and "?month=2026-02" not in march
    april = _day_step(client, service, month="2026-04")
    assert "April 2026" in april.content.decode()
    assert "?month=2026-03" in april.content.decode()
    assert april.context["weeks"][0][2][0].isoformat() == "2026-04-01"  # a Wednesday


def test_a_month_out_of_reach_is_brought_back(client, service, now):
    assert _day_step(client, service, month="2031-01").context["month"].isoformat() == "2026-06-01"
    assert _day_step(client, service, month="nonsense").context["month"].isoformat() == "2026-03-01"
    assert _day_step(client, service, month="2020-01").context["month"].isoformat() == "2026-03-01"
