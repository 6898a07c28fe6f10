"""PostgreSQL connections held on the benchmark's database, sampled from pg_stat_activity
while a run goes on: how many before it, at most and on average during it, and after it
(the server still up, idle), so runs with and without the connection pool (DB_POOL) can
be compared. The sampler's own connection is never counted."""

import threading
from dataclasses import asdict, dataclass

import psycopg

COUNT = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND backend_type = 'client backend'
  AND pid <> pg_backend_pid()
"""


@dataclass
class ConnectionFigures:
    before: int
    peak: int
    mean: float
    after: int
    samples: int

    def as_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        return (
            f"PostgreSQL connections: {self.before} before the run, {self.peak} at most "
            f"({self.mean:.1f} on average, {self.samples} samples) during it, "
            f"{self.after} after it"
        )


class ConnectionSampler:
    """with ConnectionSampler(url) as sampler: ...run...; figures = sampler.figures()"""

    def __init__(self, database_url: str, *, interval: float = 0.1):
        self.database_url = database_url
        self.interval = interval
        self.counts: list[int] = []
        self.before = None
        self._stop = threading.Event()
        self._thread = None
        self._connection = None
        self._lock = threading.Lock()

    def count(self) -> int:
        """Connections held on the database now (one query on the sampler's connection)."""
        with self._lock:
            return self._connection.execute(COUNT).fetchone()[0]

    def sample_now(self) -> int:
        counted = self.count()
        self.counts.append(counted)
        return counted

    def _sample(self):
        while not self._stop.wait(self.interval):
            self.sample_now()

    def __enter__(self):
        self._connection = psycopg.connect(self.database_url, autocommit=True)
        self.before = self.count()
        self._thread = threading.Thread(target=self._sample, name="connection-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()
        self.after = self.count()
        self._connection.close()

    def figures(self) -> ConnectionFigures:
        during = self.counts or [self.before]
        return ConnectionFigures(
            before=self.before,
            peak=max(during),
            mean=round(sum(during) / len(during), 2),
            after=self.after,
            samples=len(self.counts),
        )
