"""Production settings, checked in a fresh interpreter exactly as a deployment loads them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/marketplace",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "marketplace.example.com",
    "EMAIL_HOST": "smtp.example.com",
    "DEFAULT_FROM_EMAIL": "Marketplace <no-reply@marketplace.example.com>",
    "JWT_PRIVATE_KEY": "unused-by-checks",
}


def manage(*args, env):
    # Only what a deployment sets: nothing from the test run (the browser tests set a flag).
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=PRODUCTION_ENV | {"DATA_DIR": str(tmp_path)},
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_required_variable(tmp_path, missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing} | {"DATA_DIR": str(tmp_path)}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert (
        f"Missing required environment variable(s) for production (DEBUG=false): {missing}"
        in result.stderr
    )
