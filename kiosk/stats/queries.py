"""Dashboard and export figures, summed from the view log's hourly counters.

Everything here blocks (it reads the database): the GUI calls it through its TaskRunner.
Results are plain frozen dataclasses, safe to hand from a worker thread to the GUI thread.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from kiosk.stats.kinds import Grouping
from kiosk.stats.noise import AtomNoise
from kiosk.viewlog.schema import (
    STATISTICS_KEY,
    interaction_counts,
    topic_view_counts,
    visit_counts,
)
from kiosk.viewlog.store import create_database_engine, meta_value

HOURS = 24


@dataclass(frozen=True, slots=True)
class DateRange:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"the range starts ({self.start}) after it ends ({self.end})")

    @classmethod
    def last_days(cls, today: date, days: int) -> DateRange:
        return cls(today - timedelta(days=days - 1), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def each_day(self) -> Iterator[date]:
        for offset in range(self.days):
            yield self.start + timedelta(days=offset)

    def __str__(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


@dataclass(frozen=True, slots=True)
class Period:
    """One row group of an export: a day, an ISO week or a month, cut to the range asked for."""

    label: str
    start: date
    end: date


def periods(span: DateRange, by: Grouping) -> list[Period]:
    """The periods covering `span`, in order; partial weeks and months are cut at its edges."""
    result: list[Period] = []
    day = span.start
    while day <= span.end:
        if by is Grouping.DAY:
            label, last = day.isoformat(), day
        elif by is Grouping.WEEK:
            year, week, weekday = day.isocalendar()
            label, last = f"{year}-W{week:02d}", day + timedelta(days=7 - weekday)
        else:
            label = f"{day.year}-{day.month:02d}"
            following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
            last = following - timedelta(days=1)
        last = min(last, span.end)
        result.append(Period(label, day, last))
        day = last + timedelta(days=1)
    return result


@dataclass(frozen=True, slots=True)
class ViewTotals:
    """Views of one topic (or of all topics) with their seconds and mode flags."""

    views: int = 0
    seconds_total: int = 0
    read_aloud: int = 0
    large_text: int = 0
    high_contrast: int = 0
    # Views with large text or high contrast (or both), counted once.
    accessibility: int = 0

    @property
    def average_seconds(self) -> float:
        return self.seconds_total / self.views if self.views else 0.0


@dataclass(frozen=True, slots=True)
class TopicFigures:
    topic_id: str
    totals: ViewTotals


@dataclass(frozen=True, slots=True)
class DayFigures:
    day: date
    views: int
    visits: int


@dataclass(frozen=True, slots=True)
class Share:
    """A named count: a language's views, an interaction kind's uses."""

    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    span: DateRange
    visits: int
    totals: ViewTotals
    topics: tuple[TopicFigures, ...]  # most viewed first
    days: tuple[DayFigures, ...]  # every day of the range, zeros included
    views_by_hour: tuple[int, ...]  # 24 values, hour 0 first
    visits_by_hour: tuple[int, ...]
    languages: tuple[Share, ...]  # most used first
    interactions: tuple[Share, ...]


@dataclass(frozen=True, slots=True)
class TopicPeriodFigures:
    """One export row before suppression: a topic's figures for one period."""

    period: Period
    topic_id: str
    totals: ViewTotals


def _flag_sum(flag: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((flag, topic_view_counts.c.views), else_=0)), 0)


# Sums in their order; kiosk/fleet/reports.py reads them per kiosk as well.
VIEW_SUMS = (
    func.sum(topic_view_counts.c.views),
    func.sum(topic_view_counts.c.seconds_total),
    _flag_sum(topic_view_counts.c.read_aloud),
    _flag_sum(topic_view_counts.c.large_text),
    _flag_sum(topic_view_counts.c.high_contrast),
    _flag_sum(topic_view_counts.c.large_text | topic_view_counts.c.high_contrast),
)


def row_sums(row: Any, first: int) -> Sums:
    return tuple(int(value or 0) for value in row[first : first + 6])  # type: ignore[return-value]


def _add_into(target: list[int], sums: Sums) -> None:
    for index, value in enumerate(sums):
        target[index] += value


# The six sums of ViewTotals as a plain tuple of ints. The per-day cache holds thousands of
# them: tuples and dicts of plain values are untracked by Python's garbage collector, and
# dataclass instances were enough to set off a 60 ms full collection that paused the GUI
# thread too (bench/bench_stats.py).
Sums = tuple[int, int, int, int, int, int]
# Per (topic, language): what one day holds.
DayDetail = dict[tuple[str, str], Sums]
# A day's total views and seconds (to notice changes), and its detail.
_CachedDay = tuple[int, int, DayDetail]


class Statistics:
    """Reads figures from the view-log database; one connection per call (a unit of work).

    Summing a year of counters by topic makes SQLite sort every row (~0.2 s for a million
    views). The per-day sums by topic and language are therefore kept in memory and reused
    while that day's total views and seconds, which every refresh reads anyway in primary
    key order, are unchanged: counters only ever grow, so any new view changes them. Late
    writes (after an outage) and a replaced database are caught the same way.
    Safe to call from several worker threads at once.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._days: dict[date, _CachedDay] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str) -> Statistics:
        return cls(create_database_engine(url))

    @property
    def url(self) -> str:
        """The database URL, for a child process that exports (export_process.py)."""
        return self._engine.url.render_as_string(hide_password=False)

    def dispose(self) -> None:
        self._engine.dispose()

    def recorded_days(self) -> DateRange | None:
        """The first and last day with any views or visits, or None for an empty log."""
        with self._engine.connect() as connection:
            first_view, last_view = connection.execute(
                select(func.min(topic_view_counts.c.day), func.max(topic_view_counts.c.day))
            ).one()
            first_visit, last_visit = connection.execute(
                select(func.min(visit_counts.c.day), func.max(visit_counts.c.day))
            ).one()
        firsts = [d for d in (first_view, first_visit) if d is not None]
        lasts = [d for d in (last_view, last_visit) if d is not None]
        if not firsts:
            return None
        return DateRange(min(firsts), max(lasts))

    def prefetch(self, span: DateRange) -> None:
        """Fill the per-day cache for `span` (ahead of staff asking for a long range)."""
        with self._engine.connect() as connection:
            self._details(connection, _day_and_hour_sums(connection, span)[0])

    def dashboard(self, span: DateRange) -> Dashboard:
        visits = (
            select(visit_counts.c.day, visit_counts.c.hour, func.sum(visit_counts.c.visits))
            .where(visit_counts.c.day >= span.start, visit_counts.c.day <= span.end)
            .group_by(visit_counts.c.day, visit_counts.c.hour)
        )
        interactions = (
            select(interaction_counts.c.kind, func.sum(interaction_counts.c.count))
            .where(interaction_counts.c.day >= span.start, interaction_counts.c.day <= span.end)
            .group_by(interaction_counts.c.kind)
        )
        with self._engine.connect() as connection:
            day_sums, views_by_hour = _day_and_hour_sums(connection, span)
            details = self._details(connection, day_sums)
            visit_rows = connection.execute(visits).all()
            interaction_rows = connection.execute(interactions).all()

        per_topic: dict[str, list[int]] = {}
        per_language: dict[str, int] = defaultdict(int)
        everything = [0] * 6
        for detail in details.values():
            for (topic, language), sums in detail.items():
                topic_sums = per_topic.get(topic)
                if topic_sums is None:
                    topic_sums = per_topic[topic] = [0] * 6
                _add_into(topic_sums, sums)
                _add_into(everything, sums)
                per_language[language] += sums[0]
        visits_per_day: dict[date, int] = defaultdict(int)
        visits_by_hour = [0] * HOURS
        for day, hour, count in visit_rows:
            visits_per_day[day] += int(count)
            visits_by_hour[hour] += int(count)
        return Dashboard(
            span=span,
            visits=sum(visits_by_hour),
            totals=ViewTotals(*everything),
            topics=tuple(
                TopicFigures(topic, ViewTotals(*sums))
                for topic, sums in sorted(per_topic.items(), key=lambda i: (-i[1][0], i[0]))
            ),
            days=tuple(
                DayFigures(day, day_sums.get(day, (0, 0))[0], visits_per_day.get(day, 0))
                for day in span.each_day()
            ),
            views_by_hour=tuple(views_by_hour),
            visits_by_hour=tuple(visits_by_hour),
            languages=_shares(per_language),
            interactions=_shares({kind: int(count) for kind, count in interaction_rows}),
        )

    def topic_periods(
        self, span: DateRange, by: Grouping, noise: AtomNoise | None = None
    ) -> list[TopicPeriodFigures]:
        """Every topic seen in the range, for every period (zeros included), in period order.

        With `noise`, each topic's sums of each day are perturbed before they are added up,
        so that every period and every range is a sum of the same perturbed days.
        """
        with self._engine.connect() as connection:
            details = self._details(connection, _day_and_hour_sums(connection, span)[0])
        atoms = (
            (day, topic, atom if noise is None else noise.perturb(day, topic, atom))
            for day, detail in details.items()
            for topic, atom in _day_atoms(detail).items()
        )
        return sum_periods(span, by, atoms)

    def statistics_key(self) -> bytes | None:
        """The database's secret noise key (kiosk_meta), or None if it has none (yet)."""
        value = meta_value(self._engine, STATISTICS_KEY)
        if value is None:
            return None
        try:
            return bytes.fromhex(value)
        except ValueError:
            return None

    def _details(
        self, connection: Connection, sums: dict[date, tuple[int, int]]
    ) -> dict[date, DayDetail]:
        """Per day, sums by (topic, language), from the cache where the day is unchanged."""
        with self._lock:
            cached = {day: self._days.get(day) for day in sums}
        result: dict[date, DayDetail] = {}
        stale: list[date] = []
        for day, (views, seconds) in sums.items():
            entry = cached[day]
            if entry is not None and entry[:2] == (views, seconds):
                result[day] = entry[2]
            else:
                stale.append(day)
        if not stale:
            return result
        table = topic_view_counts.c
        query = (
            select(table.day, table.topic_id, table.language, *VIEW_SUMS)
            .where(table.day >= min(stale), table.day <= max(stale))
            .group_by(table.day, table.topic_id, table.language)
        )
        fresh: dict[date, DayDetail] = defaultdict(dict)
        for row in connection.execute(query):
            if row[0] in sums:
                fresh[row[0]][(row[1], row[2])] = row_sums(row, 3)
        entries: dict[date, _CachedDay] = {
            day: (
                sum(sums[0] for sums in detail.values()),
                sum(sums[1] for sums in detail.values()),
                detail,
            )
            for day, detail in fresh.items()
        }
        with self._lock:
            self._days.update(entries)
        result.update(fresh)
        return result


def sum_periods(
    span: DateRange, by: Grouping, atoms: Iterable[tuple[date, str, Sums]]
) -> list[TopicPeriodFigures]:
    """(day, topic, sums) atoms added up per topic per period, zeros included, in period order."""
    groups = periods(span, by)
    index_of_day: dict[date, int] = {}
    for index, period in enumerate(groups):
        for offset in range((period.end - period.start).days + 1):
            index_of_day[period.start + timedelta(days=offset)] = index
    cells: dict[tuple[str, int], list[int]] = {}
    for day, topic, atom in atoms:
        key = (topic, index_of_day[day])
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = [0] * 6
        _add_into(cell, atom)
    topics = sorted({topic for topic, _ in cells})
    empty = [0] * 6
    return [
        TopicPeriodFigures(period, topic, ViewTotals(*cells.get((topic, index), empty)))
        for index, period in enumerate(groups)
        for topic in topics
    ]


def _day_atoms(detail: DayDetail) -> dict[str, Sums]:
    """One day's sums per topic, all languages together: the atoms that noise is put on."""
    atoms: dict[str, list[int]] = {}
    for (topic, _language), sums in detail.items():
        atom = atoms.get(topic)
        if atom is None:
            atom = atoms[topic] = [0] * 6
        _add_into(atom, sums)
    return {topic: tuple(atom) for topic, atom in atoms.items()}  # type: ignore[misc]


def _day_and_hour_sums(
    connection: Connection, span: DateRange
) -> tuple[dict[date, tuple[int, int]], list[int]]:
    """Views and seconds per day, and views per hour of the day.

    Grouping by (day, hour) follows the primary key, so SQLite streams it without a sort.
    Rows are folded as they arrive rather than kept: thousands of row objects living through
    a refresh were enough to set off Python's full garbage collection, which pauses every
    thread, the GUI's included.
    """
    views = topic_view_counts.c
    query = (
        select(views.day, views.hour, func.sum(views.views), func.sum(views.seconds_total))
        .where(views.day >= span.start, views.day <= span.end)
        .group_by(views.day, views.hour)
    )
    per_day: dict[date, tuple[int, int]] = {}
    per_hour = [0] * HOURS
    for day, hour, count, seconds in connection.execute(query):
        before = per_day.get(day, (0, 0))
        per_day[day] = (before[0] + int(count), before[1] + int(seconds))
        per_hour[hour] += int(count)
    return per_day, per_hour


def _shares(counts: dict[str, int]) -> tuple[Share, ...]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Share(name, count) for name, count in ordered)
