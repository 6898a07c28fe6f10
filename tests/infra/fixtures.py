"""The fixtures of the services the suite starts (a pytest plugin, see the root conftest).

Each service starts once per test process, the first time a test asks for it, and stops
when the process ends. Tests that use one live in a module of their own, so `--dist
loadfile` keeps them in one xdist worker and the service starts once per run.
"""

import atexit
import subprocess

import dj_database_url
import pytest
from asgiref.local import Local
from django.conf import settings
from django.db import connections

from .moto import MotoServer
from .postgres_pair import PostgresPair
from .sentry_endpoint import SentryEndpoint

REPLICATED_DATABASE = "marketplace_replicated"


@pytest.fixture(scope="session")
def postgres_pair():
    """A running PostgreSQL 15 primary and its streaming replica (tests/infra/postgres_pair.py)."""
    pair = PostgresPair()
    # Also when the process ends without tearing its fixtures down: no cluster outlives it.
    atexit.register(pair.stop)
    try:
        pair.start()
        yield pair
    finally:
        pair.stop()


@pytest.fixture(scope="session")
def replicated_database(postgres_pair, django_db_setup):
    """The suite's migrated test database, copied onto the pair's primary (and so onto
    its replica): the schema, and what the data migrations wrote."""
    source = settings.DATABASES["default"]
    with postgres_pair.connect("primary") as conn:
        conn.execute(f'CREATE DATABASE "{REPLICATED_DATABASE}"')
    dump = subprocess.run(
        [
            "pg_dump",
            "--no-owner",
            "-h",
            source["HOST"] or "127.0.0.1",
            "-p",
            str(source["PORT"] or 5432),
            "-U",
            source["USER"] or "postgres",
            source["NAME"],
        ],
        capture_output=True,
        check=True,
        env={"PGPASSWORD": source["PASSWORD"] or "", "PATH": "/usr/bin:/bin"},
    )
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", postgres_pair.url("primary", REPLICATED_DATABASE)],
        input=dump.stdout,
        capture_output=True,
        check=True,
    )
    postgres_pair.wait_for_replay()
    return REPLICATED_DATABASE


def _database(url, **extra):
    database = dj_database_url.parse(url, conn_max_age=0) | extra
    database.setdefault("OPTIONS", {})
    return database


@pytest.fixture
def read_replica(postgres_pair, replicated_database, settings, django_db_blocker):
    """For one test, the app runs on the pair: "default" is its primary and "replica_1"
    its streaming replica, routed by core.db.router as DATABASE_REPLICA_URLS would. Rows
    the test writes are committed (there is no transaction around the test)."""
    databases = {
        "default": _database(postgres_pair.url("primary", replicated_database)),
        "replica_1": _database(
            postgres_pair.url("replica", replicated_database),
            OPTIONS={"connect_timeout": 2},
        ),
    }
    settings.DATABASE_REPLICAS = ["replica_1"]
    settings.DATABASE_ROUTERS = ["core.db.router.ReplicaRouter"]
    saved = connections.__dict__.get("settings"), connections._settings, connections._connections
    connections.close_all()
    connections._settings = None
    connections.__dict__["settings"] = connections.configure_settings(databases)
    connections._connections = Local(connections.thread_critical)
    from core.db import router

    router._states.clear()
    try:
        with django_db_blocker.unblock():
            yield postgres_pair
    finally:
        postgres_pair.resume_replay_if_paused()
        connections.close_all()
        router._states.clear()
        connections.__dict__["settings"], connections._settings, connections._connections = saved


@pytest.fixture(scope="session")
def sentry_endpoint():
    """A local HTTP server standing in for a Sentry DSN (tests/infra/sentry_endpoint.py)."""
    endpoint = SentryEndpoint().start()
    try:
        yield endpoint
    finally:
        endpoint.stop()


@pytest.fixture(scope="session")
def moto_server():
    """moto's S3-compatible server, running (tests/infra/moto.py)."""
    server = MotoServer()
    atexit.register(server.stop)
    try:
        yield server.start()
    finally:
        server.stop()
