"""Models and migrations cannot drift: a model change without its migration fails the suite."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db  # makemigrations checks the applied history too


def test_every_model_change_has_its_migration():
    out = StringIO()

    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit:  # --check exits 1 when a migration is missing
        pytest.fail(f"makemigrations would write (exit {exit.code}):\n{out.getvalue()}")

    assert "No changes detected" in out.getvalue()
