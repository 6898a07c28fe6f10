"""Idempotent writes: a request sent again with the same `Idempotency-Key` gets the first
answer instead of being done twice.

A phone on a bad connection sends a booking, never hears back, and sends it again: with the
same `Idempotency-Key` header it gets the answer the first request got (the same 201 and
body), and only one booking exists. The promise holds for IDEMPOTENCY_HOURS (24) per user
and operation; a key sent again with a different body is a 422, since the client has a bug
(one key, two requests). Without the header nothing changes.

The record lives in the database (core.models.IdempotencyRecord) and is written inside the
operation's own transaction, by the service, in two statements:

- `claim()`, first thing once the transaction has taken its lock: INSERT ... ON CONFLICT DO
  NOTHING. A second request with the key waits on the first one's uncommitted row, then
  finds it committed and answers from it (`Replayed`), so two requests at once make one
  booking. A refusal rolls the claim back with everything else: the key stays unused and
  a retry runs afresh.
- `complete(result)`, after the write: the answer, rendered by the operation, saved on the
  row before the transaction commits.

The operation then answers `response()`, the stored body, so the first answer and every
replay are the same bytes.
"""

import hashlib
import json
from datetime import timedelta

from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from core.errors import DomainError, Refused
from core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
IDEMPOTENCY_HOURS = 24
MAX_KEY_LENGTH = IdempotencyRecord._meta.get_field("key").max_length


class KeyReused(DomainError):
    """The key was used, within its 24 hours, for a request with another body."""

    status = 422


class Replayed(Exception):
    """The key's first answer, found while claiming it: answer this instead."""

    def __init__(self, status_code: int, body):
        super().__init__(status_code)
        self.status_code = status_code
        self.body = body


def key_of(request) -> str | None:
    """The request's Idempotency-Key (None without one); a 400 for one that cannot be a key."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 0 < len(key) <= MAX_KEY_LENGTH or not all(" " < char <= "~" for char in key):
        raise Refused(
            f"{HEADER} must be 1 to {MAX_KEY_LENGTH} visible ASCII characters "
            "(a UUID is a good one).",
            field=HEADER,
        )
    return key


def body_hash(data) -> str:
    """The same hash for the same JSON, however it was spaced or ordered."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), cls=NinjaJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


_CLAIM_SQL = (
    f"INSERT INTO {IdempotencyRecord._meta.db_table} "
    "(scope, user_id, key, request_hash, response_body, created_at) "
    "VALUES (%s, %s, %s, %s, '', %s) "
    "ON CONFLICT (scope, user_id, key) DO NOTHING RETURNING id"
)


class IdempotentRequest:
    """One request's claim on its key; see the module docstring for the protocol.

    `render(result)` turns what the operation wrote into the JSON body of its answer
    (called inside the transaction, from rows in hand: no query).
    """

    def __init__(self, *, scope: str, user_id: int, key: str, data, render, status_code=201):
        self.scope = scope
        self.user_id = user_id
        self.key = key
        self.request_hash = body_hash(data)
        self.render = render
        self.status_code = status_code
        self.record_id = None
        self.body = None

    def claim(self) -> None:
        """Take the key (one statement), or raise Replayed with its first answer, or
        KeyReused when that answer was for another body. Call inside the transaction."""
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(_CLAIM_SQL, [self.scope, self.user_id, self.key, self.request_hash, now])
            row = cursor.fetchone()
        if row is not None:
            self.record_id = row[0]
            return
        record = IdempotencyRecord.objects.select_for_update().get(
            scope=self.scope, user_id=self.user_id, key=self.key
        )
        if record.created_at <= now - timedelta(hours=IDEMPOTENCY_HOURS) or (
            record.status_code is None
        ):
            # Past its 24 hours (or, impossibly, never answered): the key is free again.
            record.request_hash, record.created_at = self.request_hash, now
            record.status_code, record.response_body = None, ""
            record.save()
            self.record_id = record.pk
            return
        if record.request_hash != self.request_hash:
            raise KeyReused(
                f"This {HEADER} was already used for a different request in the last "
                f"{IDEMPOTENCY_HOURS} hours. Use a new key for a new request.",
            )
        raise Replayed(record.status_code, record.response_body)

    def complete(self, result) -> None:
        """Store the answer for `result` on the claimed row (one statement)."""
        self.body = json.dumps(self.render(result), cls=NinjaJSONEncoder)
        IdempotencyRecord.objects.filter(pk=self.record_id).update(
            status_code=self.status_code, response_body=self.body
        )

    def response(self) -> HttpResponse:
        return answer(self.status_code, self.body, replayed=False)


def answer(status_code: int, body: str, *, replayed: bool) -> HttpResponse:
    """The stored answer, byte for byte, saying whether it is a replay."""
    response = HttpResponse(body, status=status_code, content_type="application/json")
    response[REPLAYED_HEADER] = "true" if replayed else "false"
    return response


def purge_expired(*, now=None) -> int:
    """Delete the records past their 24 hours; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(hours=IDEMPOTENCY_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lte=cutoff).delete()
    return deleted
