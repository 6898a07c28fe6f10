"""`make run` on a fresh clone is quiet: a screenful of output that ends with what to open
and how to log in, no tracebacks, and the demo's emails in an outbox instead of the terminal."""

import os
import signal
import subprocess
from email import message_from_string, policy

from demo.seed import DEMO_LOGINS, DEMO_PASSWORD
from tests.test_embedded_default import REPO, free_port, wait_for

MAX_LINES = 60  # a few dozen lines; it was about 1,800 (every migration, every email in full)


def test_make_run_starts_quietly_and_ends_with_the_addresses_outbox_and_logins(tmp_path):
    port = free_port()
    configured = {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "EMAIL_HOST"}
    env = {
        k: v for k, v in os.environ.items() if k not in configured and not k.startswith("PYTEST")
    }
    data_dir = tmp_path / "data"
    env |= {"DATA_DIR": str(data_dir), "PORT": str(port)}
    log_path = tmp_path / "run.log"
    log = log_path.open("w")
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
        output = log_path.read_text()  # what was printed until the server answered
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()

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
