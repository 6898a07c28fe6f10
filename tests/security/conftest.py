from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import override_settings

from tests.migrated_rows import ensure_admin_group_permissions

from .world import build_world


@contextmanager
def built_once(django_db_blocker, tmp_path_factory, build):
    """What `build()` makes, kept for a whole module inside a transaction rolled back at
    its end; each test still runs in a savepoint of its own (the `db` fixture)."""
    media = tmp_path_factory.mktemp("security-media")
    with (
        override_settings(
            PRIVATE_MEDIA_ROOT=media / "private",
            MEDIA_ROOT=media / "public",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        ensure_admin_group_permissions()  # module fixtures come before the suite's autouse one
        yield build()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The A/B marketplace of world.py."""
    with built_once(django_db_blocker, tmp_path_factory, build_world) as built:
        yield built
