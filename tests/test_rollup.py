"""The daily rollups give exactly the figures of the hourly counters, at 10k, 1M and 10M views.

Views are a count, aggregated into counter rows: a dataset is a number of views spread over
hourly counters, written in batches through the store's own write path (commit_counters, as
the view-log writer's batches are), or event by event through the real ViewLog. The hourly
reference (kiosk/stats/hourly.py) is itself checked against plain Python sums in
tests/test_stats.py.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select

from kiosk.clock import ManualClock
from kiosk.stats.export import build_table, statistics_noise
from kiosk.stats.hourly import HourlyStatistics, open_statistics
from kiosk.stats.kinds import Grouping
from kiosk.stats.queries import DateRange, Statistics
from kiosk.viewlog import store
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
)
from kiosk.viewlog.store import commit_counters, open_database
from kiosk.viewlog.writer import ViewLog

LAST_DAY = date(2026, 11, 20)
HOURS = range(8, 19)
# (read aloud, large text, high contrast): every flag on and off, and both modes together.
FLAGS = ((False, False, False), (True, False, False), (False, True, False), (True, False, True))
BATCH_ROWS = 20_000


@dataclass(frozen=True)
class Scale:
    """How many views, spread over how many days, topics and languages."""

    views: int
    days: int
    topics: int
    languages: tuple[str, ...]


# The hourly topic-view counter rows each makes (the tests print them): 10k views through the
# writer make 8,591 rows (60 days, 6 topics); 1M views 54,309 (120 days, 6 topics, ~18 views
# a row); 10M views 30,521 (a year, 2 topics, one language: ~330 views a row). Few rows for
# many views keep the suite fast; bench/bench_stats.py times realistic years.
SCALES = {
    "10k": Scale(10_000, 60, 6, ("en", "es")),
    "1M": Scale(1_000_000, 120, 6, ("en", "es")),
    "10M": Scale(10_000_000, 365, 2, ("en",)),
}


def _keys(scale: Scale) -> list[ViewKey]:
    return [
        ViewKey(LAST_DAY - timedelta(days=offset), hour, "kiosk-1", f"topic-{t}", lang, *flags)
        for offset in range(scale.days)
        for hour in HOURS
        for t in range(scale.topics)
        for lang in scale.languages
        for flags in FLAGS
    ]


def spread(scale: Scale, rng: random.Random) -> dict[ViewKey, list[int]]:
    """Exactly `scale.views` views over the hourly counters, unevenly; zero rows left out."""
    keys = _keys(scale)
    weights = [rng.random() ** 3 for _ in keys]
    whole = sum(weights)
    counts = [int(scale.views * w / whole) for w in weights]
    for index in rng.sample(range(len(keys)), scale.views - sum(counts)):
        counts[index] += 1
    return {key: [n, n * rng.randint(5, 600)] for key, n in zip(keys, counts, strict=True) if n > 0}


def write_in_batches(
    engine: Engine, views: dict[ViewKey, list[int]], rng: random.Random
) -> dict[InteractionKey, int]:
    """Through the store's own upsert path, a batch at a time, with visits and interactions."""
    items = list(views.items())
    uses: dict[InteractionKey, int] = {}
    for first in range(0, len(items), BATCH_ROWS):
        batch = dict(items[first : first + BATCH_ROWS])
        visits: dict[VisitKey, int] = {}
        batch_uses: dict[InteractionKey, int] = {}
        for key, (n, _seconds) in batch.items():
            visit = VisitKey(key.day, key.hour, key.kiosk_id)
            visits[visit] = visits.get(visit, 0) + max(1, n // 3)
            kind = rng.choice(list(Interaction)).value
            use = InteractionKey(key.day, key.hour, key.kiosk_id, kind, key.topic_id, key.language)
            batch_uses[use] = batch_uses.get(use, 0) + 1 + n // 10
        commit_counters(engine, visits, batch, batch_uses)
        for use, n in batch_uses.items():
            uses[use] = uses.get(use, 0) + n
    return uses


def write_through_the_view_log(url: str, scale: Scale, rng: random.Random) -> None:
    """Every view as an event, through the real ViewLog and its writer thread."""
    log = ViewLog(url, "kiosk-1", ManualClock(datetime.combine(LAST_DAY, datetime.min.time())))
    log.start()
    keys = _keys(scale)
    for n in range(scale.views):
        key = rng.choice(keys)
        when = HourBucket(key.day, key.hour)
        if n % 3 == 0:
            log.record(VisitStarted(when))
        log.record(
            TopicViewed(
                when,
                key.topic_id,
                key.language,
                rng.randint(5, 600),
                *key[5:],  # the flags
            )
        )
        if n % 7 == 0:
            kind = rng.choice(list(Interaction))
            log.record(InteractionHappened(when, kind, key.topic_id, key.language))
    assert log.flush(timeout=60)
    log.close()


@pytest.fixture(scope="module", params=list(SCALES))
def dataset(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Scale, Engine]]:
    name = request.param
    scale = SCALES[name]
    url = f"sqlite:///{tmp_path_factory.mktemp(f'rollup-{name}') / 'kiosk.db'}"
    engine, _ = open_database(url, datetime(2026, 11, 20, 9))
    rng = random.Random(scale.views)
    if name == "10k":
        write_through_the_view_log(url, scale, rng)
    else:
        write_in_batches(engine, spread(scale, rng), rng)
    yield name, scale, engine
    engine.dispose()


def _spans(scale: Scale) -> list[DateRange]:
    first = LAST_DAY - timedelta(days=scale.days - 1)
    return [
        DateRange(first, LAST_DAY),
        DateRange.last_days(LAST_DAY, 365),
        DateRange.last_days(LAST_DAY, 30),
        DateRange(date(2026, 10, 29), date(2026, 11, 4)),  # a week across a month's end
        DateRange(LAST_DAY, LAST_DAY),
        DateRange(first - timedelta(days=10), first + timedelta(days=2)),  # half before
        DateRange(date(2020, 1, 1), date(2020, 12, 31)),  # nothing recorded
    ]


def _counter_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(topic_view_counts)).scalar_one()
        )


def test_dashboards_equal_the_hourly_counters(dataset: tuple[str, Scale, Engine]) -> None:
    name, scale, engine = dataset
    rows = _counter_rows(engine)
    print(f"{name} views: {rows} hourly topic-view counter rows")
    rolled, hourly = Statistics(engine), HourlyStatistics(engine)
    everything = rolled.dashboard(_spans(scale)[0])
    assert everything.totals.views == scale.views  # not one view lost or counted twice
    for span in _spans(scale):
        assert rolled.dashboard(span) == hourly.dashboard(span), span
    assert rolled.recorded_days() == hourly.recorded_days()


def test_exports_equal_the_hourly_counters(dataset: tuple[str, Scale, Engine]) -> None:
    # The same per-(day, topic) atoms, so the same noise and the same suppression.
    _, scale, engine = dataset
    rolled, hourly = Statistics(engine), HourlyStatistics(engine)
    noise = statistics_noise(rolled)
    for span in _spans(scale)[:4]:
        for by in Grouping:
            for atoms_noise in (None, noise):
                expected = hourly.topic_periods(span, by, atoms_noise)
                assert rolled.topic_periods(span, by, atoms_noise) == expected, (span, by)
            table = build_table(rolled.topic_periods(span, by, noise), span, by, 11, True)
            reference = build_table(hourly.topic_periods(span, by, noise), span, by, 11, True)
            assert table == reference


def test_rollup_tables_hold_a_few_rows_per_day(dataset: tuple[str, Scale, Engine]) -> None:
    # Whatever the number of views: a row per topic and language a day, a row per hour.
    _, scale, engine = dataset
    with engine.connect() as connection:
        counted = {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (topic_view_days, view_hour_totals, interaction_days)
        }
    assert counted["topic_view_days"] <= scale.days * scale.topics * len(scale.languages)
    assert counted["view_hour_totals"] <= scale.days * len(HOURS)
    assert counted["interaction_days"] <= scale.days * len(Interaction)


def _upgrade_to(engine: Engine, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(store.MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_an_upgraded_kiosk_has_exact_rollups_from_the_start(tmp_path: Path) -> None:
    # A kiosk from before the rollups, with counters written as it wrote them (no rollups).
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = store.create_database_engine(url)
    _upgrade_to(engine, "0002")
    rng = random.Random(3)
    views = spread(Scale(50_000, 40, 4, ("en", "es")), rng)
    with engine.begin() as connection:
        connection.execute(
            insert(topic_view_counts),
            [
                {**key._asdict(), "views": n, "seconds_total": seconds}
                for key, (n, seconds) in views.items()
            ],
        )
        uses = {
            InteractionKey(k.day, k.hour, k.kiosk_id, kind, k.topic_id, k.language): 2
            for k in list(views)[:500]
            for kind in ("glossary-opened", "qr-shown")
        }
        connection.execute(
            insert(interaction_counts),
            [{**use._asdict(), "count": n} for use, n in uses.items()],
        )
    # `stats` commands on the old database read its hourly counters.
    assert type(open_statistics(url)) is HourlyStatistics
    before = HourlyStatistics(engine).dashboard(DateRange.last_days(LAST_DAY, 60))
    engine.dispose()
    engine, _ = open_database(url, datetime(2026, 11, 20, 9))  # the new kiosk starts
    assert type(open_statistics(url)) is Statistics
    span = DateRange.last_days(LAST_DAY, 60)
    assert Statistics(engine).dashboard(span) == before
    # ... and it keeps adding to them: old and new counts together, still exact.
    commit_counters(engine, {}, {next(iter(views)): [4, 40]}, {})
    assert Statistics(engine).dashboard(span) == HourlyStatistics(engine).dashboard(span)
    assert Statistics(engine).dashboard(span).totals.views == 50_004
    engine.dispose()


def _full(*_: Any, **__: Any) -> None:
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
    raise error


@pytest.mark.expected_logs("view log cannot write", "view log is writing again")
def test_a_failed_rollup_write_keeps_the_counts_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The disk fills up just as the last rollup is written: the whole batch is rolled back,
    # hourly counters included, kept by the writer and written once when there is room.
    url = f"sqlite:///{tmp_path / 'kiosk.db'}"
    real = store._add_many
    full = [True]

    def add_many(connection: Any, table: Any, rows: Any) -> None:
        if table is interaction_days and full[0]:
            _full()
        real(connection, table, rows)

    monkeypatch.setattr(store, "_add_many", add_many)
    clock = ManualClock(datetime(2026, 11, 20, 9, 30))
    log = ViewLog(url, "kiosk-1", clock)
    when = HourBucket(date(2026, 11, 20), 9)
    log.record(TopicViewed(when, "side-effects", "en", 40, large_text=True))
    log.record(InteractionHappened(when, Interaction.QR_SHOWN, "side-effects", "en"))
    assert not log.flush()
    assert "full" in (log.status.problem or "")
    full[0] = False
    clock.advance(120)  # past the retry back-off
    assert log.flush()
    log.close()
    engine, _ = open_database(url, clock.now())
    span = DateRange(when.day, when.day)
    figures = Statistics(engine).dashboard(span)
    assert figures == HourlyStatistics(engine).dashboard(span)
    assert (figures.totals.views, figures.totals.large_text) == (1, 1)
    assert [(s.name, s.count) for s in figures.interactions] == [("qr-shown", 1)]
    engine.dispose()
