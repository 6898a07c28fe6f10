"""Rows core keeps for every app: the answers of idempotent API requests."""

from django.db import models


class IdempotencyRecord(models.Model):
    """The first answer to a request sent with an `Idempotency-Key` (core/api/idempotency.py).

    Kept in the database, in the same transaction as what the request wrote, so a retry
    finds it whatever happened to Redis, and never finds a record of work that was rolled
    back. `user_id` is a plain number, not a foreign key: core knows no app's models.
    """

    scope = models.CharField(max_length=64)  # the operation, e.g. "bookings.create"
    user_id = models.BigIntegerField()
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)  # sha256 of the body, canonical JSON
    status_code = models.PositiveSmallIntegerField(null=True)
    # The answer's JSON text exactly as first sent (jsonb would reorder its keys).
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "user_id", "key"], name="idempotency_key_once_per_user"
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created_idx")]

    def __str__(self):
        return f"{self.scope} {self.user_id} {self.key}"
