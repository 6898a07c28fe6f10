"""Say in one line which service the test suite cannot reach, and how to start it."""

import os
import sys

import psycopg
import redis

database_url = os.environ["DATABASE_URL"]
redis_url = os.environ["REDIS_URL"]

try:
    # Connect to the maintenance database: the suite creates its own test database.
    with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
        pass
except psycopg.Error as exc:
    sys.exit(
        f"PostgreSQL is not reachable at {database_url} ({str(exc).strip().splitlines()[0]}); "
        "start it with `pg_ctlcluster 15 main start` (compose's db publishes no port to the host)."
    )

try:
    redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
except redis.RedisError as exc:
    sys.exit(
        f"Redis is not reachable at {redis_url} ({exc}); "
        "start it with `redis-server --daemonize yes` (compose's redis publishes no port to the host)."
    )
