"""A real uvicorn process serving the project's ASGI application against the test database,
as production serves the live stream (docs/live.md)."""

import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.infra.processes import free_port, wait_until


class Uvicorn:
    def __init__(self, **environment):
        self.port = free_port()
        self.environment = environment
        # Open for the process's whole life (its stdout), read back on failure.
        self.log = tempfile.NamedTemporaryFile(prefix="uvicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def _answers(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"uvicorn exited:\n{Path(self.log.name).read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{self.url}/livez", timeout=1):
                return True
        except OSError:
            return False

    def start(self):
        database = connection.settings_dict
        environment = {
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
                f"{database['PORT'] or 5432}/{database['NAME']}"
            ),
            "REDIS_URL": settings.REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings",
            "LIVE_HEARTBEAT_SECONDS": "1",
            "DB_POOL": "false",
            **self.environment,
        }
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
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self._answers, timeout=30, what="uvicorn to answer /livez")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        return Path(self.log.name).read_text()
