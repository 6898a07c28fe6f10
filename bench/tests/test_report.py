"""The load benchmark's own machinery (`manage.py bench`): what it reports and what it
adds to the site. The benchmark itself is not part of the suite."""

import json

import pytest
from django.test import RequestFactory

from bench import report
from bench.views import baseline


def wrk_output(requests=1000, seconds=10, p95_us=20_000, statuses=None, timeouts=0):
    data = {
        "requests": requests,
        "duration_us": seconds * 1_000_000,
        "expected_answers": requests - sum((statuses or {}).values()),
        "unexpected_statuses": statuses or {},
        "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": timeouts},
        "latency_us": {"mean": 9000.0, "max": 90_000, "p50": 8000, "p95": p95_us, "p99": 40_000},
    }
    return "Running 10s test @ http://127.0.0.1:8765\n" + report.RESULT_PREFIX + json.dumps(data)


def test_a_row_reads_requests_per_second_and_latency_in_milliseconds_from_wrk():
    row = report.parse_wrk_output("home", wrk_output(requests=2500, seconds=10, p95_us=21_500))

    assert row.requests_per_s == 250.0
    assert (row.p50_ms, row.p95_ms, row.p99_ms) == (8.0, 21.5, 40.0)
    assert row.errors == 0


def test_unexpected_statuses_and_socket_errors_count_as_errors():
    row = report.parse_wrk_output("api booking create", wrk_output(statuses={"409": 3}, timeouts=2))

    assert row.errors == 5
    assert row.error_detail == {"status 409": 3, "timeout": 2}


def test_a_missing_result_line_is_an_error_not_a_zero_row():
    with pytest.raises(ValueError, match="no result line"):
        report.parse_wrk_output("home", "unable to connect to 127.0.0.1:8765")


def test_ratios_are_against_the_mean_of_the_first_and_last_baseline():
    rows = report.with_ratios(
        [
            report.parse_wrk_output("baseline (first)", wrk_output(requests=42_000)),
            report.parse_wrk_output("home", wrk_output(requests=19_000)),
            report.parse_wrk_output("baseline (last)", wrk_output(requests=34_000)),
        ]
    )

    assert [row.ratio for row in rows] == [1.105, 0.5, 0.895]


def test_the_table_has_one_line_per_row_with_its_figures():
    rows = report.with_ratios(
        [
            report.parse_wrk_output("baseline (first)", wrk_output(requests=38_000)),
            report.parse_wrk_output("search", wrk_output(requests=9_500)),
        ]
    )

    lines = report.format_table(rows).splitlines()

    assert lines[0].split()[:5] == ["row", "req/s", "p50", "ms", "p95"]
    assert lines[3].split()[:3] == ["search", "950.0", "8.0"]
    assert "25 %" in lines[3]


def alone(row, p95_ms):
    row.alone_p95_ms = p95_ms
    return row


def test_targets_judge_req_s_as_a_share_of_baseline_and_latency_alone():
    rows = report.with_ratios(
        [
            report.parse_wrk_output("baseline (first)", wrk_output(requests=40_000)),
            report.parse_wrk_output("home", wrk_output(requests=10_000)),
            report.parse_wrk_output("search", wrk_output(requests=4_400)),
            report.parse_wrk_output("service detail", wrk_output(requests=11_000)),
            # Slow under load (queueing behind 32 connections), quick alone: met.
            alone(
                report.parse_wrk_output(
                    "api booking create", wrk_output(requests=3_600, p95_us=90_000)
                ),
                12.0,
            ),
            alone(report.parse_wrk_output("dashboard", wrk_output(p95_us=10_000)), 55.0),
        ]
    )
    rows[4].queries_per_request = 11

    checks = {
        check["target"]: check["met"]
        for check in report.check_targets(rows, worker_rss_mb=[120.0, 160.0], scale=100_000)
    }

    assert checks == {
        "zero errors": True,
        "home >= 50% of baseline req/s (on hits)": False,
        "search >= 10% of baseline req/s": True,
        "service detail >= 30% of baseline req/s": False,
        "api booking create >= 8% of baseline req/s": True,
        "api booking create p95 < 15 ms, alone": True,
        "dashboard p95 < 50 ms, alone": False,
        "api booking create <= 10 queries": False,
        "memory per gunicorn worker < 150 MB (RSS)": False,
    }


def test_a_cached_page_misses_the_target_when_one_miss_takes_over_50_ms():
    fast = report.add_hits_and_misses(
        report.parse_wrk_output("home + writes", wrk_output()),
        {"hits": [2.0, 3.0], "misses": [20.0, 30.0, 49.9]},
    )
    slow = report.add_hits_and_misses(
        report.parse_wrk_output("category page + writes", wrk_output()),
        {"hits": [2.0] * 40, "misses": [10.0] * 39 + [50.1]},
    )

    checks = {
        check["target"]: check
        for check in report.check_targets([fast, slow], worker_rss_mb=[], scale=1_000_000)
    }

    assert checks["home + writes: a miss never above 50 ms, alone"]["met"] is True
    slow_check = checks["category page + writes: a miss never above 50 ms, alone"]
    assert slow_check["met"] is False
    assert slow_check["measured"] == "max 50.1 ms over 40 misses (p95 10.0 ms)"


def test_the_busy_day_picker_is_judged_against_the_free_one():
    def pickers(busy_ms, free_ms):
        rows = [
            alone(report.parse_wrk_output("day picker busy", wrk_output()), busy_ms),
            alone(report.parse_wrk_output("day picker free", wrk_output()), free_ms),
        ]
        (check,) = [
            c
            for c in report.check_targets(rows, worker_rss_mb=[], scale=1_000_000)
            if c["target"].startswith("day picker")
        ]
        return check["met"]

    assert pickers(11.0, 10.0) is True  # within the noise margin
    assert pickers(13.0, 10.0) is False
    assert pickers(54.0, 9.0) is False  # the quadratic busy check of before


def test_hits_and_misses_are_printed_apart_with_the_write_rate():
    row = report.add_hits_and_misses(
        report.parse_wrk_output("home + writes", wrk_output()),
        {"hits": [1.0, 2.0, 3.0], "misses": [40.0, 60.0]},
    )
    row.writes_per_s = 1.0

    lines = report.format_cached_rows([row]).splitlines()

    assert lines[0].split() == [
        "row",
        "writes/s",
        "hit",
        "p50",
        "hit",
        "p95",
        "misses",
        "miss",
        "p50",
        "miss",
        "p95",
        "miss",
        "max",
    ]
    assert lines[2].split() == [
        "home",
        "+",
        "writes",
        "1.00",
        "2.0",
        "3.0",
        "2",
        "40.0",
        "60.0",
        "60.0",
    ]
    assert report.format_cached_rows([report.parse_wrk_output("home", wrk_output())]) == ""


def test_the_json_document_carries_the_rows_and_the_baseline():
    rows = report.with_ratios([report.parse_wrk_output("baseline (first)", wrk_output())])

    document = json.loads(json.dumps(report.run_document(rows, scale=100_000)))

    assert document["scale"] == 100_000
    assert document["baseline_requests_per_s"] == 100.0
    assert document["rows"][0]["name"] == "baseline (first)"


def test_the_baseline_view_answers_ok():
    response = baseline(RequestFactory().get("/bench/ok"))

    assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.django_db
def test_the_baseline_is_not_mounted_unless_the_benchmark_turns_it_on(client):
    assert client.get("/bench/ok").status_code == 404


@pytest.mark.django_db
def test_the_benchmark_names_the_servers_settings_and_which_are_untuned():
    from django.db import connection

    from bench.postgres_settings import SETTINGS, describe, server_settings, untuned

    values = server_settings(connection)

    assert set(values) == set(SETTINGS) and all(values.values())
    line = describe(values)
    assert all(f"{name}={value}" in line for name, value in values.items())
    # The suite's server is this machine's, on PostgreSQL's shared_buffers default.
    assert ("shared_buffers" in untuned(values)) == (values["shared_buffers"] == "128MB")
    assert describe({**values, "shared_buffers": "128MB"}).endswith("see docs/deploy.md)")
