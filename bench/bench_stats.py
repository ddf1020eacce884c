"""Statistics benchmarks: the dashboard at 10k, 1M and 10M views, exports, GUI-thread costs.

`run()` returns (name, value, unit, goal) rows for bench/__main__. Views are a count, spread
over a year of hourly counters as a busy kiosk would write them: 365 days, opening hours
8-18, 13 topics, 2 languages, the three mode flags, busier middays and weekdays. Each scale
prints how many hourly topic-view counter rows its views make. The counters are written
through the store's own write path (commit_counters, in batches, rollups included), and the
1M views once more event by event through the real view-log writer, which must give the
very same database.

Goals (issue 16): a dashboard refresh <= 100 ms, first and later, at any scale up to 10M
views; a year's CSV export <= 5 s; GUI-thread stalls < 50 ms. A refresh is timed twice: the
exact figures from the rollups, and the figures as staff see them under the exports'
small-count rule (kiosk/stats/onscreen.py), whose first pass over a year perturbs every
atom; the staff area does that in the background while the PIN is typed, so the first
refresh staff wait for is the one "after the prefetch" (the cold one is printed too).

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
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from kiosk.clock import SystemClock
from kiosk.stats.export_process import export_in_child
from kiosk.stats.hourly import HourlyStatistics
from kiosk.stats.kinds import ExportFormat, Grouping
from kiosk.stats.onscreen import DashboardFigures
from kiosk.stats.queries import DateRange, Statistics
from kiosk.viewlog.counters import InteractionKey, ViewKey, VisitKey
from kiosk.viewlog.events import (
    HourBucket,
    Interaction,
    InteractionHappened,
    TopicViewed,
    VisitStarted,
)
from kiosk.viewlog.schema import (
    interaction_counts,
    interaction_days,
    topic_view_counts,
    topic_view_days,
    view_hour_totals,
    visit_counts,
)
from kiosk.viewlog.store import commit_counters, create_database_engine, open_database

SCALES = (10_000, 1_000_000, 10_000_000)
DAYS = 365
LAST_DAY = date(2026, 11, 20)
HOURS = range(8, 19)
TOPICS = [f"topic-{n:02d}" for n in range(13)]
KIOSK = "kiosk-1"
REPEATS = 5
TICK_MS = 5
BATCH_ROWS = 20_000
LOGGED_VIEWS = 20_000
REFRESH_GOAL = "<= 100 ms"
REFRESH_GOAL_MS = 100.0
THRESHOLD = 11  # staff.small_count_threshold's default

Row = tuple[str, float, str, str]
Counts = dict[ViewKey, list[int]]


class _LastDayClock(SystemClock):
    """The system clock, but on the last day the generated counters cover."""

    def now(self) -> datetime:
        return datetime.combine(LAST_DAY, datetime.now().time())


def run() -> list[Row]:
    results: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-stats-") as folder:
        root = Path(folder)
        results.extend(_logging_cost(f"sqlite:///{root / 'logging.db'}"))
        year = DateRange(LAST_DAY - timedelta(days=DAYS - 1), LAST_DAY)
        month = DateRange.last_days(LAST_DAY, 30)
        refreshes: list[float] = []
        for views in SCALES:
            label = _views_label(views)
            url = f"sqlite:///{root / f'kiosk-{label}.db'}"
            engine, _ = open_database(url, datetime.now())
            rng = random.Random(2026)
            counts = spread(views, rng)
            started = time.perf_counter()
            write_in_batches(engine, counts)
            rows = _count(engine, topic_view_counts)
            results.append((f"stats: {label} views over a year make", rows, "counter rows", "-"))
            results.append(
                (
                    f"stats: {label} views: rollup rows (days, hours, interactions)",
                    sum(
                        _count(engine, t)
                        for t in (topic_view_days, view_hour_totals, interaction_days)
                    ),
                    "rows",
                    "-",
                )
            )
            results.append(
                (f"stats: {label} views: writing them in batches", _seconds(started), "s", "-")
            )
            if views == 1_000_000:
                results.extend(_through_the_writer(root, counts, engine))
            # The generated counters are garbage a running kiosk does not hold: left alive,
            # their million tracked objects make every full collection take 0.1 s.
            del counts
            gc.collect()
            spans = [("full year", year)] + (
                [("last 30 days", month)] if views == 1_000_000 else []
            )
            for name, span in spans:
                first = _first_ms(url, span, views if span is year else None)
                later = _later_ms(Statistics(engine).dashboard, span)
                refreshes.extend((first, later))
                results.append(
                    (
                        f"stats: {label} views: first dashboard refresh, {name} (median)",
                        first,
                        "ms",
                        REFRESH_GOAL,
                    )
                )
                results.append(
                    (
                        f"stats: {label} views: later dashboard refresh, {name} (median)",
                        later,
                        "ms",
                        REFRESH_GOAL,
                    )
                )
            # What staff see: the same figures under the exports' small-count rule
            # (kiosk/stats/onscreen.py), noise and suppression included.
            cold_shown = _first_ms(url, year, None, shown=True)
            first_shown = _first_ms(url, year, None, shown=True, prefetched=True)
            later_shown = _later_ms(DashboardFigures(Statistics(engine), THRESHOLD).shown, year)
            refreshes.extend((first_shown, later_shown))
            for when, value in (
                ("first (cold: nothing prefetched)", cold_shown),
                # DashboardFigures.prefetch: the last 366 days' atoms read and perturbed
                # (their HMACs); no figure of any range is computed ahead.
                ("first (after the prefetch of a year's noisy atoms)", first_shown),
                ("later", later_shown),
            ):
                results.append(
                    (
                        f"stats: {label} views: {when} refresh as shown (small-count rule), "
                        "full year",
                        value,
                        "ms",
                        REFRESH_GOAL,
                    )
                )
            # What the same refresh cost before the rollups: every hourly counter summed.
            results.append(
                (
                    f"stats: {label} views: first refresh, full year, from the hourly counters",
                    _first_ms(url, year, views, hourly=True),
                    "ms",
                    "-",
                )
            )
            if views == 1_000_000:
                results.extend(_exports_and_stalls(Statistics(engine), root, year))
            engine.dispose()
        worst = max(refreshes)
        results.append(
            (
                "stats: slowest dashboard refresh staff wait for, at any scale "
                f"({'met' if worst <= REFRESH_GOAL_MS else 'NOT met'})",
                worst,
                "ms",
                REFRESH_GOAL,
            )
        )
    return results


def _views_label(views: int) -> str:
    return f"{views // 1_000_000}M" if views >= 1_000_000 else f"{views // 1000}k"


def _kinds() -> tuple[list[tuple[str, str, bool, bool, bool]], list[float]]:
    """Each view's topic, language and flags: 13 * 2 * 8 kinds, some much likelier."""
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
    return kinds, weights


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """`total` split by `weights`: whole shares, the rest drawn at random (exact total)."""
    whole = sum(weights)
    parts = [int(total * w / whole) for w in weights]
    for index, n in Counter(
        rng.choices(range(len(weights)), weights, k=total - sum(parts))
    ).items():
        parts[index] += n
    return parts


def spread(views: int, rng: random.Random) -> Counts:
    """Exactly `views` views over a year of hourly topic-view counters (views, seconds)."""
    kinds, weights = _kinds()
    buckets = [
        (LAST_DAY - timedelta(days=offset), hour) for offset in range(DAYS) for hour in HOURS
    ]
    # Busier middays and weekdays, so the hour-of-day chart has a shape.
    busyness = [
        (1.5 if 11 <= hour <= 14 else 1.0) * (0.4 if day.weekday() >= 5 else 1.0)
        for day, hour in buckets
    ]
    seconds_per_view = {topic: 30 + 20 * (n % 7) for n, topic in enumerate(TOPICS)}
    counts: Counts = {}
    for (day, hour), n in zip(buckets, _split(views, busyness, rng), strict=True):
        for (topic, language, *flags), count in zip(kinds, _split(n, weights, rng), strict=True):
            if count:
                key = ViewKey(day, hour, KIOSK, topic, language, *flags)
                counts[key] = [count, count * seconds_per_view[topic]]
    return counts


def _visits_and_uses(views: Counts) -> tuple[dict[VisitKey, int], dict[InteractionKey, int]]:
    """A visit per three views of an hour, a glossary and a read-aloud use per ten."""
    per_hour: dict[VisitKey, int] = Counter()
    for key, (n, _seconds) in views.items():
        per_hour[VisitKey(key.day, key.hour, key.kiosk_id)] += n
    visits = {key: n // 3 for key, n in per_hour.items() if n // 3}
    uses = {
        InteractionKey(key.day, key.hour, key.kiosk_id, kind.value, TOPICS[0], "en"): n // 10
        for key, n in per_hour.items()
        if n // 10
        for kind in (Interaction.GLOSSARY_OPENED, Interaction.READ_ALOUD_STARTED)
    }
    return visits, uses


def _by_day(views: Counts) -> Iterator[Counts]:
    day: date | None = None
    batch: Counts = {}
    for key, amounts in views.items():
        if key.day != day and batch:
            yield batch
            batch = {}
        day = key.day
        batch[key] = amounts
    if batch:
        yield batch


def write_in_batches(engine: Engine, views: Counts) -> None:
    """Through the store's own upsert path (hourly counters and rollups), whole days at a
    time, about BATCH_ROWS counters a batch."""
    batch: Counts = {}
    for day in _by_day(views):
        batch.update(day)
        if len(batch) >= BATCH_ROWS:
            visits, uses = _visits_and_uses(batch)
            commit_counters(engine, visits, batch, uses)
            batch = {}
    if batch:
        visits, uses = _visits_and_uses(batch)
        commit_counters(engine, visits, batch, uses)


def _events(views: Counts) -> Iterator[Any]:
    """The views (and their visits and interactions) as the kiosk records them, one by one."""
    visits, uses = _visits_and_uses(views)
    for key, (n, seconds) in views.items():
        when = HourBucket(key.day, key.hour)
        each, extra = divmod(seconds, n)
        for index in range(n):
            yield TopicViewed(
                when,
                key.topic_id,
                key.language,
                each + (index < extra),
                key.read_aloud,
                key.large_text,
                key.high_contrast,
            )
    for visit, n in visits.items():
        for _ in range(n):
            yield VisitStarted(HourBucket(visit.day, visit.hour))
    for use, n in uses.items():
        for _ in range(n):
            yield InteractionHappened(
                HourBucket(use.day, use.hour), Interaction(use.kind), use.topic_id, use.language
            )


def _through_the_writer(root: Path, views: Counts, bulk: Engine) -> list[Row]:
    """The 1M views again, every event through ViewLog.record and its writer thread."""
    from kiosk.viewlog.writer import ViewLog

    url = f"sqlite:///{root / 'kiosk-writer.db'}"
    log = ViewLog(url, KIOSK, SystemClock())
    log.start()
    started = time.perf_counter()
    events = 0
    # A flush per day: the writer holds at most 20,000 counters while it waits to write.
    for day in _by_day(views):
        for event in _events(day):
            log.record(event)
            events += 1
        if not log.flush(timeout=60):
            raise RuntimeError(f"the view-log writer did not write: {log.status.problem}")
    log.close()
    seconds = _seconds(started)
    engine = create_database_engine(url)
    try:
        rows = _count(engine, topic_view_counts)
        same = all(
            _table(engine, table) == _table(bulk, table)
            for table in (
                topic_view_counts,
                visit_counts,
                interaction_counts,
                topic_view_days,
                view_hour_totals,
                interaction_days,
            )
        )
    finally:
        engine.dispose()
    if not same:
        raise RuntimeError("the view-log writer and the batches wrote different counters")
    return [
        ("stats: events recorded through the view-log writer", events, "events", "-"),
        (
            "stats: 1M views through the view-log writer make (same database)",
            rows,
            "counter rows",
            "-",
        ),
        ("stats: writing them through the writer", seconds, "s", "-"),
    ]


def _table(engine: Engine, table: Any) -> list[Any]:
    with engine.connect() as connection:
        return [
            tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key))
        ]


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _first_ms(
    url: str,
    span: DateRange,
    views: int | None,
    hourly: bool = False,
    shown: bool = False,
    prefetched: bool = False,
) -> float:
    """A refresh as the first after start-up: a new connection, nothing in memory yet.

    The OS page cache is warm, as on a running kiosk (the view-log writer keeps using it).
    """
    kind = HourlyStatistics if hourly else Statistics
    times = []
    for _ in range(REPEATS + 1):
        engine = create_database_engine(url)
        try:
            source = DashboardFigures(kind(engine), THRESHOLD)
            if prefetched:  # as the staff area does while the PIN is typed
                source.prefetch(span.end)
            started = time.perf_counter()
            if shown:
                source.shown(span)
            else:
                figures = kind(engine).dashboard(span)
            times.append((time.perf_counter() - started) * 1000)
        finally:
            engine.dispose()
        if views is not None and figures.totals.views != views:
            raise RuntimeError(f"the dashboard counted {figures.totals.views} of {views} views")
    return round(statistics.median(times[1:]), 1)


def _later_ms(refresh: Callable[[DateRange], object], span: DateRange) -> float:
    """A refresh as staff see it after the first."""
    refresh(span)
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        refresh(span)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def _logging_cost(url: str) -> list[Row]:
    """GUI-thread time per logged view: the visit tracker's work and the queue put, while
    the writer thread folds and commits the same events beside it (as in the kiosk)."""
    from kiosk.viewlog.writer import ViewLog
    from kiosk.visit import Preferences, VisitTracker

    log = ViewLog(url, KIOSK, SystemClock())
    log.start()
    log.flush()  # the database opened and migrated, as once the kiosk is up
    tracker = VisitTracker(log, SystemClock())
    preferences = [Preferences("en"), Preferences("es", large_text=True)]
    gc.collect()
    started = time.perf_counter()
    for n in range(LOGGED_VIEWS):
        if n % 4 == 0:
            tracker.visit_started()
        # Showing a topic records the one shown before it.
        tracker.topic_shown(TOPICS[n % len(TOPICS)], preferences[n % 2])
    tracker.topic_left()
    per_view = (time.perf_counter() - started) / LOGGED_VIEWS * 1e6
    bucket = HourBucket.of(datetime.now())
    event = TopicViewed(bucket, TOPICS[0], "en", 30)
    started = time.perf_counter()
    for _ in range(LOGGED_VIEWS):
        log.record(event)
    put_only = (time.perf_counter() - started) / LOGGED_VIEWS * 1e6
    log.close()
    return [
        (
            "stats: GUI-thread time per logged view, visit tracker and queue put",
            per_view,
            "µs",
            "-",
        ),
        ("stats: of which the queue put alone", put_only, "µs", "-"),
    ]


def _exports_and_stalls(stats: Statistics, root: Path, year: DateRange) -> list[Row]:
    results: list[Row] = []
    # As the kiosk's export panel does it: in a child process, start-up included.
    for fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        started = time.perf_counter()
        output = root / f"year.{fmt}"
        result = export_in_child(stats.url, year, Grouping.DAY, fmt, output, 11)
        results.append(
            (
                f"stats: {fmt.name} export of the year by day (1M views), checked",
                _seconds(started),
                "s",
                "<= 5 s" if fmt is ExportFormat.CSV else "-",
            )
        )
    results.append(("stats: rows in those exports", result.rows, "rows", "-"))
    results.append(
        (
            "stats: longest GUI-thread stall during an XLSX export from the export panel",
            _export_stall(stats, root),
            "ms",
            "< 50 ms",
        )
    )
    stall, collections = _stall(stats)
    results.append(
        ("stats: longest GUI-thread stall during dashboard refreshes", stall, "ms", "< 50 ms")
    )
    # Python's full collections pause every thread; they come from the whole process.
    results.append(
        ("stats: full garbage collections during those refreshes", collections, "count", "-")
    )
    return results


def _stall(stats: Statistics) -> tuple[float, int]:
    """The longest gap between 5 ms timer ticks while the real dashboard refreshes 6 times."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.common.tasks import TaskRunner
    from ui.staff.dashboard import DashboardView

    _app = QApplication.instance() or QApplication([])
    tasks = TaskRunner()
    view = DashboardView(DashboardFigures(stats, THRESHOLD), tasks, _LastDayClock())
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
    for name, value, unit, goal in run():
        print(f"{name}: {value} {unit} (goal: {goal})")
