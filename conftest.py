"""Suite-wide set-up: real PostgreSQL and Redis, or a loud failure."""

import os

import pytest
from django.conf import settings

# The services the suite starts for the tests that ask (a PostgreSQL primary with its
# streaming replica, moto's S3 server, a stand-in Sentry endpoint): tests/infra/.
pytest_plugins = ["tests.infra.fixtures"]


def pytest_configure(config):
    problems = []
    if not settings.IS_POSTGRES:
        problems.append("DATABASE_URL must point at PostgreSQL (run the suite with `make test`)")
    if "django_redis" not in settings.CACHES["default"]["BACKEND"]:
        problems.append("REDIS_URL must point at Redis (run the suite with `make test`)")
    if problems:
        raise pytest.UsageError("; ".join(problems))

    # Parallel workers share one Redis database; a prefix each keeps their keys apart.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{worker}"
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.delete_pattern("*")
    yield


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Argon2 is deliberately slow; one test checks real sign-ups still use it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _migrated_rows(request, django_db_blocker):
    """A database test starts with what the data migrations wrote, even after an earlier
    transactional test's flush (see tests/migrated_rows.py)."""
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not uses_database:
        return
    from tests.migrated_rows import ensure_admin_group_permissions, ensure_default_pages

    with django_db_blocker.unblock():
        ensure_admin_group_permissions()
        ensure_default_pages()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's, and before it drops the test databases, close this process's
    connection pools: a pool keeps idle connections open (DB_POOL_MIN_SIZE), which would
    make DROP DATABASE fail with "being accessed by other users"."""
    yield
    import gc

    from django.db.backends.postgresql.base import DatabaseWrapper

    gc.collect()  # connections of finished threads, still in reference cycles, close now
    for alias, pool in list(DatabaseWrapper._connection_pools.items()):
        pool.close()
        del DatabaseWrapper._connection_pools[alias]
