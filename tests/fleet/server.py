"""A throwaway PostgreSQL cluster for the fleet tests and bench/bench_fleet.py: a real server.

The tests start one per session (tests/fleet/conftest.py); the benchmark starts its own.

initdb refuses to run as root (CI runs as root), so the cluster belongs to the `postgres`
system user when we are root, started with runuser; it listens on a Unix socket in its own
folder and on a free TCP port of 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

SUPERUSER = "postgres"
SUPERUSER_PASSWORD = "test-superuser-password"


class ServerUnavailable(Exception):
    pass


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ServerUnavailable(
        "PostgreSQL's initdb was not found: run `scripts/system-deps.sh test` "
        "(it installs Debian's postgresql package)"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-fleet-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                raise ServerUnavailable("running as root and runuser is missing")
            self._as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o700)

    def _run(self, *args: str, timeout: float = 60) -> None:
        result = subprocess.run(
            [*self._as_user, *args], capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise ServerUnavailable(
                f"{Path(args[0]).name} failed ({result.returncode}): "
                f"{result.stderr.strip() or result.stdout.strip()}\n{log}"
            )

    def create(self) -> None:
        password_file = self.root / "pw"
        password_file.write_text(SUPERUSER_PASSWORD)
        if self._as_user:
            shutil.chown(password_file, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            f"--pwfile={password_file}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        )
        password_file.unlink()

    def start(self) -> None:
        # fsync off: a killed server process still leaves its writes in the OS's cache, which
        # is all these tests kill. synchronous_commit stays on: without it a commit the
        # kiosk was told about could vanish with the process, which a real server never does.
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )

    def kill(self) -> None:
        """Stop at once, as a crash or a pulled plug would (no shutdown checkpoint)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")

    def stop(self) -> None:
        with contextlib.suppress(ServerUnavailable):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, user: str = SUPERUSER, database: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"


def start_cluster() -> Cluster:
    cluster = Cluster()
    started = time.monotonic()
    try:
        cluster.create()
        cluster.start()
    except (ServerUnavailable, OSError, subprocess.TimeoutExpired) as error:
        cluster.remove()
        raise ServerUnavailable(f"{error} (after {time.monotonic() - started:.1f} s)") from error
    return cluster


def admin_engine(cluster: Cluster, database: str = "postgres") -> Engine:
    from kiosk.fleet import central

    return central.connect(cluster.url(database=database), password=SUPERUSER_PASSWORD)


def create_fleet_database(cluster: Cluster, name: str) -> Engine:
    """A new database with the fleet schema (`fleet init`); its superuser engine."""
    from kiosk.fleet import central

    server = admin_engine(cluster)
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    server.dispose()
    engine = admin_engine(cluster, name)
    central.init(engine)
    return engine


def drop_database(cluster: Cluster, name: str) -> None:
    server = admin_engine(cluster)
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    server.dispose()
