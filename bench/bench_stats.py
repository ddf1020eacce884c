"""Statistics benchmarks: 1,000,000 logged views, dashboard refresh, CSV export, GUI stalls.

`run()` returns (name, value, unit) rows for bench/__main__. The views are generated
straight into hourly counters (what the view log would have written after a year):
365 days, opening hours 8-18, 13 topics, 2 languages, the three mode flags.
Targets (issue 6): refresh <= 300 ms, CSV export <= 5 s, GUI stall < 50 ms.

Stalls are measured from a collected heap: generating the counters leaves a million
objects' worth of garbage-collector debt that a running kiosk does not have. Python's full
collections pause every thread, whatever set them off, so their count is reported too.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert

from kiosk.clock import SystemClock
from kiosk.stats.export_process import export_in_child
from kiosk.stats.kinds import ExportFormat, Grouping
from kiosk.stats.queries import DateRange, Statistics
from kiosk.viewlog.events import Interaction
from kiosk.viewlog.schema import interaction_counts, topic_view_counts, visit_counts
from kiosk.viewlog.store import open_database

VIEWS = 1_000_000
DAYS = 365
LAST_DAY = date(2026, 11, 20)
HOURS = range(8, 19)
TOPICS = [f"topic-{n:02d}" for n in range(13)]
REPEATS = 5
TICK_MS = 5


class _LastDayClock(SystemClock):
    """The system clock, but on the last day the generated counters cover."""

    def now(self) -> datetime:
        return datetime.combine(LAST_DAY, datetime.now().time())


def run() -> list[tuple[str, float, str]]:
    results: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-stats-") as folder:
        root = Path(folder)
        engine, _ = open_database(f"sqlite:///{root / 'kiosk.db'}", datetime.now())
        try:
            started = time.perf_counter()
            rows = generate(engine, random.Random(2026))
            results.append(("stats: counter rows holding 1,000,000 views", rows, "rows"))
            results.append(("stats: generating them", _seconds(started), "s"))
            stats = Statistics(engine)
            year = DateRange(LAST_DAY - timedelta(days=DAYS - 1), LAST_DAY)
            month = DateRange.last_days(LAST_DAY, 30)
            for name, span in (("last 30 days", month), ("full year", year)):
                results.append(
                    (
                        f"stats: first dashboard refresh, {name} (median)",
                        _cold_ms(engine, span),
                        "ms",
                    )
                )
                results.append(
                    (f"stats: dashboard refresh, {name} (median)", _median_ms(stats, span), "ms")
                )
            # As the kiosk's export panel does it: in a child process, start-up included.
            for fmt in (ExportFormat.CSV, ExportFormat.XLSX):
                started = time.perf_counter()
                output = root / f"year.{fmt}"
                result = export_in_child(stats.url, year, Grouping.DAY, fmt, output, 11)
                results.append(
                    (
                        f"stats: {fmt.name} export of the year by day, checked",
                        _seconds(started),
                        "s",
                    )
                )
            results.append(("stats: rows in those exports", result.rows, "rows"))
            results.append(
                (
                    "stats: longest GUI-thread stall during an XLSX export from the export panel",
                    _export_stall(stats, root),
                    "ms",
                )
            )
            stall, collections = _stall(stats)
            results.append(
                ("stats: longest GUI-thread stall during dashboard refreshes", stall, "ms")
            )
            # Python's full collections pause every thread; they come from the whole process.
            results.append(
                ("stats: full garbage collections during those refreshes", collections, "count")
            )
        finally:
            engine.dispose()
    return results


def generate(engine: Engine, rng: random.Random) -> int:
    """Write counters for VIEWS views; returns how many topic-view counter rows that made."""
    # Each view gets a topic, a language and flags: 13 * 2 * 8 kinds, some much likelier.
    kinds: list[tuple[str, str, bool, bool, bool]] = []
    weights: list[float] = []
    for rank, topic in enumerate(TOPICS):
        for language, language_weight in (("en", 0.8), ("es", 0.2)):
            for read_aloud in (False, True):
                for large in (False, True):
                    for contrast in (False, True):
                        kinds.append((topic, language, read_aloud, large, contrast))
                        weights.append(
                            language_weight
                            / (rank + 1)
                            * (0.15 if read_aloud else 0.85)
                            * (0.1 if large else 0.9)
                            * (0.05 if contrast else 0.95)
                        )
    buckets = [
        (LAST_DAY - timedelta(days=offset), hour) for offset in range(DAYS) for hour in HOURS
    ]
    # Busier middays and weekdays, so the hour-of-day chart has a shape.
    busyness = [
        (1.5 if 11 <= hour <= 14 else 1.0) * (0.4 if day.weekday() >= 5 else 1.0)
        for day, hour in buckets
    ]
    per_bucket = Counter(rng.choices(range(len(buckets)), busyness, k=VIEWS))
    seconds_per_view = {topic: 30 + 20 * (n % 7) for n, topic in enumerate(TOPICS)}
    views: list[dict[str, Any]] = []
    visits: list[dict[str, Any]] = []
    interactions: list[dict[str, Any]] = []
    for index, (day, hour) in enumerate(buckets):
        n = per_bucket.get(index, 0)
        visits.append({"day": day, "hour": hour, "kiosk_id": "kiosk-1", "visits": n // 3})
        for kind_index, count in Counter(rng.choices(range(len(kinds)), weights, k=n)).items():
            topic, language, read_aloud, large, contrast = kinds[kind_index]
            views.append(
                {
                    "day": day,
                    "hour": hour,
                    "kiosk_id": "kiosk-1",
                    "topic_id": topic,
                    "language": language,
                    "read_aloud": read_aloud,
                    "large_text": large,
                    "high_contrast": contrast,
                    "views": count,
                    "seconds_total": count * seconds_per_view[topic],
                }
            )
        for kind in (Interaction.GLOSSARY_OPENED, Interaction.READ_ALOUD_STARTED):
            interactions.append(
                {
                    "day": day,
                    "hour": hour,
                    "kiosk_id": "kiosk-1",
                    "kind": kind.value,
                    "topic_id": TOPICS[0],
                    "language": "en",
                    "count": n // 10,
                }
            )
    with engine.begin() as connection:
        connection.execute(insert(topic_view_counts), views)
        connection.execute(insert(visit_counts), visits)
        connection.execute(insert(interaction_counts), interactions)
    return len(views)


def _cold_ms(engine: Engine, span: DateRange) -> float:
    """A refresh with nothing cached in memory yet (the first one after start-up)."""
    Statistics(engine).dashboard(span)  # the OS page cache is warm on a running kiosk
    times = []
    for _ in range(REPEATS):
        fresh = Statistics(engine)
        started = time.perf_counter()
        figures = fresh.dashboard(span)
        times.append((time.perf_counter() - started) * 1000)
    if span.days == DAYS:
        assert figures.totals.views == VIEWS
    return round(statistics.median(times), 1)


def _median_ms(stats: Statistics, span: DateRange) -> float:
    """A refresh as staff see it after the first: past days come from memory."""
    stats.dashboard(span)
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        stats.dashboard(span)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def _stall(stats: Statistics) -> tuple[float, int]:
    """The longest gap between 5 ms timer ticks while the real dashboard refreshes 6 times."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.common.tasks import TaskRunner
    from ui.staff.dashboard import DashboardView

    _app = QApplication.instance() or QApplication([])
    tasks = TaskRunner()
    view = DashboardView(stats, tasks, _LastDayClock())
    view.resize(1600, 900)
    view.show()
    _run_until(lambda: False, 200)  # let the first layout and paint settle
    elapsed = QElapsedTimer()
    gaps: list[int] = []
    measuring = [False]
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(TICK_MS)

    def tick() -> None:
        gap = elapsed.restart()
        if measuring[0]:
            gaps.append(gap)

    ticker.timeout.connect(tick)
    shown: list[object] = []
    view.figures_shown.connect(shown.append)

    def measured(choose: Callable[[], None]) -> None:
        """From the tap that asks for figures until they are drawn and painted."""
        before = len(shown)
        _run_until(lambda: False, 2 * TICK_MS)
        measuring[0] = True
        choose()
        _run_until(lambda: len(shown) > before, 30_000)
        _run_until(lambda: False, 100)  # and the paints that follow
        measuring[0] = False

    full_collections = [0]

    def count_collections(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2 and measuring[0]:
            full_collections[0] += 1

    gc.callbacks.append(count_collections)
    gc.collect()  # start from a clean heap: the bench's own set-up is not the kiosk's
    elapsed.start()
    ticker.start()
    for key in ("month", "week", "today", "month", "week", "month"):
        measured(lambda key=key: view.range.choose(key))
    # The full year through the custom dates. Opening that panel re-lays out the page once;
    # that is a tap of its own, not part of a refresh.
    view.range.custom_button.click()
    _run_until(lambda: False, 200)
    view.range.start.set_value(LAST_DAY - timedelta(days=DAYS - 1))
    view.range.end.set_value(LAST_DAY)
    for _ in range(3):
        measured(view.range.apply_button.click)
    ticker.stop()
    gc.callbacks.remove(count_collections)
    tasks.wait()
    view.close()
    view.deleteLater()
    return float(max(gaps, default=0)), full_collections[0]


def _export_stall(stats: Statistics, folder: Path) -> float:
    """The longest gap between 5 ms ticks while the export panel writes a year as XLSX."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.settings import Settings
    from kiosk.stats.export import ExportFolder
    from ui.common.tasks import TaskRunner
    from ui.staff.export_panel import ExportPanel

    _app = QApplication.instance() or QApplication([])
    tasks = TaskRunner()
    panel = ExportPanel(
        stats,
        tasks,
        Settings(),
        _LastDayClock(),
        list_folders=lambda: [ExportFolder(folder, "bench", False)],
    )
    panel.show()
    listed: list[object] = []
    panel.folders_listed.connect(listed.append)
    panel.refresh_folders()
    _run_until(lambda: bool(listed), 10_000)
    panel.formats[ExportFormat.XLSX].setChecked(True)
    panel.range.choose_dates(LAST_DAY - timedelta(days=DAYS - 1), LAST_DAY)
    _run_until(lambda: False, 100)
    finished: list[object] = []
    panel.export_finished.connect(finished.append)
    panel.export_failed.connect(finished.append)
    elapsed = QElapsedTimer()
    gaps: list[int] = []
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(TICK_MS)
    ticker.timeout.connect(lambda: gaps.append(elapsed.restart()))
    gc.collect()  # start from a clean heap: the bench's own set-up is not the kiosk's
    elapsed.start()
    ticker.start()
    panel.start_export()
    _run_until(lambda: bool(finished), 60_000)
    _run_until(lambda: False, 50)
    ticker.stop()
    tasks.wait()
    panel.close()
    panel.deleteLater()
    if not finished or not hasattr(finished[0], "rows"):
        raise RuntimeError(f"the benchmark export failed: {finished}")
    return float(max(gaps, default=0))


def _run_until(condition: Callable[[], bool], timeout_ms: int) -> None:
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop

    clock = QElapsedTimer()
    clock.start()
    while not condition() and clock.elapsed() < timeout_ms:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def _seconds(started: float) -> float:
    return round(time.perf_counter() - started, 2)


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name}: {value} {unit}")
