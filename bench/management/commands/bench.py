"""`make bench`: load-test the site under gunicorn with production settings, row by row."""

import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from huey.contrib.djhuey import HUEY

from accounts.models import Role, User
from bench import cached_rows, fixtures, insights_fixture, live, report, workload
from bench.connections import ConnectionSampler
from bench.postgres_settings import describe, server_settings
from bench.server import Gunicorn, production_environment, session_cookie
from catalog.models import Service

ROW_SCRIPT = settings.BASE_DIR / "bench" / "wrk" / "row.lua"
# The order of a run. The baseline comes first and last: a gap between the two is drift
# (another process taking CPU, the machine heating up), and the ratios use their mean.
ROWS = [
    "baseline",
    "home",
    "home + writes",
    "search",
    "search by availability",
    "category page",
    "category page + writes",
    "service detail",
    "provider page",
    "login page",
    "dashboard",
    "insights",
    "day picker busy",
    "day picker free",
    "api service list",
    "api booking create",
    "baseline",
]
API_ROWS = {"api service list", "api booking create"}
# Signed in as the busy bench provider (bench/fixtures.py).
SESSION_ROWS = {"dashboard": fixtures.BUSY_EMAIL, "insights": insights_fixture.INSIGHTS_EMAIL}
# The cached pages again, while real writes invalidate them (bench/cached_rows.py): their
# hits and misses are timed apart from one connection instead of the usual alone run.
WRITE_ROWS = {"home + writes": "home", "category page + writes": "category page"}
# Not counted as a request's statements: the transaction around them (as the tests count).
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
FIXTURE_ROWS = {"dashboard", "day picker busy", "day picker free"}


def env_int(name, default):
    return int(os.environ.get(name) or default)


def env_float(name, default):
    return float(os.environ.get(name) or default)


class Command(BaseCommand):
    help = "Benchmark the site under gunicorn (production settings) with wrk; see README."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=env_int("SCALE", 0))
        parser.add_argument("--duration", type=int, default=env_int("BENCH_DURATION", 12))
        parser.add_argument("--warmup", type=int, default=env_int("BENCH_WARMUP", 3))
        parser.add_argument(
            "--alone",
            type=int,
            default=env_int("BENCH_ALONE", 5),
            help="Seconds per row with one connection: latency without queueing (0: skip).",
        )
        parser.add_argument("--connections", type=int, default=env_int("BENCH_CONNECTIONS", 32))
        parser.add_argument("--threads", type=int, default=env_int("BENCH_THREADS", 2))
        parser.add_argument("--workers", type=int, default=env_int("BENCH_WORKERS", 2))
        parser.add_argument("--port", type=int, default=env_int("BENCH_PORT", 8765))
        parser.add_argument(
            "--writes-per-s",
            type=float,
            default=env_float("BENCH_WRITES_PER_S", cached_rows.DEFAULT_WRITES_PER_S),
            help="Service and profile saves per second during the '+ writes' rows.",
        )
        parser.add_argument(
            "--rows",
            help="Comma-separated row names to run (default: all, baseline first and last).",
        )
        parser.add_argument(
            "--profile",
            metavar="DIR",
            help="Sample the workers with py-spy during each row, folded stacks into DIR "
            "(the sampling costs CPU: figures of a profiled run are not comparable).",
        )
        parser.add_argument(
            "--server-log", help="Keep gunicorn's log (one JSON line per request) in this file."
        )
        parser.add_argument("--output-dir", default=str(settings.BASE_DIR / "bench" / "results"))

    def handle(self, *args, **options):
        if shutil.which("wrk") is None:
            raise CommandError(
                "wrk is missing: run scripts/ensure-bench-packages (make bench does)."
            )
        for name in ("DATABASE_URL", "REDIS_URL"):
            if not os.environ.get(name):
                raise CommandError(f"Set {name} to the benchmark's own database and Redis.")
        rows = ROWS
        if options["rows"]:
            wanted = [name.strip() for name in options["rows"].split(",")]
            unknown = set(wanted) - set(ROWS)
            if unknown:
                raise CommandError(f"Unknown rows: {', '.join(sorted(unknown))}.")
            rows = ["baseline", *[name for name in wanted if name != "baseline"], "baseline"]
        self.options = options
        with tempfile.TemporaryDirectory(prefix="marketplace-bench-") as work:
            self.run(rows, Path(work))

    def run(self, rows, work: Path):
        """Prepare the requests, serve, measure each row, then report and save the figures."""
        started_at = datetime.now(UTC)
        password = secrets.token_urlsafe(16)
        client = workload.bench_client(password)
        files = self.request_files(rows, work, client, password)
        # The run starts no Huey consumer: notifications queued by its bookings are dropped.
        HUEY.flush()
        log_path = Path(self.options["server_log"] or work / "gunicorn.log")
        self.server = self.make_server(client, log_path)
        listed = self.describe_run()
        # PostgreSQL connections held during and after the run (this command's own count in
        # before, peak and after alike): with the pool (the default) and DB_POOL=false.
        sampler = ConnectionSampler(os.environ["DATABASE_URL"])
        try:
            with sampler:
                self.server.start()
                results = self.measure_rows(rows, files, client.email, password)
                self.add_booking_queries(results, client.email, password)
                # The live stream's rows (#22): uvicorn beside this gunicorn.
                live_figures = self.measure_live(client, password, work)
            memory = self.server.worker_memory()
        finally:
            self.server.stop()
        connections_held = sampler.figures()
        server_errors = sum('"level": "ERROR"' in line for line in log_path.open())
        checks = self.print_report(results, memory, server_errors)
        if live_figures is not None:
            self.stdout.write(live_figures.describe())
            check = live_figures.check()
            checks.append(check)
            self.stdout.write(
                f"  {'met' if check['met'] else 'MISSED'}: {check['target']} ({check['measured']})"
            )
        self.stdout.write(connections_held.describe())
        self.save(
            results,
            connections=connections_held,
            started_at=started_at,
            listed=listed,
            memory=memory,
            server_errors=server_errors,
            checks=checks,
            live_figures=live_figures,
        )

    def measure_live(self, client, password, work):
        """The live stream's rows (bench/live.py), unless BENCH_LIVE=0."""
        if os.environ.get("BENCH_LIVE", "1") == "0":
            return None
        return live.measure_live(
            environment=self.server.environment,
            web_url=self.server.url,
            customer=client,
            token=self.log_in(self.server.url, client.email, password),
            provider_email=fixtures.FREE_EMAIL,
            idle_email=fixtures.BUSY_EMAIL,
            password=password,
            work=work,
        )

    def request_files(self, rows, work: Path, client, password) -> dict[str, Path]:
        """A file of request lines for each row (and each booking phase: warm-up, one
        connection, the run), so every booking takes a free slot of its own."""
        options = self.options
        self.stdout.write("Preparing requests…")
        self.counted_booking = None
        self.lines = workload.page_lines()
        if any(name in FIXTURE_ROWS for name in rows):
            providers = fixtures.bench_providers(customer=client, password=password)
            self.stdout.write(
                f"  bench providers: {fixtures.PENDING_REQUESTS:,} pending requests for "
                f"{fixtures.BUSY_EMAIL} (dashboard, day picker busy), none for "
                f"{fixtures.FREE_EMAIL} (day picker free)"
            )
            self.lines |= {
                "dashboard": [workload.get("/dashboard/bookings/")],
                "day picker busy": [workload.get(f"/book/{providers.busy.pk}/")],
                "day picker free": [workload.get(f"/book/{providers.free.pk}/")],
            }
        if "insights" in rows:
            # The insights page of a provider with a year of business (#21).
            customers = [client, *User.objects.filter(role=Role.CUSTOMER).order_by("pk")[:200]]
            insights_fixture.insights_provider(customers=customers, password=password)
            self.stdout.write(
                f"  insights provider: {insights_fixture.BOOKINGS:,} bookings and a year of "
                f"views for {insights_fixture.INSIGHTS_EMAIL}"
            )
            self.lines["insights"] = [workload.get("/dashboard/insights/?period=365d")]
        self.lines["baseline"] = [workload.get("/bench/ok")]
        for name, source in WRITE_ROWS.items():
            self.lines[name] = self.lines[source]
        files = {
            name: workload.write_lines(work, name, lines) for name, lines in self.lines.items()
        }
        if any(name in WRITE_ROWS for name in rows):
            self.written_services = workload.written_service_ids()
        if "api booking create" not in rows:
            return files
        # Enough for the busiest booking rate seen (about 200/s) over warm-up and run,
        # and 100/s with one connection; one more for counting a request's statements.
        wanted = 250 * (options["warmup"] + options["duration"]) + 100 * options["alone"]
        plan = workload.booking_lines(client, limit=wanted + 1)
        bookings = plan.lines
        self.stdout.write(
            f"  booking creation: {len(bookings):,} requests over {plan.providers:,} providers"
            + (
                f"; {plan.without_hours:,} verified providers have no weekly hours and are "
                "left out (seed_demo --scale gives every scale provider hours)"
                if plan.without_hours
                else ""
            )
        )
        if len(bookings) < wanted + 1:
            self.stdout.write(
                f"  only {len(bookings):,} free slots for booking creation: a faster server "
                "would reuse them and get 409s, counted as errors"
            )
        self.counted_booking, bookings = (bookings[-1], bookings[:-1]) if bookings else (None, [])
        # Warm-up and run are two wrk processes: each gets slots of its own.
        warm = min(250 * options["warmup"], len(bookings) // 4)
        alone = warm + min(100 * options["alone"], len(bookings) // 4)
        files["api booking create warm-up"] = workload.write_lines(
            work, "bookings-warm-up", bookings[:warm]
        )
        files["api booking create alone"] = workload.write_lines(
            work, "bookings-alone", bookings[warm:alone]
        )
        files["api booking create"] = workload.write_lines(work, "bookings", bookings[alone:])
        return files

    def make_server(self, client, log_path: Path) -> Gunicorn:
        """gunicorn with production settings on the benchmark's database, static files ready."""
        environment = production_environment(
            client_email=client.email,
            database_url=os.environ["DATABASE_URL"],
            redis_url=os.environ["REDIS_URL"],
        )
        server = Gunicorn(
            environment=environment,
            port=self.options["port"],
            workers=self.options["workers"],
            log_path=log_path,
        )
        server.collect_static()
        return server

    def describe_run(self) -> int:
        """Say what is measured (and warn when the database holds far more than SCALE);
        return the number of listed services."""
        options = self.options
        listed = Service.objects.filter(is_listed=True).count()
        if options["scale"] and listed > 1.2 * options["scale"] + 1000:
            self.stdout.write(
                self.style.WARNING(
                    f"The database lists {listed:,} services, far more than SCALE="
                    f"{options['scale']:,} (seeding only adds): the rows measure {listed:,}. "
                    "Use another BENCH_DATABASE_URL for a smaller scale."
                )
            )
        self.stdout.write(
            f"{listed:,} listed services; gunicorn {options['workers']} sync workers; wrk "
            f"{options['threads']} threads, {options['connections']} connections, "
            f"{options['warmup']} s warm-up + {options['duration']} s per row, then "
            f"{options['alone']} s with one connection; "
            f"load average at start {os.getloadavg()[0]:.2f}"
        )
        return listed

    def measure_rows(self, rows, files, email, password) -> list[report.RowResult]:
        """Each row in turn against the running server, printed as it finishes."""
        results, token, cookies = [], None, {}
        for position, name in enumerate(rows):
            if name in API_ROWS and token is None:
                token = self.log_in(self.server.url, email, password)
            if name in SESSION_ROWS and SESSION_ROWS[name] not in cookies:
                cookies[SESSION_ROWS[name]] = session_cookie(
                    self.server.url, SESSION_ROWS[name], password
                )
            label = name
            if name == "baseline":
                label = "baseline (first)" if position == 0 else "baseline (last)"
            result = self.measure(
                self.server.url,
                label,
                files[name],
                warmup_file=files.get(f"{name} warm-up", files[name]),
                alone_file=files.get(f"{name} alone", files[name]),
                token=token if name in API_ROWS else None,
                cookie=cookies.get(SESSION_ROWS.get(name)),
                writes=name in WRITE_ROWS,
            )
            results.append(result)
            self.stdout.write(
                f"  {label:<22}{result.requests_per_s:>9.1f} req/s  p95 "
                f"{result.p95_ms:.1f} ms  errors {result.errors}"
            )
        return results

    def print_report(self, results, memory, server_errors) -> list:
        """The table with each row's ratio to the baseline, memory, errors and targets."""
        report.with_ratios(results)
        checks = report.check_targets(
            results,
            worker_rss_mb=[worker["rss_mb"] for worker in memory],
            scale=self.options["scale"],
        )
        self.stdout.write("")
        self.stdout.write(report.format_table(results))
        cached = report.format_cached_rows(results)
        if cached:
            self.stdout.write(
                "\nCached pages while real writes invalidate them (one connection: each "
                "write, then the first request of a page, a miss, then the same again, a hit):"
            )
            self.stdout.write(cached)
        self.stdout.write(
            "\nMemory per gunicorn worker after the run: "
            + ", ".join(f"RSS {w['rss_mb']:.0f} MB (PSS {w['pss_mb']:.0f} MB)" for w in memory)
        )
        self.stdout.write(f"Errors logged by the server: {server_errors}")
        self.stdout.write(describe(server_settings(connection)))
        scale = self.options["scale"]
        stated = f"stated for {report.TARGET_SCALE:,} listings"
        if scale != report.TARGET_SCALE:
            stated += f"; this run measures {scale:,}, so read them as a rehearsal"
        self.stdout.write(f"Targets ({stated}):\n" + report.format_targets(checks))
        return checks

    def save(
        self,
        results,
        *,
        started_at,
        listed,
        memory,
        server_errors,
        checks,
        connections,
        live_figures=None,
    ) -> None:
        """The run as one JSON document under --output-dir."""
        options = self.options
        document = report.run_document(
            results,
            scale=options["scale"],
            listed_services=listed,
            started_at=started_at.isoformat(),
            finished_at=datetime.now(UTC).isoformat(),
            commit=self.commit(),
            settings={
                key: options[key]
                for key in (
                    "duration",
                    "warmup",
                    "connections",
                    "threads",
                    "workers",
                    "writes_per_s",
                )
            },
            load_average_at_end=os.getloadavg(),
            cpus=os.cpu_count(),
            worker_memory=memory,
            server_errors_logged=server_errors,
            targets=checks,
            postgres_settings=server_settings(connection),
        )
        output_dir = Path(options["output_dir"])
        output_dir.mkdir(parents=True, exist_ok=True)
        path = output_dir / f"bench-{options['scale']}-{started_at:%Y%m%dT%H%M%SZ}.json"
        document["connections"] = connections.as_dict()
        document["live"] = live_figures.as_dict() if live_figures is not None else None
        path.write_text(json.dumps(document, indent=2) + "\n")
        self.stdout.write(f"\nWritten to {path}")

    def measure(
        self, url, label, requests_file, *, warmup_file, alone_file, token, cookie, writes
    ) -> report.RowResult:
        """Warm-up, the run under load, then one connection. A '+ writes' row runs real
        writes at --writes-per-s through warm-up and run, then times its hits and misses
        apart from one connection (bench/cached_rows.py) instead of the plain alone run."""
        options = self.options
        load = {"threads": options["threads"], "connections": options["connections"]}
        auth = {"token": token, "cookie": cookie, "expected": label}
        writer = None
        if writes:
            writer = cached_rows.ListingWrites(
                cached_rows.ProviderWrites(self.written_services), options["writes_per_s"]
            ).start()
        try:
            if options["warmup"]:
                self.wrk(url, warmup_file, options["warmup"], **auth, **load)
            profiler = self.start_profiler(label)
            cpu_before = self.server.worker_cpu_seconds()
            writes_before, run_started = (writer.done if writer else 0), time.monotonic()
            output = self.wrk(url, requests_file, options["duration"], **auth, **load)
            writes_made, run_seconds = (
                (writer.done if writer else 0) - writes_before,
                time.monotonic() - run_started,
            )
            cpu_used = self.server.worker_cpu_seconds() - cpu_before
        finally:
            if writer is not None:
                writer.stop()
        if profiler is not None:
            profiler.wait()
        result = report.parse_wrk_output(
            label, output, load_average=os.getloadavg()[0], worker_cpu_seconds=cpu_used
        )
        if writes:
            result.writes = writes_made
            result.writes_per_s = round(writes_made / run_seconds, 2)
        if writes and options["alone"]:
            timings = cached_rows.time_hits_and_misses(
                cached_rows.http_getter(url),
                [line.split("\t")[1] for line in self.lines[label]],
                cached_rows.ProviderWrites(self.written_services, seed=2027),
                seconds=options["alone"],
            )
            report.add_hits_and_misses(result, timings)
        elif not writes and options["alone"]:
            output = self.wrk(url, alone_file, options["alone"], **auth, threads=1, connections=1)
            report.add_alone(result, report.parse_wrk_output(label, output))
        return result

    def add_booking_queries(self, results, email, password) -> None:
        """The statements one booking creation runs, counted in this process through the
        real API (the same view and services gunicorn runs) on a slot kept for it."""
        row = next((row for row in results if row.name == "api booking create"), None)
        if row is None or self.counted_booking is None:
            return
        _method, path, body = self.counted_booking.split("\t")
        client = Client()
        logging.disable(logging.INFO)  # the requests' and the booking's log lines
        try:
            login = client.post(
                "/api/users/login/",
                {"email": email, "password": password},
                content_type="application/json",
            )
            headers = {"HTTP_AUTHORIZATION": f"Bearer {login.json()['access']}"}
            with CaptureQueriesContext(connection) as queries:
                answer = client.post(path, body, content_type="application/json", **headers)
        finally:
            logging.disable(logging.NOTSET)
        if answer.status_code != 201:
            raise CommandError(f"Counting a booking's statements: {answer.status_code}")
        row.queries_per_request = sum(
            not query["sql"].startswith(TRANSACTION_CONTROL) for query in queries.captured_queries
        )

    def start_profiler(self, label):
        if not self.options["profile"]:
            return None
        directory = Path(self.options["profile"])
        directory.mkdir(parents=True, exist_ok=True)
        return subprocess.Popen(
            [
                shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"),
                "record",
                f"--pid={self.server.process.pid}",
                "--subprocesses",
                "--format=raw",
                "--rate=200",
                f"--duration={self.options['duration']}",
                f"--output={directory / (label.replace(' ', '-').replace('(', '').replace(')', '') + '.folded')}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wrk(
        self, url, requests_file, seconds, *, token, cookie, expected, threads, connections
    ) -> str:
        status = "201" if expected == "api booking create" else "200"
        command = [
            "wrk",
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=5s",
            f"--script={ROW_SCRIPT}",
            url,
            "--",
            str(requests_file),
            str(threads),
            status,
            token or "",
            cookie or "",
        ]
        finished = subprocess.run(command, capture_output=True, text=True, check=False)
        if finished.returncode != 0:
            raise CommandError(f"wrk failed:\n{finished.stdout}\n{finished.stderr}")
        return finished.stdout

    def log_in(self, url, email, password) -> str:
        request = urllib.request.Request(
            f"{url}/api/users/login/",
            data=json.dumps({"email": email, "password": password}).encode(),
            headers={"Content-Type": "application/json", "X-Forwarded-Proto": "https"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())["access"]

    def commit(self) -> str:
        def git(*args):
            return subprocess.run(
                ["git", *args], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
            ).stdout.strip()

        return git("rev-parse", "--short", "HEAD") + (
            "-dirty" if git("status", "--porcelain") else ""
        )
