"""PostgreSQL connections come from psycopg's pool (Django's OPTIONS["pool"]), sized by
environment variables: a process holds at most its pool's ceiling, whatever its threads do."""

import json
import threading

import pytest
from django.db import connection

from .test_settings import PRODUCTION_ENV, manage


def backend_pid_in_a_new_thread(barrier=None):
    """What a gunicorn thread does per request: take a connection, query, hand it back."""
    pids = []

    def request():
        if barrier is not None:
            barrier.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])
        connection.close()  # with the pool: back to the pool, still open

    thread = threading.Thread(target=request)
    thread.start()
    return thread, pids


@pytest.mark.django_db(transaction=True)
def test_requests_in_new_threads_reuse_the_pools_connections():
    assert connection.pool is not None
    seen = set()
    for _ in range(10):
        thread, pids = backend_pid_in_a_new_thread()
        thread.join()
        seen.update(pids)

    # Without the pool, each thread would have opened (and closed) a connection of its own.
    assert len(seen) <= connection.pool.max_size


@pytest.mark.django_db(transaction=True)
def test_concurrent_threads_share_at_most_the_pools_ceiling():
    threads = connection.pool.max_size + 2  # more threads than the pool has connections
    barrier = threading.Barrier(threads)
    started = [backend_pid_in_a_new_thread(barrier) for _ in range(threads)]
    for thread, _ in started:
        thread.join()

    pids = {pid for _, found in started for pid in found}
    assert len([pid for _, found in started for pid in found]) == threads  # all answered
    assert len(pids) <= connection.pool.max_size


def settings_database(env, tmp_path):
    result = manage(
        "shell",
        "-c",
        "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default'], default=str))",
        env=PRODUCTION_ENV | {"DATA_DIR": str(tmp_path)} | env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_pool_is_sized_by_environment_variables(tmp_path):
    database = settings_database(
        {"DB_POOL_MIN_SIZE": "2", "DB_POOL_MAX_SIZE": "7", "DB_POOL_TIMEOUT": "3"}, tmp_path
    )

    assert database["CONN_MAX_AGE"] == 0  # what Django's pool requires
    assert database["OPTIONS"]["pool"] == {
        "min_size": 2,
        "max_size": 7,
        "timeout": 3.0,
        "max_idle": 300.0,
    }


def test_the_pools_ceiling_defaults_to_the_threads_of_a_process(tmp_path):
    database = settings_database({"WEB_THREADS": "8", "HUEY_WORKERS": "2"}, tmp_path)

    assert database["OPTIONS"]["pool"]["max_size"] == 8


def test_a_development_server_gets_room_for_its_thread_per_request(tmp_path):
    # runserver and the suite's live server start a thread per request, unbounded.
    database = settings_database({"DEBUG": "true", "WEB_THREADS": "1"}, tmp_path)

    assert database["OPTIONS"]["pool"]["max_size"] == 10


def test_db_pool_false_keeps_persistent_connections(tmp_path):
    database = settings_database({"DB_POOL": "false", "DB_CONN_MAX_AGE": "60"}, tmp_path)

    assert database["CONN_MAX_AGE"] == 60
    assert "pool" not in database.get("OPTIONS", {})


def test_replica_urls_become_replica_aliases_on_persistent_connections(tmp_path):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASE_REPLICAS, settings.DATABASE_ROUTERS,"
        " settings.DATABASES['replica_2']['PORT'], 'pool' in settings.DATABASES['replica_2']['OPTIONS'])",
        env=PRODUCTION_ENV
        | {
            "DATA_DIR": str(tmp_path),
            "DATABASE_REPLICA_URLS": "postgres://r@10.0.0.2:5432/m, postgres://r@10.0.0.3:5433/m",
        },
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == (
        "['replica_1', 'replica_2'] ['core.db.router.ReplicaRouter'] 5433 False"
    )
