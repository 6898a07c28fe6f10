"""The benchmark's connection sampler counts what others hold on the database."""

import secrets

import psycopg
import pytest
from django.db import connection

from bench.connections import ConnectionSampler
from tests.infra.processes import wait_until


def database_url():
    params = connection.settings_dict
    return (
        f"postgres://{params['USER'] or 'postgres'}:{params['PASSWORD'] or ''}@"
        f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
    )


@pytest.mark.django_db
def test_the_sampler_sees_connections_opened_during_the_run_and_closed_after():
    # A database of its own, so no other connection of the suite (a pool filling up in
    # the background) changes the count.
    url = database_url()
    sampled = url.rsplit("/", 1)[0] + f"/bench_connections_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {sampled.rsplit('/', 1)[1]}")
    try:
        with ConnectionSampler(sampled, interval=60) as sampler:
            opened = [psycopg.connect(sampled) for _ in range(3)]
            during = sampler.sample_now()
            for held in opened:
                held.close()
            # A backend ends a moment after its client closes the connection.
            wait_until(lambda: sampler.count() == 0, what="the closed connections to end")
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {sampled.rsplit('/', 1)[1]} WITH (FORCE)")

    figures = sampler.figures()
    assert (figures.before, during, figures.peak) == (0, 3, 3)
    assert figures.after == 0  # the sampler's own connection is never counted
    assert "at most" in figures.describe() and figures.as_dict()["samples"] == 1
