"""Read/write splitting over PostgreSQL streaming replicas.

The primary ("default") is the rule; a replica is the exception, taken only when a read
cannot be hurt by replication lag:

- only inside a request that `reading_from_replicas()` opened (the middleware does so for
  GET and HEAD when the session has not written lately), so background tasks, management
  commands and every unsafe request read from the primary;
- never inside a transaction (`atomic`): services that write, and the slot re-checks under
  the schedule lock, read exactly what they lock and write;
- never inside `primary()`, for a read that must be exact outside a transaction;
- only a replica that answered this request's probe (one query, at its first read) and
  lags at most DATABASE_REPLICA_MAX_LAG_SECONDS; one that is down is not tried again for
  DATABASE_REPLICA_RETRY_SECONDS, so an outage costs at most one connect timeout per
  process per retry period, and reads go to the primary meanwhile.
"""

import contextvars
import logging
import random
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

# What a replica says about itself: 0 when it has replayed all it received (or is not in
# recovery at all), else the seconds since the last transaction it replayed; -1 unknown.
LAG_QUERY = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT NULL
         AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(
        EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8, -1
    )
END
"""

OK, LAGGING, DOWN = "ok", "lagging", "down"


@dataclass
class ReplicaState:
    state: str
    lag_seconds: float | None
    checked_at: float  # time.monotonic()

    def as_dict(self):
        return {"state": self.state, "lag_seconds": self.lag_seconds}


# Per process: the last probe of each replica (guarded, gunicorn threads share it).
_states: dict[str, ReplicaState] = {}
_states_lock = threading.Lock()


def replica_aliases():
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def probe(alias):
    """Ask one replica how far behind it is, now; remember and return its state."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_QUERY)
            (lag,) = cursor.fetchone()
    except DatabaseError as exc:
        connections[alias].close()
        with _states_lock:
            was_down = alias in _states and _states[alias].state == DOWN
        if not was_down:
            logger.warning(
                "Read replica %s is unreachable, reading from the primary: %s", alias, exc
            )
        state = ReplicaState(DOWN, None, time.monotonic())
    else:
        lag = None if lag < 0 else round(lag, 3)
        within = lag is not None and lag <= settings.DATABASE_REPLICA_MAX_LAG_SECONDS
        state = ReplicaState(OK if within else LAGGING, lag, time.monotonic())
    with _states_lock:
        _states[alias] = state
    return state


def replica_states():
    """Every replica's state, each probed now (for /healthz)."""
    return {alias: probe(alias).as_dict() for alias in replica_aliases()}


def _usable_replica():
    """A replica to read from for this request, or the primary when none qualifies."""
    aliases = replica_aliases()
    random.shuffle(aliases)  # spread requests over the replicas
    now = time.monotonic()
    for alias in aliases:
        with _states_lock:
            last = _states.get(alias)
        if (
            last is not None
            and last.state == DOWN
            and now - last.checked_at < settings.DATABASE_REPLICA_RETRY_SECONDS
        ):
            continue
        if probe(alias).state == OK:
            return alias
    return DEFAULT_DB_ALIAS


class _ReplicaReads:
    """One request's permission to read from a replica, and the replica it settled on."""

    def __init__(self):
        self.alias = None
        self.wrote = False

    def read_alias(self):
        if self.alias is None:
            self.alias = _usable_replica()
        return self.alias


_reads = contextvars.ContextVar("replica_reads", default=None)


@contextmanager
def reading_from_replicas():
    """Within this block, reads outside transactions may go to a replica. Yields the
    block's state: `.wrote` is true once anything was written through the ORM."""
    token = _reads.set(_ReplicaReads())
    try:
        yield _reads.get()
    finally:
        _reads.reset(token)


@contextmanager
def primary():
    """Within this block every read goes to the primary, even in a GET."""
    token = _reads.set(None)
    try:
        yield
    finally:
        _reads.reset(token)


class ReplicaRouter:
    """DATABASE_ROUTERS entry when DATABASE_REPLICA_URLS is set (marketplace/settings.py)."""

    def db_for_read(self, model, **hints):
        reads = _reads.get()
        if reads is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return reads.read_alias()

    def db_for_write(self, model, **hints):
        reads = _reads.get()
        if reads is not None:
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # A row read on a replica is the same row as on the primary.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS
