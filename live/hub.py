"""One Redis pub/sub connection per ASGI process, shared by every open stream in it.

A stream registers a wake-up (an asyncio.Event) for its user; the hub's one pattern
subscription (`<prefix>user:*`, see core/live.py) sets the wake-ups of that user's streams
in this process, and each stream then reads what is new from the user's capped Redis stream
(so ordering, duplicates and a burst of events need no bookkeeping here: the Redis stream is
the record, the publication only says "look"). A thousand idle streams hold a thousand
small objects and one pub/sub connection.
"""

import asyncio
import contextlib
import logging
from collections import defaultdict

import redis.asyncio as aioredis
from django.conf import settings

from core import live

logger = logging.getLogger(__name__)


class Hub:
    def __init__(self, loop):
        self.loop = loop
        self.wakeups: dict[str, set[asyncio.Event]] = defaultdict(set)
        self.task: asyncio.Task | None = None
        self.ready = asyncio.Event()
        self.prefix = ""
        # Reads of the streams (XRANGE), shared by every stream of the process.
        self.redis = aioredis.Redis.from_url(
            settings.REDIS_URL, decode_responses=True, socket_connect_timeout=2
        )

    def start(self, prefix: str):
        if self.task is None or self.task.done():
            self.prefix = prefix
            self.ready.clear()
            self.task = self.loop.create_task(self._listen())

    def _wake_all(self):
        for wakeups in self.wakeups.values():
            for wakeup in wakeups:
                wakeup.set()

    async def _listen(self):
        pattern = f"{self.prefix}user:*"
        skip = len(self.prefix) + len("user:")
        while True:
            pubsub = self.redis.pubsub()
            try:
                await pubsub.psubscribe(pattern)
                self.ready.set()
                # Anything published while (re)subscribing is read from the streams now.
                self._wake_all()
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    for wakeup in self.wakeups.get(message["channel"][skip:], ()):
                        wakeup.set()
            except (aioredis.RedisError, OSError) as exc:
                logger.warning("live: pub/sub connection lost (%s), reconnecting", exc)
                self.ready.clear()
                await asyncio.sleep(1)
            finally:
                with contextlib.suppress(aioredis.RedisError, OSError):
                    await pubsub.aclose()

    def register(self, user_id) -> asyncio.Event:
        wakeup = asyncio.Event()
        self.wakeups[str(user_id)].add(wakeup)
        return wakeup

    def unregister(self, user_id, wakeup):
        wakeups = self.wakeups.get(str(user_id))
        if wakeups is not None:
            wakeups.discard(wakeup)
            if not wakeups:
                del self.wakeups[str(user_id)]

    @property
    def connections(self) -> int:
        return sum(len(wakeups) for wakeups in self.wakeups.values())


_hubs: dict[int, Hub] = {}


def hub() -> Hub:
    """The running event loop's hub (one per process under uvicorn), started on first use."""
    loop = asyncio.get_running_loop()
    current = _hubs.get(id(loop))
    if current is None or current.loop is not loop:
        current = _hubs[id(loop)] = Hub(loop)
    current.start(live.key_prefix())
    return current
