"""The live event stream: Server-Sent Events for the signed-in person's own events only.

An async view, served by uvicorn (production: its own compose service; nginx routes
/live/ to it with buffering off). Each event is a row already committed elsewhere (a
message, a notification, a quote's change); the page reacts by fetching what changed, so
an event carries ids, never content. Reconnecting with `Last-Event-ID` replays what the
user's capped Redis stream still holds after that id. See docs/live.md.
"""

import asyncio
import contextlib
import re

import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import live

from .hub import hub

STREAM_ID = re.compile(r"^\d{1,20}-\d{1,20}$")
# How long one response lasts before the browser is asked to reconnect (it does so at once,
# with its Last-Event-ID): bounds how long a logged-out session's stream stays open.
MAX_SECONDS = 3600


def _frame(event_id: str | None, kind: str, data: str) -> bytes:
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {kind}\ndata: {data}\n\n".encode()


def _kind(data: str) -> str:
    match = re.search(r'"kind":"([a-z][a-z0-9_-]{0,40})"', data)
    return match.group(1) if match else "event"


async def _events(user_id, last_id: str | None):
    current = hub()
    wakeup = current.register(user_id)
    key = live.stream_key(user_id)
    heartbeat = settings.LIVE_HEARTBEAT_SECONDS
    loop = asyncio.get_running_loop()
    closes_at = loop.time() + MAX_SECONDS
    try:
        # The request's database connection (the session and user were read with it) goes
        # back now, not when the stream ends: a thousand open streams must not hold a
        # thousand connections, nor exhaust the pool. Run in the request's own thread,
        # where the middleware left it; nothing below touches the database.
        await sync_to_async(connections.close_all)()
        # The reconnection delay, then a first heartbeat: the page knows events do arrive
        # (a buffering proxy would hold it back, and the page falls back on polling).
        with contextlib.suppress(TimeoutError):
            # Subscribed before anything is read, so nothing published from now is missed.
            await asyncio.wait_for(current.ready.wait(), timeout=2)
        yield b"retry: 3000\n\n" + _frame(None, "ping", "{}")
        if last_id is None:
            # A fresh page has just read everything; only what comes next is news.
            newest = await current.redis.xrevrange(key, count=1)
            last_id = newest[0][0] if newest else "0-0"
        while loop.time() < closes_at:
            wakeup.clear()
            try:
                entries = await current.redis.xrange(key, min=f"({last_id}", max="+", count=100)
            except (aioredis.RedisError, OSError):
                entries = []
            for entry_id, fields in entries:
                last_id = entry_id
                data = fields.get("e", "{}")
                yield _frame(entry_id, _kind(data), data)
            if len(entries) == 100:
                continue
            try:
                await asyncio.wait_for(wakeup.wait(), timeout=heartbeat)
            except TimeoutError:
                yield _frame(None, "ping", "{}")
    finally:
        current.unregister(user_id, wakeup)


@never_cache
@require_GET
async def events(request):
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponse(
            "Log in to receive live updates.", status=401, content_type="text/plain"
        )
    if not live.enabled() or not isinstance(request, ASGIRequest):
        # No Redis, or a WSGI worker (which would hold a thread per stream): 204 tells the
        # browser's EventSource not to reconnect, and the page polls instead.
        return HttpResponse(status=204)
    last_id = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id")
    if last_id is not None and not STREAM_ID.match(last_id):
        last_id = None
    response = StreamingHttpResponse(
        _events(user.pk, last_id), content_type="text/event-stream; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    # nginx: never buffer this answer, whatever the location says.
    response["X-Accel-Buffering"] = "no"
    return response
