"""`make run` on a machine with nothing configured: SQLite, local cache, demo data, Huey beside
it, and a quiet first start."""

import contextlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from email import message_from_string, policy
from pathlib import Path

import pytest

from demo.seed import DEMO_LOGINS, DEMO_PASSWORD

REPO = Path(__file__).resolve().parents[1]
STARTUP_DEADLINE_SECONDS = 120
# An email that was not sent at once is owed for a minute before the sweeper, which runs
# each minute, enqueues it again: two minutes and a margin.
EMAILS_DEADLINE_SECONDS = 150


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


def copy_of_the_checkout(destination: Path) -> Path:
    """The checkout's files as they are in the working tree now (tracked and untracked, not
    ignored: no .venv, var/ or node_modules/), so `make run` there syncs a .venv of its own
    and cannot add or remove packages under the suite that is running."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree, not yet in a commit
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    return destination


def clean_environment(**embedded_default):
    """What a fresh shell on a machine with nothing configured has: no DATABASE_URL or
    REDIS_URL, and none of the MAKEFLAGS/MAKELEVEL/MFLAGS of a `make test VAR=...` around
    the suite (the inner make would take its variables)."""
    # PYTHONUNBUFFERED: a terminal sees each line when it is printed; written to the log
    # file, the development server's banner would sit in a buffer.
    env = {"PATH": os.environ["PATH"], "HOME": os.environ["HOME"], "PYTHONUNBUFFERED": "1"}
    if "UV_CACHE_DIR" in os.environ:  # the wheels uv already has
        env["UV_CACHE_DIR"] = os.environ["UV_CACHE_DIR"]
    return env | embedded_default


class StartedSite:
    """`make run` in a copy of the checkout on an empty data directory, started once for
    this module's tests."""

    def __init__(self, root: Path):
        self.port = free_port()
        self.checkout = copy_of_the_checkout(root / "checkout")
        self.data_dir = root / "data"
        self.log_path = root / "run.log"
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            ["make", "run"],
            cwd=self.checkout,
            env=clean_environment(DATA_DIR=str(self.data_dir), PORT=str(self.port)),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_started(self):
        self.health = wait_for(f"{self.url}/healthz", self.process)
        # What was printed until the server first answered.
        self.output_at_start = self.log_path.read_text()

    def get(self, path):
        return wait_for(f"{self.url}{path}", self.process)

    def stop(self):
        # make, the consumer and the server; none left if `make run` failed and took them all
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()
        shutil.rmtree(self.checkout)  # its .venv is hard links into the uv cache


@pytest.fixture(scope="module")
def started_site(tmp_path_factory):
    site = StartedSite(tmp_path_factory.mktemp("make-run"))
    try:
        site.wait_until_started()
        yield site
    finally:
        site.stop()
    # Anything that went wrong while serving the tests' requests or stopping counts too.
    output = site.log_path.read_text()
    if "Traceback" in output:
        pytest.fail(f"a traceback in the output of `make run`:\n{output}")


def test_make_run_serves_the_demo_marketplace_from_an_empty_data_directory(started_site):
    tmp_path = started_site.data_dir.parent
    status, health = started_site.health
    _, home = started_site.get("/")
    _, typo_search = started_site.get("/search/?q=plumbr")
    _, everywhere = started_site.get("/search/")
    _, in_austin = started_site.get("/search/?city=austin-tx")
    output = started_site.log_path.read_text()

    assert status == 200, health
    assert "Plumbing" in home
    # SQLite has no full-text search: the fallback still matches and corrects typos.
    assert "Showing results for <strong>“plumbing”</strong>" in typo_search
    assert "0 services" not in typo_search
    # A city filter reads the services' city list, JSON text on SQLite.
    found = [
        int(re.search(r"(\d+) services?\b", page).group(1)) for page in (everywhere, in_austin)
    ]
    assert 0 < found[1] < found[0], found
    assert (tmp_path / "data" / "db.sqlite3").exists()
    assert "Huey consumer started" in output
    assert "Periodic tasks are enabled" in output
    assert "customer@example.com" in output and "superadmin@example.com" in output


MAX_LINES = 60  # a few dozen lines; it was about 1,800 (every migration, every email in full)


def test_make_run_starts_quietly_and_ends_with_the_addresses_outbox_and_logins(started_site):
    """A fresh clone's first start is a screenful that ends with what to open and how to log
    in, no tracebacks, and the demo's emails in an outbox instead of the terminal."""
    status, health = started_site.health
    output = started_site.output_at_start
    port, data_dir = started_site.port, started_site.data_dir

    assert status == 200, health
    lines = output.splitlines()
    assert len(lines) < MAX_LINES, output
    assert "Traceback" not in output, output
    assert "database is locked" not in output, output
    assert "models.W040" not in output, output  # expected on SQLite, silenced there
    assert "Applying " not in output, output  # migrations run quietly
    assert "Content-Type:" not in output, output  # emails are not printed

    # The last lines before the development server's own banner: what to open, where the
    # emails are, who to log in as.
    banner = next(i for i, line in enumerate(lines) if "Performing system checks" in line)
    last_lines = "\n".join(lines[max(0, banner - 12) : banner])
    site = f"http://127.0.0.1:{port}/"
    assert f"Site: {site}" in last_lines, output
    assert f"Admin: {site}admin/" in last_lines and f"API docs: {site}api/docs/" in last_lines
    assert f"Emails: {data_dir / 'emails'}/" in last_lines, output
    assert DEMO_PASSWORD in last_lines, output
    for login, *_ in DEMO_LOGINS:
        assert login in last_lines, output

    # The emails seeding sent landed as files in the outbox, whole.
    outbox = sorted((data_dir / "emails").glob("*.log"))
    assert outbox, "no email files in DATA_DIR/emails"
    messages = [
        message_from_string(part, policy=policy.default)
        for path in outbox
        for part in path.read_text().split("-" * 79 + "\n")  # the backend's separator
        if part.strip()
    ]
    # (strip: a subject folded before its first encoded word is read back with a space)
    assert all(message["Subject"].strip().startswith("[Marketplace] ") for message in messages)
    recipients = {message["To"] for message in messages}
    assert {"customer@example.com", "provider@example.com"} <= recipients, recipients


def email_statuses(data_dir: Path) -> dict[str, int]:
    """How many of the site's notifications have each email status, read from its SQLite file."""
    with contextlib.closing(sqlite3.connect(data_dir / "db.sqlite3", timeout=5)) as db:
        rows = db.execute(
            "SELECT email_status, COUNT(*) FROM notifications_notification GROUP BY email_status"
        )
        return dict(rows.fetchall())


def test_every_demo_notification_is_emailed_after_the_first_start(started_site):
    """Seeding and the consumer write the same SQLite file; none of the demo's emails is left
    owed (it was: two worker threads hit "database is locked" and nothing sent them again)."""
    deadline = time.monotonic() + EMAILS_DEADLINE_SECONDS
    statuses = email_statuses(started_site.data_dir)
    while set(statuses) - {"SENT"} and time.monotonic() < deadline:
        time.sleep(1)  # polling the running site's database, not waiting a fixed time
        statuses = email_statuses(started_site.data_dir)

    assert statuses.get("SENT", 0) > 0, statuses
    assert set(statuses) == {"SENT"}, statuses
