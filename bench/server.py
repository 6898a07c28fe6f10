"""gunicorn with production settings on loopback, as `make bench` measures it."""

import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings


def production_environment(*, client_email: str, database_url: str, redis_url: str) -> dict:
    """Every variable production requires, made up for a throwaway loopback server.

    DEBUG=false is the production settings module path: secure cookies, HSTS, the HTTPS
    redirect, WhiteNoise's manifest storage, JSON request logs. wrk sends
    X-Forwarded-Proto: https as a TLS-terminating proxy would, so the redirect stays on and
    every request takes the path it takes behind the real proxy.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        # Nothing is mailed during the run: emails are Huey tasks and no consumer runs.
        "EMAIL_HOST": "127.0.0.1",
        "DEFAULT_FROM_EMAIL": "Marketplace bench <bench@bench.example.com>",
        "JWT_PRIVATE_KEY": pem,
        "BENCH_BASELINE": "true",
        "API_RATE_LIMIT_EXEMPT_EMAILS": client_email,
        "PYTHONUNBUFFERED": "1",
    }


class Gunicorn:
    def __init__(self, *, environment: dict, port: int, workers: int, log_path: Path):
        self.environment = environment
        self.port = port
        self.workers = workers
        self.log_path = log_path
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def collect_static(self):
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=self.environment,
            check=True,
        )

    def start(self, timeout: float = 30):
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "marketplace.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--worker-class=sync",
            ],
            cwd=settings.BASE_DIR,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:
                    if answer.status == 200 and len(self.worker_pids()) == self.workers:
                        return
            except OSError:  # not listening yet, or still starting (URLError, timeouts)
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout:g} s")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_memory(self) -> list[dict]:
        """Each worker's resident (RSS) and proportional (PSS: shared pages split) memory."""
        return [{"pid": pid, **_memory_mb(pid)} for pid in self.worker_pids()]

    def worker_cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far.

        Per request, it hardly moves when other processes share the machine, unlike
        requests/s: the figure to compare two runs on a busy machine.
        """
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.worker_pids():
            # Fields after the command name (which may hold spaces): utime, stime are 14, 15.
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])
        return total / ticks

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _memory_mb(pid: int) -> dict:
    figures = {}
    for name, key in (("status", "VmRSS:"), ("smaps_rollup", "Pss:")):
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(key):
                figures["rss_mb" if key == "VmRSS:" else "pss_mb"] = round(
                    int(line.split()[1]) / 1024, 1
                )
                break
    return figures


def session_cookie(url: str, email: str, password: str) -> str:
    """Sign in through the login form as a browser behind the TLS proxy would, and return
    the Cookie header that carries the session (for the rows of signed-in pages)."""
    parts = urlsplit(url)
    origin = f"https://{parts.netloc}"
    proxy = {"X-Forwarded-Proto": "https"}

    def send(method, path, body=None, headers=None):
        client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            client.request(method, path, body=body, headers={**proxy, **(headers or {})})
            answer = client.getresponse()
            cookies = SimpleCookie()
            for header in answer.headers.get_all("Set-Cookie") or []:
                cookies.load(header)
            return answer, answer.read().decode(), cookies
        finally:
            client.close()

    _answer, page, cookies = send("GET", "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None or "csrftoken" not in cookies:
        raise RuntimeError("The login page carried no CSRF token.")
    csrf = cookies["csrftoken"].value
    answer, _page, cookies = send(
        "POST",
        "/accounts/login/",
        body=urlencode({"login": email, "password": password, "csrfmiddlewaretoken": token[1]}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
        },
    )
    if answer.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"Signing in as {email} answered {answer.status}, with no session.")
    return f"sessionid={cookies['sessionid'].value}; csrftoken={csrf}"
