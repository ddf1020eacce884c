"""Fleet benchmarks: a central database of many kiosk-years, and the cost of one kiosk push.

`run()` returns (name, value, unit, goal) rows for bench/__main__. It starts a throwaway
PostgreSQL server of its own, as the fleet tests do (tests/fleet/server.py).

Central: BENCH_FLEET_KIOSKS kiosks (default 500) in 25 sites, BENCH_FLEET_DAYS days each
(default 365) of hourly counters shaped like bench_stats.py's: opening hours 8-18, busier
middays and weekdays, 13 topics in two languages with the three mode flags, about 60 views
a day per kiosk. Loaded with COPY. Goals (issue 10): the fleet dashboard query (views per
topic per site, 30 days) <= 300 ms, a year's CSV export <= 10 s.

Kiosk: one push of 48 hours of a busy kiosk through the real FleetPusher thread: wall time,
bytes on the wire both ways (through a counting TCP relay in front of the server), and the
longest GUI-thread stall while it runs (goal < 50 ms, as every GUI figure).
"""

from __future__ import annotations

import contextlib
import os
import random
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from kiosk.viewlog.counters import InteractionKey, ViewKey, VisitKey

LAST_DAY = date(2026, 11, 20)
HOURS = range(8, 19)
TOPICS = [f"topic-{n:02d}" for n in range(13)]
SITES = 25
VIEWS_PER_DAY = 60
REPEATS = 5
TICK_MS = 5

Row = tuple[str, float, str, str]


def run() -> list[Row]:
    from tests.fleet.server import SUPERUSER_PASSWORD, create_fleet_database, start_cluster

    kiosks = int(os.environ.get("BENCH_FLEET_KIOSKS", "500"))
    days = int(os.environ.get("BENCH_FLEET_DAYS", "365"))
    cluster = start_cluster()
    try:
        admin = create_fleet_database(cluster, "fleet_bench")
        # The reports read as IT would, with the password as libpq takes it.
        url = cluster.url(database="fleet_bench").replace("@", f":{SUPERUSER_PASSWORD}@", 1)
        results = _central(admin, url, kiosks, days)
        admin.dispose()
        results += _kiosk_push(cluster)
    finally:
        cluster.stop()
        cluster.remove()
    return results


# --- central -----------------------------------------------------------------------------


def _central(admin: Engine, url: str, kiosks: int, days: int) -> list[Row]:
    scale = f"{kiosks} kiosks x {days} days"
    started = time.perf_counter()
    rows = generate(admin, kiosks, days, random.Random(2026))
    results: list[Row] = [
        (f"fleet: counter rows for {scale}", rows, "rows", "-"),
        ("fleet: generating and loading them (COPY)", _seconds(started), "s", "-"),
    ]
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
        size = connection.execute(text("SELECT pg_database_size(current_database())")).scalar()
        empty = connection.execute(text("SELECT pg_database_size('template1')")).scalar()
    kiosk_years = kiosks * days / 365
    results.append(
        (
            "fleet: database size per kiosk-year (counters, indexes)",
            (int(size) - int(empty)) / kiosk_years / 1e6,
            "MB",
            "-",
        )
    )
    results.append(
        (
            "fleet: dashboard, views per topic per site, 30 days (median)",
            _dashboard_ms(admin),
            "ms",
            "<= 300 ms",
        )
    )
    results += _exports(url, days, scale)
    return results


def generate(engine: Engine, kiosks: int, days: int, rng: random.Random) -> int:
    """Counters and heartbeats for `kiosks` kiosks over `days` days, loaded with COPY."""
    weights = []
    kinds = []
    for rank, topic in enumerate(TOPICS):
        for language, share in (("en", 0.8), ("es", 0.2)):
            for read_aloud in (False, True):
                for large in (False, True):
                    for contrast in (False, True):
                        kinds.append((topic, language, read_aloud, large, contrast))
                        weights.append(
                            share
                            / (rank + 1)
                            * (0.15 if read_aloud else 0.85)
                            * (0.1 if large else 0.9)
                            * (0.05 if contrast else 0.95)
                        )
    cumulative = list(_cumulative(weights))
    hour_weights = [1.5 if 11 <= hour <= 14 else 1.0 for hour in HOURS]
    first = LAST_DAY - timedelta(days=days - 1)
    count = 0
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        copy_views = "COPY topic_view_counts FROM STDIN"
        copy_visits = "COPY visit_counts FROM STDIN"
        for index in range(kiosks):
            kiosk = f"kiosk-{index:03d}"
            epoch = f"{index:032x}"
            busy = rng.uniform(0.5, 1.5)  # a waiting room is busier than another
            views: list[tuple[Any, ...]] = []
            visits: list[tuple[Any, ...]] = []
            for offset in range(days):
                day = first + timedelta(days=offset)
                weekday = 0.4 if day.weekday() >= 5 else 1.0
                n = max(0, round(rng.gauss(VIEWS_PER_DAY * busy * weekday, 8)))
                per_hour: dict[int, int] = {}
                for hour in rng.choices(HOURS, hour_weights, k=n):
                    per_hour[hour] = per_hour.get(hour, 0) + 1
                for hour, in_hour in per_hour.items():
                    visits.append((kiosk, epoch, day, hour, max(1, in_hour // 3)))
                    cells: dict[int, int] = {}
                    for kind in rng.choices(range(len(kinds)), cum_weights=cumulative, k=in_hour):
                        cells[kind] = cells.get(kind, 0) + 1
                    for kind, views_n in cells.items():
                        topic, language, read_aloud, large, contrast = kinds[kind]
                        views.append(
                            (
                                kiosk,
                                epoch,
                                day,
                                hour,
                                topic,
                                language,
                                read_aloud,
                                large,
                                contrast,
                                views_n,
                                views_n * (30 + 20 * (int(topic[-2:]) % 7)),
                            )
                        )
            with cursor.copy(copy_views) as copy:
                for row in views:
                    copy.write_row(row)
            with cursor.copy(copy_visits) as copy:
                for row in visits:
                    copy.write_row(row)
            cursor.execute(
                "INSERT INTO kiosk_heartbeats VALUES "
                "(%s, %s, now(), NULL, %s, '0.1', '7', '', '{}')",
                (kiosk, f"site-{index % SITES:02d}", epoch),
            )
            count += len(views) + len(visits)
            raw.commit()
    finally:
        raw.close()
    return count


def _cumulative(weights: list[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


DASHBOARD = text(
    """
    SELECT h.site, v.topic_id, sum(v.views) AS views
    FROM topic_view_counts v JOIN kiosk_heartbeats h USING (kiosk_id)
    WHERE v.day BETWEEN :first AND :last
    GROUP BY h.site, v.topic_id
    """
)


def _dashboard_ms(engine: Engine) -> float:
    span = {"first": LAST_DAY - timedelta(days=29), "last": LAST_DAY}
    times = []
    with engine.connect() as connection:
        connection.execute(DASHBOARD, span).all()  # the page cache, as on a running server
        for _ in range(REPEATS):
            started = time.perf_counter()
            connection.execute(DASHBOARD, span).all()
            times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def _exports(url: str, days: int, scale: str) -> list[Row]:
    from kiosk.fleet.reports import open_central
    from kiosk.stats.export import export
    from kiosk.stats.kinds import ExportFormat, Grouping
    from kiosk.stats.queries import DateRange

    year = DateRange(LAST_DAY - timedelta(days=days - 1), LAST_DAY)
    results: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-fleet-") as folder:
        for threshold, what in ((0, "exact counts"), (11, "noise and suppression, threshold 11")):
            statistics_ = open_central(url)
            started = time.perf_counter()
            result = export(
                statistics_, year, Grouping.DAY, ExportFormat.CSV, Path(folder) / "y.csv", threshold
            )
            elapsed = _seconds(started)
            statistics_.dispose()
            results.append(
                (
                    f"fleet: CSV export of {scale} by day, {what} ({result.rows} rows)",
                    elapsed,
                    "s",
                    "<= 10 s",
                )
            )
    return results


# --- kiosk -------------------------------------------------------------------------------


def _kiosk_push(cluster: Any) -> list[Row]:
    from kiosk.clock import ManualClock
    from kiosk.fleet import central
    from kiosk.fleet.credentials import write_credentials
    from kiosk.fleet.pusher import FleetLink, FleetPusher
    from kiosk.settings import FleetSettings
    from kiosk.viewlog.store import commit_counters, create_database_engine, open_database
    from tests.fleet.server import create_fleet_database

    admin = create_fleet_database(cluster, "fleet_bench_push")
    central.run_sql(admin, central.provision_sql("kiosk-bench", "bench-password"))
    admin.dispose()
    now = datetime.combine(LAST_DAY, datetime.min.time()) + timedelta(hours=18, minutes=30)
    relay = CountingRelay(cluster.port)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-push-") as folder:
        data = Path(folder)
        local_url = f"sqlite:///{data / 'kiosk.db'}"
        engine, _ = open_database(local_url, now)
        commit_counters(engine, *_two_busy_days(now, random.Random(7)))
        engine.dispose()
        write_credentials(data / "fleet-credentials.toml", "kiosk-bench", "bench-password")
        settings = FleetSettings(
            url=f"postgresql://127.0.0.1:{relay.port}/fleet_bench_push?sslmode=disable"
        )
        link = FleetLink(settings, "kiosk-bench", local_url, data, ManualClock(now))
        stall, wall = _stall_during(link, FleetPusher)
        rows = _pushed_rows(create_database_engine(local_url))
    relay.close()
    return [
        (f"kiosk: one push of 48 hours ({rows} counter rows), wall time", wall, "ms", "-"),
        ("kiosk: bytes sent to the server by that push", relay.sent / 1000, "kB", "-"),
        ("kiosk: bytes received from the server by that push", relay.received / 1000, "kB", "-"),
        ("kiosk: longest GUI-thread stall while it runs", stall, "ms", "< 50 ms"),
    ]


def _two_busy_days(
    now: datetime, rng: random.Random
) -> tuple[dict[VisitKey, int], dict[ViewKey, list[int]], dict[InteractionKey, int]]:
    visits: dict[VisitKey, int] = {}
    views: dict[ViewKey, list[int]] = {}
    interactions: dict[InteractionKey, int] = {}
    for back in range(48):
        moment = now - timedelta(hours=back)
        day, hour = moment.date(), moment.hour
        if hour not in HOURS:
            continue
        visits[VisitKey(day, hour, "kiosk-1")] = rng.randint(3, 12)
        for topic in TOPICS:
            for language in ("en", "es"):
                for read_aloud in (False, True):
                    n = rng.randint(1, 6)
                    key = ViewKey(day, hour, "kiosk-1", topic, language, read_aloud, False, False)
                    views[key] = [n, 40 * n]
            interaction = InteractionKey(day, hour, "kiosk-1", "glossary_opened", topic, "en")
            interactions[interaction] = rng.randint(0, 3)
    return visits, views, interactions


def _pushed_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        total = sum(
            int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in ("visit_counts", "topic_view_counts", "interaction_counts")
        )
    engine.dispose()
    return total


def _stall_during(link: Any, pusher_class: Callable[[Any], Any]) -> tuple[float, float]:
    """(longest gap between 5 ms GUI timer ticks, push wall time in ms) for one push."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])
    elapsed = QElapsedTimer()
    gaps: list[int] = []
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(TICK_MS)
    ticker.timeout.connect(lambda: gaps.append(elapsed.restart()))
    done = threading.Event()
    took: list[float] = []
    attempt = link.attempt

    def timed_attempt() -> float:
        started = time.perf_counter()
        wait = attempt()
        took.append((time.perf_counter() - started) * 1000)
        done.set()
        return wait

    link.attempt = timed_attempt
    pusher = pusher_class(link)
    elapsed.start()
    ticker.start()
    pusher.start()
    clock = QElapsedTimer()
    clock.start()
    while not done.is_set() and clock.elapsed() < 60_000:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    ticker.stop()
    pusher.stop()
    if link.status.problem is not None or not took:
        raise RuntimeError(f"the benchmark push failed: {link.status.problem}")
    return float(max(gaps, default=0)), round(took[0], 1)


class CountingRelay:
    """A TCP relay on 127.0.0.1 in front of the server that counts the bytes each way."""

    def __init__(self, target_port: int) -> None:
        self._target = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self.sent = 0  # kiosk to server
        self.received = 0  # server to kiosk
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self._target))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, outgoing: bool) -> None:
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
                with self._lock:
                    if outgoing:
                        self.sent += len(chunk)
                    else:
                        self.received += len(chunk)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._listener.close()


def _seconds(started: float) -> float:
    return round(time.perf_counter() - started, 2)


if __name__ == "__main__":
    for name, value, unit, goal in run():
        print(f"{name}: {value} {unit} (goal: {goal})")
