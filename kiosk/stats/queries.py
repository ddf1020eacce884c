"""Dashboard and export figures, summed from the view log's daily rollups.

Everything here blocks (it reads the database): the GUI calls it through its TaskRunner.
Results are plain frozen dataclasses, safe to hand from a worker thread to the GUI thread.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select

from kiosk.stats.kinds import Grouping
from kiosk.stats.noise import AtomNoise
from kiosk.viewlog.schema import (
    STATISTICS_KEY,
    interaction_days,
    topic_view_days,
    view_hour_totals,
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


def row_sums(row: Any, first: int) -> Sums:
    return tuple(int(value or 0) for value in row[first : first + 6])  # type: ignore[return-value]


def add_into(target: list[int], sums: Sums) -> None:
    # Unrolled: it runs for every atom of every period of a year's export or dashboard.
    target[0] += sums[0]
    target[1] += sums[1]
    target[2] += sums[2]
    target[3] += sums[3]
    target[4] += sums[4]
    target[5] += sums[5]


# The six sums of ViewTotals as a plain tuple of ints: tuples and dicts of plain values are
# untracked by Python's garbage collector, and thousands of dataclass instances were enough
# to set off a 60 ms full collection that paused the GUI thread too (bench/bench_stats.py).
Sums = tuple[int, int, int, int, int, int]
# Per (topic, language): views and their sums over a range.
TopicLanguageSums = dict[tuple[str, str], Sums]

_days = topic_view_days.c
# The rollup's columns in the order of Sums.
DAY_SUMS = (
    func.sum(_days.views),
    func.sum(_days.seconds_total),
    func.sum(_days.read_aloud_views),
    func.sum(_days.large_text_views),
    func.sum(_days.high_contrast_views),
    func.sum(_days.accessibility_views),
)


@dataclass(frozen=True, slots=True)
class ViewSums:
    """The views of a range as the dashboard needs them, summed by the database."""

    by_topic_language: TopicLanguageSums
    per_day: dict[date, int]
    by_hour: list[int]  # 24 values, hour 0 first


class Statistics:
    """Reads figures from the view-log database; one connection per call (a unit of work).

    Everything comes from the rollups the writer keeps beside the hourly counters (per day
    and topic, per hour of all topics, per day and interaction kind; kiosk/viewlog/schema.py),
    so any range up to a year reads a few thousand rows at most and hands back a few hundred,
    whatever the number of views. Perturbed atoms (exports, the dashboard's topic totals)
    are kept in memory while their day's sums are unchanged. kiosk/stats/hourly.py sums the
    hourly counters instead (for the central database, which has no rollups); the two give
    the same figures, exactly (tests/test_rollup.py). Safe to call from several worker
    threads at once.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._noise: AtomNoise | None = None
        # Per (day, topic): its sums and their perturbed sums under self._noise.
        self._noisy: dict[tuple[date, str], tuple[Sums, Sums]] = {}
        # Per day: its views and seconds, and its atoms (topic, sums) then.
        self._atom_days: dict[date, tuple[tuple[int, int], tuple[tuple[str, Sums], ...]]] = {}

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
            days = [self._view_days(connection)]
            days.append(
                connection.execute(
                    select(func.min(visit_counts.c.day), func.max(visit_counts.c.day))
                ).one()
            )
        firsts = [first for first, _ in days if first is not None]
        lasts = [last for _, last in days if last is not None]
        if not firsts:
            return None
        return DateRange(min(firsts), max(lasts))

    def dashboard(self, span: DateRange) -> Dashboard:
        visits = visit_counts.c
        in_span = (visits.day >= span.start, visits.day <= span.end)
        with self._engine.connect() as connection:
            views = self._view_sums(connection, span)
            visit_days = connection.execute(
                select(visits.day, func.sum(visits.visits)).where(*in_span).group_by(visits.day)
            ).all()
            visit_hours = connection.execute(
                select(visits.hour, func.sum(visits.visits)).where(*in_span).group_by(visits.hour)
            ).all()
            interactions = self._interaction_sums(connection, span)

        per_topic: dict[str, list[int]] = {}
        per_language: dict[str, int] = defaultdict(int)
        everything = [0] * 6
        for (topic, language), sums in views.by_topic_language.items():
            topic_sums = per_topic.get(topic)
            if topic_sums is None:
                topic_sums = per_topic[topic] = [0] * 6
            add_into(topic_sums, sums)
            add_into(everything, sums)
            per_language[language] += sums[0]
        visits_per_day = {day: int(count) for day, count in visit_days}
        visits_by_hour = [0] * HOURS
        for hour, count in visit_hours:
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
                DayFigures(day, views.per_day.get(day, 0), visits_per_day.get(day, 0))
                for day in span.each_day()
            ),
            views_by_hour=tuple(views.by_hour),
            visits_by_hour=tuple(visits_by_hour),
            languages=_shares(per_language),
            interactions=_shares(interactions),
        )

    def topic_periods(
        self, span: DateRange, by: Grouping, noise: AtomNoise | None = None
    ) -> list[TopicPeriodFigures]:
        """Every topic seen in the range, for every period (zeros included), in period order.

        With `noise`, each topic's sums of each day are perturbed before they are added up,
        so that every period and every range is a sum of the same perturbed days.
        """
        return self._periods_by(span, (by,), noise)[0]

    def topic_periods_by(
        self, span: DateRange, groupings: Sequence[Grouping], noise: AtomNoise | None = None
    ) -> list[list[TopicPeriodFigures]]:
        """topic_periods for each grouping, each day's atoms read and perturbed once."""
        return self._periods_by(span, groupings, noise)

    def noisy_atoms(self, span: DateRange, noise: AtomNoise) -> list[tuple[date, str, Sums]]:
        """Each topic's perturbed sums of each day of the range (with views), in day order:
        what every figure under the small-count rule is summed from."""
        with self._engine.connect() as connection:
            atoms = list(self._day_atoms(connection, span))
        return self._perturbed(atoms, noise)

    def _periods_by(
        self, span: DateRange, groupings: Sequence[Grouping], noise: AtomNoise | None
    ) -> list[list[TopicPeriodFigures]]:
        if noise is not None:
            atoms = self.noisy_atoms(span, noise)
        else:
            with self._engine.connect() as connection:
                atoms = list(self._day_atoms(connection, span))
        return [sum_periods(span, by, atoms) for by in groupings]

    def _perturbed(
        self, atoms: list[tuple[date, str, Sums]], noise: AtomNoise
    ) -> list[tuple[date, str, Sums]]:
        """The atoms under `noise`, reusing an atom's perturbed sums while its sums are the
        same (the same key gives the same change, noise.py): five HMACs an atom are most of
        a year's refresh otherwise."""
        with self._lock:
            if self._noise is None or not self._noise.same_key(noise):
                self._noise, self._noisy = noise, {}
            cache = self._noisy
        result = []
        fresh: dict[tuple[date, str], tuple[Sums, Sums]] = {}
        for day, topic, atom in atoms:
            known = cache.get((day, topic))
            if known is not None and known[0] == atom:
                result.append((day, topic, known[1]))
                continue
            changed = noise.perturb(day, topic, atom)
            fresh[(day, topic)] = (atom, changed)
            result.append((day, topic, changed))
        with self._lock:
            if self._noisy is cache:
                cache.update(fresh)
        return result

    def statistics_key(self) -> bytes | None:
        """The database's secret noise key (kiosk_meta), or None if it has none (yet)."""
        value = meta_value(self._engine, STATISTICS_KEY)
        if value is None:
            return None
        try:
            return bytes.fromhex(value)
        except ValueError:
            return None

    # --- where the views come from: the rollups here, the hourly counters in hourly.py ---

    def _view_days(self, connection: Connection) -> tuple[date | None, date | None]:
        """The first and last day with views."""
        first, last = connection.execute(select(func.min(_days.day), func.max(_days.day))).one()
        return first, last

    def _view_sums(self, connection: Connection, span: DateRange) -> ViewSums:
        in_span = (_days.day >= span.start, _days.day <= span.end)
        by_topic_language = {
            (row[0], row[1]): row_sums(row, 2)
            for row in connection.execute(
                select(_days.topic_id, _days.language, *DAY_SUMS)
                .where(*in_span)
                .group_by(_days.topic_id, _days.language)
            )
        }
        hours = view_hour_totals.c
        in_hours = (hours.day >= span.start, hours.day <= span.end)
        per_day = {
            day: int(views)
            for day, views in connection.execute(
                select(hours.day, func.sum(hours.views)).where(*in_hours).group_by(hours.day)
            )
        }
        by_hour = [0] * HOURS
        for hour, views in connection.execute(
            select(hours.hour, func.sum(hours.views)).where(*in_hours).group_by(hours.hour)
        ):
            by_hour[hour] += int(views)
        return ViewSums(by_topic_language, per_day, by_hour)

    # Interactions per day and kind (the rollup); HourlyStatistics reads the hourly counters,
    # which have the same columns.
    _interactions: Table = interaction_days

    def _interaction_sums(self, connection: Connection, span: DateRange) -> dict[str, int]:
        uses = self._interactions.c
        rows = connection.execute(
            select(uses.kind, func.sum(uses.count))
            .where(uses.day >= span.start, uses.day <= span.end)
            .group_by(uses.kind)
        )
        return {kind: int(count) for kind, count in rows}

    def _day_atoms(
        self, connection: Connection, span: DateRange
    ) -> Iterator[tuple[date, str, Sums]]:
        """Each topic's sums of each day, all languages together: the atoms noise is put on.

        A day's atoms are kept in memory while its views and seconds are unchanged (counters
        only grow, so any new view changes them): a year's refresh reads 365 day totals
        instead of thousands of atoms.
        """
        hours = view_hour_totals.c
        totals: dict[date, tuple[int, int]] = {
            day: (int(views), int(seconds))
            for day, views, seconds in connection.execute(
                select(hours.day, func.sum(hours.views), func.sum(hours.seconds_total))
                .where(hours.day >= span.start, hours.day <= span.end)
                .group_by(hours.day)
            )
        }
        with self._lock:
            cached = {day: self._atom_days.get(day) for day in totals}
        stale = {day for day, total in totals.items() if (cached[day] or (None,))[0] != total}
        if stale:
            fresh: dict[date, list[tuple[str, Sums]]] = {day: [] for day in stale}
            rows = connection.execute(
                select(_days.day, _days.topic_id, *DAY_SUMS)
                .where(_days.day >= min(stale), _days.day <= max(stale))
                .group_by(_days.day, _days.topic_id)
            )
            for row in rows:
                if row[0] in fresh:
                    fresh[row[0]].append((row[1], row_sums(row, 2)))
            for day, atoms in fresh.items():
                cached[day] = (totals[day], tuple(atoms))
            with self._lock:
                self._atom_days.update({day: cached[day] for day in stale})  # type: ignore[misc]
        for day in sorted(totals):
            entry = cached[day]
            assert entry is not None
            for topic, atom in entry[1]:
                yield day, topic, atom


def sum_periods(
    span: DateRange, by: Grouping, atoms: Iterable[tuple[date, str, Sums]]
) -> list[TopicPeriodFigures]:
    """(day, topic, sums) atoms added up per topic per period, zeros included, in period order."""
    groups = periods(span, by)
    index_of_day: dict[date, int] = {}
    for index, period in enumerate(groups):
        for offset in range((period.end - period.start).days + 1):
            index_of_day[period.start + timedelta(days=offset)] = index
    # Plain tuples, the first atom of a cell taken as it is, and one shared (frozen) zero:
    # the dashboard sums a year's atoms three times a refresh (day, week, month).
    cells: dict[tuple[str, int], Sums] = {}
    for day, topic, atom in atoms:
        key = (topic, index_of_day[day])
        cell = cells.get(key)
        if cell is None:
            cells[key] = tuple(atom)  # type: ignore[assignment]
        else:
            cells[key] = (
                cell[0] + atom[0],
                cell[1] + atom[1],
                cell[2] + atom[2],
                cell[3] + atom[3],
                cell[4] + atom[4],
                cell[5] + atom[5],
            )
    topics = sorted({topic for topic, _ in cells})
    totals = {key: ViewTotals(*cell) for key, cell in cells.items()}
    zero = ViewTotals()
    return [
        TopicPeriodFigures(period, topic, totals.get((topic, index), zero))
        for index, period in enumerate(groups)
        for topic in topics
    ]


def _shares(counts: dict[str, int]) -> tuple[Share, ...]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Share(name, count) for name, count in ordered)
