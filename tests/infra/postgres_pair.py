"""A PostgreSQL 15 primary and its streaming replica, for the read-replica tests.

Two throwaway clusters of the machine's own binaries in a temporary directory, on free
loopback ports, run as the `postgres` user (PostgreSQL refuses to run as root): `initdb`
the primary with a `host replication` line, `pg_basebackup -R -X stream` the replica
from it, start both. The machine's own cluster (5432) is never touched.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from .processes import free_port, wait_until

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


class PostgresPair:
    def __init__(self):
        self.dir = None
        self.primary_port = None
        self.replica_port = None

    # --- running commands as postgres ------------------------------------------------
    def _run(self, *command, timeout=60):
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        elif pwd.getpwuid(os.geteuid()).pw_name != "postgres":
            raise RuntimeError(
                "The read-replica tests start their own PostgreSQL clusters, which must run "
                "as the postgres user: run the suite as root or as postgres."
            )
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
                + self._logs()
            )
        return result

    def _logs(self):
        text = ""
        for name in ("primary.log", "replica.log"):
            path = Path(self.dir or "/nonexistent") / name
            if path.exists():
                text += f"\n--- {name} ---\n{path.read_text()[-2000:]}"
        return text

    def _pg_ctl(self, data, port, log, action):
        return self._run(
            str(BIN / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            f"-p {port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-l",
            str(log),
            "-w",
            "-t",
            "30",
            action,
        )

    # --- life cycle ----------------------------------------------------------------
    def start(self):
        if not (BIN / "initdb").exists():
            raise RuntimeError(
                f"PostgreSQL 15's server binaries are not in {BIN} (apt-get install postgresql-15)"
            )
        self.dir = Path(tempfile.mkdtemp(prefix="marketplace-pg-pair-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.dir.chmod(0o700)
        self.primary_port, self.replica_port = free_port(), free_port()
        primary, replica = self.dir / "primary", self.dir / "replica"
        self._run(str(BIN / "initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres")
        hba = primary / "pg_hba.conf"
        self._run("sh", "-c", f"echo 'host replication all 127.0.0.1/32 trust' >> {hba}")
        self._pg_ctl(primary, self.primary_port, self.dir / "primary.log", "start")
        self._run(
            str(BIN / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary_port),
            "-U",
            "postgres",
            "-D",
            str(replica),
            "-R",
            "-X",
            "stream",
        )
        self.start_replica()
        return self

    def start_replica(self):
        self._pg_ctl(self.dir / "replica", self.replica_port, self.dir / "replica.log", "start")
        wait_until(self._replica_streams, what="the replica to stream from the primary")

    def stop_replica(self):
        self._pg_ctl(self.dir / "replica", self.replica_port, self.dir / "replica.log", "stop")

    def stop(self):
        if self.dir is None:
            return
        for name in ("replica", "primary"):
            if (self.dir / name / "postmaster.pid").exists():
                subprocess.run(
                    ["runuser", "-u", "postgres", "--"] * (os.geteuid() == 0)
                    + [str(BIN / "pg_ctl"), "-D", str(self.dir / name), "-m", "immediate", "stop"],
                    capture_output=True,
                    timeout=60,
                )
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    # --- connecting -----------------------------------------------------------------
    def url(self, which, database="postgres"):
        port = self.primary_port if which == "primary" else self.replica_port
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    def connect(self, which, database="postgres"):
        return psycopg.connect(self.url(which, database), autocommit=True, connect_timeout=3)

    def _replica_streams(self):
        try:
            with self.connect("replica") as conn:
                return conn.execute("SELECT pg_last_wal_receive_lsn() IS NOT NULL").fetchone()[0]
        except psycopg.OperationalError:
            return False

    def wait_for_replay(self):
        """Until the replica has replayed everything the primary has written so far."""
        with self.connect("primary") as conn:
            (target,) = conn.execute("SELECT pg_current_wal_lsn()").fetchone()

        def caught_up():
            with self.connect("replica") as conn:
                return conn.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                ).fetchone()[0]

        wait_until(caught_up, what="the replica to replay the primary's writes")

    def pause_replay(self):
        with self.connect("replica") as conn:
            conn.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self):
        with self.connect("replica") as conn:
            conn.execute("SELECT pg_wal_replay_resume()")

    def resume_replay_if_paused(self):
        try:
            with self.connect("replica") as conn:
                if conn.execute(
                    "SELECT pg_get_wal_replay_pause_state() <> 'not paused'"
                ).fetchone()[0]:
                    conn.execute("SELECT pg_wal_replay_resume()")
        except psycopg.OperationalError:
            pass  # a test stopped the replica; it restarts it itself

    def wait_for_received_not_replayed(self):
        """Until the (paused) replica has received WAL it has not replayed: it lags."""

        def behind():
            with self.connect("replica") as conn:
                return conn.execute(
                    "SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()"
                ).fetchone()[0]

        wait_until(behind, what="the paused replica to receive the primary's writes")
