"""Dashboard figures equal figures computed independently, in plain Python, from the stored rows."""

from __future__ import annotations

import io
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.cli import parse, run_command
from kiosk.clock import ManualClock
from kiosk.stats import commands as stats_commands
from kiosk.stats.hourly import HourlyStatistics
from kiosk.stats.kinds import Grouping
from kiosk.stats.queries import DateRange, Statistics, periods
from kiosk.viewlog.events import HourBucket, Interaction, InteractionHappened, TopicViewed
from kiosk.viewlog.store import open_database
from kiosk.viewlog.writer import ViewLog
from tests.helpers.counters import store_rows

KEY_FIELDS = (
    "day",
    "hour",
    "kiosk_id",
    "topic_id",
    "language",
    "read_aloud",
    "large_text",
    "high_contrast",
)
TOPICS = ("what-is-ketamine", "side-effects", "after-infusion", "cost-and-insurance")
START = date(2026, 10, 1)


@dataclass(frozen=True)
class Seed:
    views: list[dict[str, object]]
    visits: list[dict[str, object]]
    interactions: list[dict[str, object]]


def seed_rows(rng: random.Random, days: int = 45) -> Seed:
    views: dict[tuple[object, ...], dict[str, object]] = {}
    visits: list[dict[str, object]] = []
    interactions: list[dict[str, object]] = []
    for offset in range(days):
        day = START + timedelta(days=offset)
        for hour in rng.sample(range(7, 20), 5):
            for kiosk in ("kiosk-1", "kiosk-2"):
                visits.append(
                    {"day": day, "hour": hour, "kiosk_id": kiosk, "visits": rng.randint(0, 9)}
                )
                for _ in range(rng.randint(0, 6)):
                    key = (
                        day,
                        hour,
                        kiosk,
                        rng.choice(TOPICS),
                        rng.choice(("en", "es")),
                        rng.random() < 0.2,
                        rng.random() < 0.1,
                        rng.random() < 0.1,
                    )
                    row = dict(
                        zip(
                            (
                                "day",
                                "hour",
                                "kiosk_id",
                                "topic_id",
                                "language",
                                "read_aloud",
                                "large_text",
                                "high_contrast",
                            ),
                            key,
                            strict=True,
                        )
                    )
                    n = rng.randint(1, 12)
                    row["views"] = n
                    row["seconds_total"] = n * rng.randint(5, 300)
                    views[key] = row
                interactions.append(
                    {
                        "day": day,
                        "hour": hour,
                        "kiosk_id": kiosk,
                        "kind": rng.choice(list(Interaction)).value,
                        "topic_id": rng.choice(TOPICS),
                        "language": "en",
                        "count": rng.randint(1, 4),
                    }
                )
    unique_interactions = {
        tuple(r[k] for k in ("day", "hour", "kiosk_id", "kind", "topic_id", "language")): r
        for r in interactions
    }
    return Seed(list(views.values()), visits, list(unique_interactions.values()))


def store_seed(engine: Engine, seed: Seed) -> None:
    store_rows(engine, seed.views, seed.visits, seed.interactions)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    url = f"sqlite:///{tmp_path / 'kiosk.db'}"
    engine, moved = open_database(url, datetime(2026, 11, 20, 9))
    assert moved is None
    yield url, engine
    engine.dispose()


# The rollups (what the kiosk reads) and the hourly counters (the central database, and the
# reference tests/test_rollup.py compares the rollups with) both equal the independent sums.
@pytest.fixture(params=[Statistics, HourlyStatistics], ids=["rollups", "hourly"])
def seeded(
    database: tuple[str, Engine], request: pytest.FixtureRequest
) -> Iterator[tuple[Statistics, Seed]]:
    _url, engine = database
    seed = seed_rows(random.Random(20261120))
    store_seed(engine, seed)
    yield request.param(engine), seed


def _in(row: dict[str, object], span: DateRange) -> bool:
    day = row["day"]
    assert isinstance(day, date)
    return span.start <= day <= span.end


def _sum(rows: list[dict[str, object]], field: str) -> int:
    return sum(int(r[field]) for r in rows)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    "span",
    [
        DateRange(date(2026, 10, 1), date(2026, 11, 14)),
        DateRange(date(2026, 10, 10), date(2026, 10, 16)),
        DateRange(date(2026, 10, 20), date(2026, 10, 20)),
    ],
)
def test_dashboard_matches_independent_sums(
    seeded: tuple[Statistics, Seed], span: DateRange
) -> None:
    statistics, seed = seeded
    views = [r for r in seed.views if _in(r, span)]
    visits = [r for r in seed.visits if _in(r, span)]
    interactions = [r for r in seed.interactions if _in(r, span)]
    figures = statistics.dashboard(span)

    assert figures.visits == _sum(visits, "visits")
    assert figures.totals.views == _sum(views, "views")
    assert figures.totals.seconds_total == _sum(views, "seconds_total")
    assert figures.totals.read_aloud == _sum([r for r in views if r["read_aloud"]], "views")
    assert figures.totals.large_text == _sum([r for r in views if r["large_text"]], "views")
    assert figures.totals.high_contrast == _sum([r for r in views if r["high_contrast"]], "views")
    either = [r for r in views if r["large_text"] or r["high_contrast"]]
    assert figures.totals.accessibility == _sum(either, "views")

    for topic in figures.topics:
        mine = [r for r in views if r["topic_id"] == topic.topic_id]
        assert topic.totals.views == _sum(mine, "views")
        expected_average = _sum(mine, "seconds_total") / _sum(mine, "views")
        assert topic.totals.average_seconds == pytest.approx(expected_average)
    assert {t.topic_id for t in figures.topics} == {r["topic_id"] for r in views}
    counts = [t.totals.views for t in figures.topics]
    assert counts == sorted(counts, reverse=True)

    per_day: Counter[object] = Counter()
    visits_per_day: Counter[object] = Counter()
    for r in views:
        per_day[r["day"]] += int(r["views"])  # type: ignore[call-overload]
    for r in visits:
        visits_per_day[r["day"]] += int(r["visits"])  # type: ignore[call-overload]
    assert [d.day for d in figures.days] == list(span.each_day())
    assert [d.views for d in figures.days] == [per_day[d] for d in span.each_day()]
    assert [d.visits for d in figures.days] == [visits_per_day[d] for d in span.each_day()]

    per_hour: Counter[object] = Counter()
    for r in views:
        per_hour[r["hour"]] += int(r["views"])  # type: ignore[call-overload]
    assert list(figures.views_by_hour) == [per_hour[h] for h in range(24)]

    languages: Counter[object] = Counter()
    for r in views:
        languages[r["language"]] += int(r["views"])  # type: ignore[call-overload]
    assert {s.name: s.count for s in figures.languages} == dict(languages)

    kinds: Counter[object] = Counter()
    for r in interactions:
        kinds[r["kind"]] += int(r["count"])  # type: ignore[call-overload]
    assert {s.name: s.count for s in figures.interactions} == dict(kinds)


def test_later_writes_to_past_days_are_counted(
    seeded: tuple[Statistics, Seed], database: tuple[str, Engine]
) -> None:
    # Counters that grow after a first refresh (a late flush after an outage) are counted,
    # whether a counter is new or an existing one grows.
    statistics, seed = seeded
    _, engine = database
    span = DateRange(date(2026, 10, 1), date(2026, 11, 14))
    before = statistics.dashboard(span)
    before_rows = statistics.topic_periods(span, Grouping.MONTH)  # atoms kept in memory
    assert sum(r.totals.views for r in before_rows) == before.totals.views
    existing = seed.views[0]
    store_rows(
        engine,
        [
            {**existing, "views": 2, "seconds_total": 0},
            {**existing, "kiosk_id": "kiosk-9", "topic_id": "brand-new", "views": 5},
        ],
    )
    after = statistics.dashboard(span)
    assert after.totals.views == before.totals.views + 7
    assert {t.topic_id: t.totals.views for t in after.topics}["brand-new"] == 5
    fresh = type(statistics)(engine).dashboard(span)
    assert after == fresh
    rows = statistics.topic_periods(span, Grouping.MONTH)
    assert sum(r.totals.views for r in rows) == after.totals.views


def test_empty_range_gives_zeros(seeded: tuple[Statistics, Seed]) -> None:
    statistics, _ = seeded
    figures = statistics.dashboard(DateRange(date(2025, 1, 1), date(2025, 1, 3)))
    assert figures.visits == 0
    assert figures.totals.views == 0
    assert figures.topics == ()
    assert [d.views for d in figures.days] == [0, 0, 0]
    assert figures.totals.average_seconds == 0.0


def test_recorded_days(seeded: tuple[Statistics, Seed], database: tuple[str, Engine]) -> None:
    statistics, seed = seeded
    days = [r["day"] for r in seed.views + seed.visits]
    assert statistics.recorded_days() == DateRange(min(days), max(days))  # type: ignore[type-var]


def test_topic_periods_match_independent_sums(seeded: tuple[Statistics, Seed]) -> None:
    statistics, seed = seeded
    span = DateRange(date(2026, 10, 3), date(2026, 11, 10))
    for by in Grouping:
        rows = statistics.topic_periods(span, by)
        groups = periods(span, by)
        topics = sorted({str(r["topic_id"]) for r in seed.views if _in(r, span)})
        assert len(rows) == len(groups) * len(topics)
        for row in rows:
            mine = [
                r
                for r in seed.views
                if r["topic_id"] == row.topic_id
                and _in(r, DateRange(row.period.start, row.period.end))
            ]
            assert row.totals.views == _sum(mine, "views")
            assert row.totals.read_aloud == _sum([r for r in mine if r["read_aloud"]], "views")
            assert row.totals.seconds_total == _sum(mine, "seconds_total")


def test_periods_cut_weeks_and_months_at_the_range() -> None:
    span = DateRange(date(2026, 12, 30), date(2027, 2, 2))
    weeks = periods(span, Grouping.WEEK)
    assert weeks[0].label == "2026-W53"
    assert (weeks[0].start, weeks[0].end) == (date(2026, 12, 30), date(2027, 1, 3))
    assert weeks[1].label == "2027-W01"
    assert weeks[-1].end == date(2027, 2, 2)
    months = periods(span, Grouping.MONTH)
    assert [m.label for m in months] == ["2026-12", "2027-01", "2027-02"]
    assert (months[1].start, months[1].end) == (date(2027, 1, 1), date(2027, 1, 31))
    days = periods(span, Grouping.DAY)
    assert len(days) == span.days == 35
    # Together the periods cover the range exactly once.
    for grouping in (weeks, months, days):
        covered = sum((p.end - p.start).days + 1 for p in grouping)
        assert covered == span.days


def test_a_backwards_range_is_refused() -> None:
    with pytest.raises(ValueError, match="after"):
        DateRange(date(2026, 11, 2), date(2026, 11, 1))


def test_events_written_by_the_view_log_are_counted(database: tuple[str, Engine]) -> None:
    url, engine = database
    clock = ManualClock(datetime(2026, 11, 20, 14, 5))
    log = ViewLog(url, "kiosk-1", clock, strict=True)
    when = HourBucket.of(clock.now())
    log.record(TopicViewed(when, "side-effects", "es", 40, read_aloud=True))
    log.record(TopicViewed(when, "side-effects", "es", 20, high_contrast=True))
    log.record(TopicViewed(when, "what-is-ketamine", "en", 30, large_text=True))
    log.record(InteractionHappened(when, Interaction.GLOSSARY_OPENED, "side-effects", "es"))
    assert log.flush()
    log.close()
    figures = Statistics(engine).dashboard(DateRange.last_days(clock.now().date(), 7))
    assert figures.totals.views == 3
    assert figures.views_by_hour[14] == 3
    assert figures.totals.read_aloud == 1
    assert figures.totals.accessibility == 2
    top = figures.topics[0]
    assert (top.topic_id, top.totals.views, top.totals.average_seconds) == ("side-effects", 2, 30)
    assert [(s.name, s.count) for s in figures.languages] == [("es", 2), ("en", 1)]
    assert [(s.name, s.count) for s in figures.interactions] == [("glossary-opened", 1)]


# --- `stats summary` ---


def _summary(argv: list[str]) -> tuple[int, str]:
    args, _ = parse(["stats", "summary", *argv], [stats_commands.register])
    out = io.StringIO()
    return run_command(args, out), out.getvalue()


def test_summary_prints_an_aligned_table(
    seeded: tuple[Statistics, Seed], database: tuple[str, Engine]
) -> None:
    url, _ = database
    _statistics, seed = seeded
    code, text = _summary(["--database", url, "--from", "2026-10-01", "--to", "2026-10-31"])
    assert code == 0
    span = DateRange(date(2026, 10, 1), date(2026, 10, 31))
    views = [r for r in seed.views if _in(r, span)]
    lines = text.splitlines()
    assert lines[0] == "Views per topic, 2026-10-01 to 2026-10-31"
    header = next(line for line in lines if line.startswith("Topic"))
    views_end = header.index("Views") + len("Views")
    for topic in TOPICS:
        line = next(line for line in lines if line.startswith(topic + " "))
        # Right-aligned under the "Views" heading, and equal to the independent sum.
        assert line[:views_end].split()[-1] == str(
            _sum([r for r in views if r["topic_id"] == topic], "views")
        )
    total = next(line for line in lines if line.startswith("All topics"))
    assert total[:views_end].split()[-1] == str(_sum(views, "views"))
    assert f"Visits: {_sum([r for r in seed.visits if _in(r, span)], 'visits')}" in lines


def test_summary_defaults_to_everything_recorded(
    seeded: tuple[Statistics, Seed], database: tuple[str, Engine]
) -> None:
    url, _ = database
    code, text = _summary(["--database", url])
    assert code == 0
    assert text.startswith("Views per topic, 2026-10-01 to 2026-11-14")


def test_summary_of_an_empty_log(database: tuple[str, Engine]) -> None:
    code, text = _summary(["--database", database[0]])
    assert code == 0
    assert "No visits or views" in text


def test_summary_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _summary(["--data-dir", str(tmp_path / "none")])
    assert code == 1
    assert "no view log database" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()  # a summary never creates a database

    code, _ = _summary(["--data-dir", str(tmp_path), "--from", "2026-11-02", "--to", "2026-11-01"])
    assert code == 2
    assert "after" in capsys.readouterr().err

    with pytest.raises(SystemExit) as raised:
        _summary(["--from", "2026-13-01"])
    assert raised.value.code == 2
    assert "is not a date" in capsys.readouterr().err
