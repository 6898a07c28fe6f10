"""`make run` on a machine with nothing configured: SQLite, local cache, demo data, Huey beside it."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STARTUP_DEADLINE_SECONDS = 120


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process):
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make run exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            time.sleep(0.5)  # polling a server that is still starting, not a fixed wait
    raise AssertionError(f"{url} did not answer within {STARTUP_DEADLINE_SECONDS}s")


def test_make_run_serves_the_demo_marketplace_from_an_empty_data_directory(tmp_path):
    port = free_port()
    configured = {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "EMAIL_HOST"}
    env = {
        k: v for k, v in os.environ.items() if k not in configured and not k.startswith("PYTEST")
    }
    env |= {"DATA_DIR": str(tmp_path / "data"), "PORT": str(port)}
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        ["make", "run"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status, health = wait_for(f"http://127.0.0.1:{port}/healthz", process)
        _, home = wait_for(f"http://127.0.0.1:{port}/", process)
        _, typo_search = wait_for(f"http://127.0.0.1:{port}/search/?q=plumbr", process)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
    output = (tmp_path / "run.log").read_text()

    assert status == 200, health
    assert "Plumbing" in home
    # SQLite has no full-text search: the fallback still matches and corrects typos.
    assert "Showing results for <strong>“plumbing”</strong>" in typo_search
    assert "0 services" not in typo_search
    assert (tmp_path / "data" / "db.sqlite3").exists()
    assert "Huey consumer started" in output
    assert "Periodic tasks are enabled" in output
    assert "customer@example.com" in output and "superadmin@example.com" in output
