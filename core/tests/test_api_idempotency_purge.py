"""The daily task that deletes Idempotency-Key records past their 24 hours."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import IdempotencyRecord
from core.tasks import purge_expired_idempotency_records

pytestmark = pytest.mark.django_db


def record(key, age):
    return IdempotencyRecord.objects.create(
        scope="bookings.create",
        user_id=1,
        key=key,
        request_hash="x",
        status_code=201,
        response_body="{}",
        created_at=timezone.now() - age,
    )


def test_the_task_deletes_only_records_past_their_24_hours():
    record("old", timedelta(hours=25))
    kept = record("recent", timedelta(hours=23))

    purge_expired_idempotency_records.call_local()

    assert list(IdempotencyRecord.objects.values_list("pk", flat=True)) == [kept.pk]
