"""`make run` (scripts/run-dev) gives the site the address it serves as SITE_URL, so links
in demo emails point at the right port."""

import subprocess
from pathlib import Path

import pytest

RUN_DEV = Path(__file__).resolve().parents[2] / "scripts" / "run-dev"


def site_url(**env) -> str:
    """SITE_URL as run-dev sets it, from its own address and export lines."""
    lines = [
        line
        for line in RUN_DEV.read_text().splitlines()
        if line.startswith(("address=", "export SITE_URL="))
    ]
    assert len(lines) == 2, lines
    script = "\n".join([*lines, 'printf %s "$SITE_URL"'])
    result = subprocess.run(
        ["bash", "-c", script], env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"HOST": "0.0.0.0", "PORT": "9000"}, "http://127.0.0.1:9000"),
        ({"PORT": "8123", "SITE_URL": "https://demo.example.com"}, "https://demo.example.com"),
    ],
)
def test_site_url_follows_the_served_port_unless_given(env, expected):
    assert site_url(**env) == expected
