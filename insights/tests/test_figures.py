"""The insights figures against hand-counted fixtures (#21): each period ends with the
provider's local day, a job completed at 23:30 on its last day counts in it, the previous
period sits beside it, and the rollups the page reads equal a recount."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from booking.models import BookingStatus
from booking.tests.factories import local
from insights import selectors, services
from insights.models import ServiceDay

from .factories import job, provider_service

pytestmark = pytest.mark.django_db

S = BookingStatus
# The last day of every period below: Tuesday 31 March 2026 in Chicago (UTC-5, summer time).
LAST_DAY_EVENING = local(2026, 3, 31, 23, 50)


@pytest.fixture
def service(time_machine):
    time_machine.move_to(local(2026, 1, 1, 8), tick=False)
    return provider_service(base_price=Decimal("100.00"), title="Deep clean")


def _roll_up(service, time_machine):
    time_machine.move_to(LAST_DAY_EVENING, tick=False)
    services.roll_up_history(provider=service.provider)


def test_a_job_completed_at_2330_on_the_last_day_counts_in_the_period(service, time_machine):
    # 22:30-23:30 local on 31 March is 03:30-04:30 UTC on 1 April.
    job(service, local(2026, 3, 31, 22, 30), answer=S.CONFIRMED, finish=S.COMPLETED)
    # 23:30 on 24 March is the last minute of the 7 days before.
    job(service, local(2026, 3, 24, 22, 30), answer=S.CONFIRMED, finish=S.COMPLETED)
    # 00:00-01:00 on 25 March: the first day of the period.
    job(service, local(2026, 3, 25, 0, 0), answer=S.CONFIRMED, finish=S.COMPLETED)
    _roll_up(service, time_machine)

    figures = selectors.insights_for(service.provider, "7d", now=LAST_DAY_EVENING)

    assert (figures.period.first, figures.period.last) == (
        local(2026, 3, 25).date(),
        local(2026, 3, 31).date(),
    )
    assert figures.current.completed == 2
    assert figures.previous.completed == 1
    assert figures.current.earnings == {"USD": Decimal("200.00")}
    assert figures.previous.earnings == {"USD": Decimal("100.00")}


def test_days_are_the_provider_s_local_days(time_machine):
    time_machine.move_to(local(2026, 1, 1, 8), tick=False)
    tokyo = provider_service(time_zone="Asia/Tokyo", base_price=Decimal("50.00"))
    zone = tokyo.provider.schedule.zone
    # Completed 08:30 on 26 March in Tokyo, which is 23:30 on 25 March in UTC: the first
    # day of a week ending 1 April in Tokyo, though the day before it in UTC.
    job(tokyo, local(2026, 3, 26, 7, 30, zone=zone), answer=S.CONFIRMED, finish=S.COMPLETED)
    evening = local(2026, 4, 1, 23, 0, zone=zone)
    time_machine.move_to(evening, tick=False)
    services.roll_up_history(provider=tokyo.provider)

    figures = selectors.insights_for(tokyo.provider, "7d", now=evening)

    assert figures.period.first == local(2026, 3, 26).date()
    assert (figures.current.completed, figures.previous.completed) == (1, 0)


@pytest.mark.parametrize(
    ("period", "current", "previous"),
    # The periods end on 31 March: 7d from 25 March (the 7 before from 18 March), 30d from
    # 2 March (before: 31 January), 90d and 365d hold all four (nothing before).
    [("7d", 1, 1), ("30d", 2, 1), ("90d", 4, 0), ("365d", 4, 0)],
)
def test_each_period_beside_the_one_before(service, time_machine, period, current, previous):
    for day in (
        local(2026, 3, 30, 10),
        local(2026, 3, 20, 10),
        local(2026, 2, 15, 10),
        local(2026, 1, 5, 10),
    ):
        job(service, day, answer=S.CONFIRMED, finish=S.COMPLETED)
    _roll_up(service, time_machine)

    figures = selectors.insights_for(service.provider, period, now=LAST_DAY_EVENING)

    assert (figures.current.completed, figures.previous.completed) == (current, previous)


def test_requests_answers_and_cancellations_hand_counted(service, time_machine):
    first = local(2026, 3, 26, 10)
    job(service, first, answer=S.CONFIRMED, answered_after=timedelta(minutes=10))
    job(service, first + timedelta(hours=2), answer=S.CONFIRMED, answered_after=timedelta(hours=2))
    job(service, first + timedelta(hours=4), answer=S.REJECTED, answered_after=timedelta(hours=1))
    job(service, first + timedelta(hours=6), finish=S.CANCELLED)
    _roll_up(service, time_machine)

    figures = selectors.insights_for(service.provider, "7d", now=LAST_DAY_EVENING).current

    assert figures.requests == 4
    assert (figures.accepted, figures.declined) == (2, 1)
    assert figures.acceptance_rate == pytest.approx(2 / 3)
    assert figures.median_answer_seconds == 3600  # 10 min, 1 h, 2 h
    assert (figures.cancelled_by_customer, figures.cancelled_by_provider) == (1, 0)


def test_repeat_customers_are_those_back_for_another_job(service, time_machine):
    from accounts.tests.factories import CustomerFactory

    loyal, once = CustomerFactory(), CustomerFactory()
    job(service, local(2026, 2, 10, 10), answer=S.CONFIRMED, finish=S.COMPLETED, customer=loyal)
    job(service, local(2026, 3, 28, 10), answer=S.CONFIRMED, finish=S.COMPLETED, customer=loyal)
    job(service, local(2026, 3, 29, 10), answer=S.CONFIRMED, finish=S.COMPLETED, customer=once)
    _roll_up(service, time_machine)

    figures = selectors.insights_for(service.provider, "7d", now=LAST_DAY_EVENING)

    assert figures.current.repeat_customers == 1


def test_the_funnel_goes_from_views_to_completed_jobs_per_service(service, time_machine):
    other = provider_service(provider=service.provider, title="Windows")
    job(service, local(2026, 3, 27, 10), answer=S.CONFIRMED, finish=S.COMPLETED)
    job(service, local(2026, 3, 27, 14), answer=S.CONFIRMED)
    job(other, local(2026, 3, 28, 10))
    ServiceDay.objects.update_or_create(
        service=service, day=local(2026, 3, 27).date(), defaults={"provider": service.provider}
    )
    ServiceDay.objects.filter(service=service).update(views=40)
    _roll_up(service, time_machine)

    funnel = selectors.insights_for(service.provider, "7d", now=LAST_DAY_EVENING).funnel

    assert [
        (row.title, row.views, row.requests, row.confirmed, row.completed) for row in funnel
    ] == [
        ("Deep clean", 40, 2, 2, 1),
        ("Windows", 0, 1, 0, 0),
    ]


def test_the_periodic_rollup_equals_a_recount(service, time_machine):
    from booking.models import BookingStatusHistory

    job(service, local(2026, 3, 30, 10), answer=S.CONFIRMED, finish=S.COMPLETED)
    job(service, local(2026, 3, 30, 14), answer=S.REJECTED)
    job(service, local(2026, 3, 31, 9), finish=S.CANCELLED)
    # The job runs every few minutes: a run shortly after each change, in time order.
    moments = sorted(BookingStatusHistory.objects.values_list("changed_at", flat=True))
    for moment in moments:
        time_machine.move_to(moment + timedelta(minutes=7), tick=False)
        services.roll_up_recent()

    assert ServiceDay.objects.filter(provider=service.provider).exists()
    assert selectors.rollup_drift().drifts == []
    call_command("recompute_insights")  # no drift: no error


def test_the_command_reports_drift_and_fixes_it(service, time_machine, capsys):
    job(service, local(2026, 3, 30, 10), answer=S.CONFIRMED, finish=S.COMPLETED)
    _roll_up(service, time_machine)
    ServiceDay.objects.filter(provider=service.provider, completed=1).update(completed=5)

    with pytest.raises(CommandError, match="1 row"):
        call_command("recompute_insights")
    assert "'completed': 5" in capsys.readouterr().out
    call_command("recompute_insights", "--fix")

    assert selectors.rollup_drift().drifts == []


def test_a_rollup_keeps_the_views_flushed(service, time_machine):
    day = local(2026, 3, 30).date()
    ServiceDay.objects.create(provider=service.provider, service=service, day=day, views=7)
    job(service, local(2026, 3, 30, 10))

    _roll_up(service, time_machine)

    assert ServiceDay.objects.get(service=service, day=day).views == 7
    assert ServiceDay.objects.get(service=service, day=local(2026, 3, 29).date()).requests == 1
