"""Live events for signed-in people's open pages: published after commit, read by the stream.

`publish(user_ids=..., kind=..., data=...)` may be called from any app (it imports none): a
new notification, a message, a quote's change. After the current transaction commits, each
user's event is appended to their capped Redis stream (so a reconnecting page catches up
from its `Last-Event-ID`) and announced on their pub/sub channel, both in one Lua call. The
stream itself (an async view under uvicorn) lives in `live/`; see docs/live.md.

Best effort by design: without Redis (the embedded default) or with Redis down nothing is
published and nothing is raised; pages then poll (every 20 s) or reload, and every event
stands for a row that is already committed, so nothing is lost but the push.
"""

import json
import logging
from functools import partial

import redis
from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger(__name__)

# KEYS: the user's stream, their channel. ARGV: the stream's length cap, the event as JSON,
# the stream's lifetime in ms. The stream entry's id is the event's id on the wire.
_PUBLISH = """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', KEYS[2], id .. ' ' .. ARGV[2])
return id
"""
_clients: dict[str, redis.Redis] = {}


def enabled() -> bool:
    """Whether pages connect to the stream: on with Redis, unless LIVE_EVENTS is false."""
    return bool(getattr(settings, "LIVE_EVENTS", False) and settings.REDIS_URL)


def key_prefix() -> str:
    """Every live key starts with this: LIVE_KEY_PREFIX, else one per database, so several
    sites (or the suite's parallel workers, each on its own test database) sharing one
    Redis never see each other's events."""
    configured = getattr(settings, "LIVE_KEY_PREFIX", "")
    return configured or f"live:{connections['default'].settings_dict['NAME']}:"


def stream_key(user_id) -> str:
    return f"{key_prefix()}stream:{user_id}"


def channel(user_id) -> str:
    return f"{key_prefix()}user:{user_id}"


def client() -> redis.Redis:
    url = settings.REDIS_URL
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5, decode_responses=True
        )
    return _clients[url]


def publish(*, user_ids, kind: str, data: dict | None = None) -> None:
    """Send `kind` (with `data`) to each user's open pages once the transaction commits."""
    user_ids = sorted({int(user_id) for user_id in user_ids})
    if not user_ids or not enabled():
        return
    transaction.on_commit(partial(publish_now, user_ids=user_ids, kind=kind, data=data or {}))


def publish_now(*, user_ids, kind: str, data: dict) -> list[str]:
    """Publish at once (outside a transaction); returns the events' ids, [] if Redis refused."""
    event = json.dumps({"kind": kind, **data}, separators=(",", ":"))
    maxlen = str(getattr(settings, "LIVE_STREAM_MAXLEN", 100))
    ttl_ms = str(getattr(settings, "LIVE_STREAM_TTL_SECONDS", 86400) * 1000)
    ids = []
    try:
        script = client().register_script(_PUBLISH)
        for user_id in user_ids:
            ids.append(
                script(keys=[stream_key(user_id), channel(user_id)], args=[maxlen, event, ttl_ms])
            )
    except redis.RedisError as exc:
        logger.warning("live: %s event not published: %s: %s", kind, type(exc).__name__, exc)
    return ids
