"""The benchmark's connection sampler counts what others hold on the database."""

import psycopg
import pytest
from django.db import connection

from bench.connections import ConnectionSampler


def database_url():
    params = connection.settings_dict
    return (
        f"postgres://{params['USER'] or 'postgres'}:{params['PASSWORD'] or ''}@"
        f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
    )


@pytest.mark.django_db
def test_the_sampler_sees_connections_opened_during_the_run_and_closed_after():
    url = database_url()
    with ConnectionSampler(url, interval=60) as sampler:
        opened = [psycopg.connect(url) for _ in range(3)]
        during = sampler.sample_now()
        for held in opened:
            held.close()

    figures = sampler.figures()
    assert during == figures.before + 3
    assert figures.peak == figures.before + 3
    assert figures.after == figures.before  # its own connection is never counted
    assert "at most" in figures.describe() and figures.as_dict()["samples"] == 1
