"""`make bench`'s rows for the live stream (#22, docs/live.md): one uvicorn process as
production runs it (compose's `live` service), fed by the benchmark's Redis.

- **idle streams**: CONNECTIONS (1,000) Server-Sent Events connections opened and held by the
  one process; its memory (RSS and PSS, from /proc) before and after, per connection.
- **delivery**: a provider's page holds a stream while the bench customer POSTs messages to
  the conversation through the API on gunicorn (the web server); each message is timed
  from the POST's start to its event read on the provider's stream (MESSAGES of them, one
  after the other, while the idle streams stay open). Target p95 < 200 ms on loopback.
"""

import asyncio
import http.client
import json
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from accounts.models import ServiceProviderProfile, User
from messaging.models import Conversation

from .server import _memory_mb, session_cookie

CONNECTIONS = 1000
MESSAGES = 200
PORT = 8766
DELIVERY_P95_TARGET_MS = 200


@dataclass
class LiveFigures:
    connections: int
    rss_before_mb: float
    rss_after_mb: float
    pss_before_mb: float
    pss_after_mb: float
    kb_per_connection: float
    messages: int
    delivery_p50_ms: float
    delivery_p95_ms: float
    delivery_max_ms: float

    def as_dict(self):
        return asdict(self)

    def describe(self) -> str:
        return (
            f"Live stream (one uvicorn process): {self.connections:,} idle streams held, RSS "
            f"{self.rss_before_mb:.0f} -> {self.rss_after_mb:.0f} MB (PSS {self.pss_before_mb:.0f}"
            f" -> {self.pss_after_mb:.0f} MB), {self.kb_per_connection:.1f} KB per connection; "
            f"delivery from a message POST to its event on another client's stream, "
            f"{self.messages} messages: p50 {self.delivery_p50_ms:.1f} ms, p95 "
            f"{self.delivery_p95_ms:.1f} ms, max {self.delivery_max_ms:.1f} ms"
        )

    def check(self) -> dict:
        return {
            "target": f"live delivery p95 < {DELIVERY_P95_TARGET_MS} ms",
            "measured": f"{self.delivery_p95_ms:.1f} ms",
            "met": self.delivery_p95_ms < DELIVERY_P95_TARGET_MS,
        }


class Uvicorn:
    def __init__(self, *, environment: dict, port: int, log_path: Path):
        self.environment = environment
        self.port = port
        self.log_path = log_path
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30):
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "marketplace.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
                "--backlog",
                "4096",
            ],
            cwd=settings.BASE_DIR,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited:\n{self.log_path.read_text()[-2000:]}")
            try:
                request = urllib.request.Request(
                    f"{self.url}/livez", headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(request, timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("uvicorn did not answer /livez") from None
                time.sleep(0.1)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


async def _open_stream(port, cookie):
    """One EventSource: the request, then read up to the first heartbeat."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            "GET /live/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
            f"X-Forwarded-Proto: https\r\nCookie: {cookie}\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"the stream answered {head[:60]!r}")
    await reader.readuntil(b"event: ping")
    return reader, writer


async def _next_message_event(reader, wanted_id: int):
    while True:
        chunk = await reader.readuntil(b"\n\n")
        if b"event: message" in chunk and f'"message":{wanted_id}'.encode() in chunk:
            return


def _post_message(web_url, token, conversation_id, body) -> int:
    parts = urlsplit(web_url)
    client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        client.request(
            "POST",
            f"/api/conversations/{conversation_id}/messages/",
            body=json.dumps({"body": body}),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {token}",
                "X-Forwarded-Proto": "https",
            },
        )
        answer = client.getresponse()
        payload = answer.read()
        if answer.status != 201:
            raise RuntimeError(f"sending a message answered {answer.status}: {payload[:200]!r}")
        return json.loads(payload)["id"]
    finally:
        client.close()


async def _measure(
    server, *, web_url, cookie, idle_cookie, token, conversation_id, connections, messages
):
    pid = server.process.pid
    warm = await _open_stream(server.port, cookie)  # the hub subscribed, code paths loaded
    before = _memory_mb(pid)
    idle = []
    for start in range(0, connections, 100):
        idle += await asyncio.gather(
            *(_open_stream(server.port, idle_cookie) for _ in range(min(100, connections - start)))
        )
    await asyncio.sleep(1)
    after = _memory_mb(pid)
    reader, _writer = warm
    loop = asyncio.get_running_loop()
    timings = []
    for number in range(messages):
        started = time.perf_counter()
        message_id = await loop.run_in_executor(
            None, _post_message, web_url, token, conversation_id, f"Bench message {number}"
        )
        await asyncio.wait_for(_next_message_event(reader, message_id), timeout=10)
        timings.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.02)
    for _reader, writer in [warm, *idle]:
        writer.close()
    timings.sort()
    return LiveFigures(
        connections=connections,
        rss_before_mb=before["rss_mb"],
        rss_after_mb=after["rss_mb"],
        pss_before_mb=before["pss_mb"],
        pss_after_mb=after["pss_mb"],
        kb_per_connection=(after["rss_mb"] - before["rss_mb"]) * 1024 / connections,
        messages=messages,
        delivery_p50_ms=statistics.median(timings),
        delivery_p95_ms=timings[int(len(timings) * 0.95) - 1],
        delivery_max_ms=timings[-1],
    )


def measure_live(
    *,
    environment,
    web_url,
    customer: User,
    token: str,
    provider_email: str,
    idle_email: str,
    password: str,
    work: Path,
    connections=CONNECTIONS,
    messages=MESSAGES,
    port=PORT,
) -> LiveFigures:
    """The two live rows, against a uvicorn started (and stopped) here."""
    provider = ServiceProviderProfile.objects.select_related("user").get(user__email=provider_email)
    conversation, _ = Conversation.objects.get_or_create(customer=customer, provider=provider)
    server = Uvicorn(
        environment={**environment, "LIVE_HEARTBEAT_SECONDS": "15"},
        port=port,
        log_path=work / "uvicorn.log",
    )
    server.start()
    try:
        return asyncio.run(
            _measure(
                server,
                web_url=web_url,
                cookie=session_cookie(web_url, provider_email, password),
                idle_cookie=session_cookie(web_url, idle_email, password),
                token=token,
                conversation_id=conversation.pk,
                connections=connections,
                messages=messages,
            )
        )
    finally:
        server.stop()
