"""manage.py reads a .env beside it (python-dotenv), without overriding the environment."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_manage_beside(dotenv_text, tmp_path, **environment):
    shutil.copy(REPO / "manage.py", tmp_path / "manage.py")
    (tmp_path / ".env").write_text(dotenv_text)
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "TIME_ZONE"}}
    return subprocess.run(
        [
            sys.executable,
            str(tmp_path / "manage.py"),
            "shell",
            "-c",
            "from django.conf import settings; print(settings.SITE_URL, settings.TIME_ZONE)",
        ],
        cwd=tmp_path,
        env=clean | {"PYTHONPATH": str(REPO), "DATA_DIR": str(tmp_path / "var")} | environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_reads_a_dotenv_file_beside_it(tmp_path):
    result = run_manage_beside(
        'SITE_URL=https://from-dotenv.example.com\nTIME_ZONE="Europe/Paris"\n', tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == "https://from-dotenv.example.com Europe/Paris"


def test_the_environment_wins_over_the_dotenv_file(tmp_path):
    result = run_manage_beside(
        "SITE_URL=https://from-dotenv.example.com\n",
        tmp_path,
        SITE_URL="https://from-env.example.com",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2].startswith("https://from-env.example.com ")
