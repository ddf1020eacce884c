"""The same figures as queries.Statistics, summed from the hourly counters themselves.

The central fleet database holds the kiosks' hourly counters and no rollups, so its reports
(kiosk/fleet/reports.py) read them through this class. Tests also use it as the reference the
rollups must equal (tests/test_rollup.py).

Summing a year of counters by topic makes SQLite sort every row (~0.2 s for a million
views). The per-day sums by topic and language are therefore kept in memory and reused
while that day's total views and seconds, which every refresh reads anyway in primary key
order, are unchanged: counters only ever grow, so any new view changes them. Late writes
(after an outage) and a replaced database are caught the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from kiosk.stats.queries import (
    HOURS,
    DateRange,
    Statistics,
    Sums,
    TopicLanguageSums,
    ViewSums,
    add_into,
    row_sums,
)
from kiosk.viewlog.schema import interaction_counts, topic_view_counts


def _flag_sum(flag: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((flag, topic_view_counts.c.views), else_=0)), 0)


# Sums in the order of queries.Sums; kiosk/fleet/reports.py reads them per kiosk as well.
VIEW_SUMS = (
    func.sum(topic_view_counts.c.views),
    func.sum(topic_view_counts.c.seconds_total),
    _flag_sum(topic_view_counts.c.read_aloud),
    _flag_sum(topic_view_counts.c.large_text),
    _flag_sum(topic_view_counts.c.high_contrast),
    _flag_sum(topic_view_counts.c.large_text | topic_view_counts.c.high_contrast),
)

# Per (topic, language): what one day holds.
DayDetail = TopicLanguageSums
# A day's total views and seconds (to notice changes), and its detail.
_CachedDay = tuple[int, int, DayDetail]


class HourlyStatistics(Statistics):
    """Statistics summed from the hourly counters, with the per-day cache described above."""

    _interactions = interaction_counts

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self._days: dict[date, _CachedDay] = {}

    def _view_days(self, connection: Connection) -> tuple[date | None, date | None]:
        views = topic_view_counts.c
        first, last = connection.execute(select(func.min(views.day), func.max(views.day))).one()
        return first, last

    def _view_sums(self, connection: Connection, span: DateRange) -> ViewSums:
        day_sums, by_hour = _day_and_hour_sums(connection, span)
        details = self._details(connection, day_sums)
        merged: dict[tuple[str, str], list[int]] = {}
        for detail in details.values():
            for key, sums in detail.items():
                cell = merged.get(key)
                if cell is None:
                    cell = merged[key] = [0] * 6
                add_into(cell, sums)
        return ViewSums(
            {key: tuple(cell) for key, cell in merged.items()},  # type: ignore[misc]
            {day: views for day, (views, _seconds) in day_sums.items()},
            by_hour,
        )

    def _day_atoms(
        self, connection: Connection, span: DateRange
    ) -> Iterator[tuple[date, str, Sums]]:
        details = self._details(connection, _day_and_hour_sums(connection, span)[0])
        for day, detail in details.items():
            for topic, atom in _topic_atoms(detail).items():
                yield day, topic, atom

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


def _topic_atoms(detail: DayDetail) -> dict[str, Sums]:
    """One day's sums per topic, all languages together: the atoms that noise is put on."""
    atoms: dict[str, list[int]] = {}
    for (topic, _language), sums in detail.items():
        atom = atoms.get(topic)
        if atom is None:
            atom = atoms[topic] = [0] * 6
        add_into(atom, sums)
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


def open_statistics(url: str) -> Statistics:
    """The rollups' Statistics, or the hourly counters' for a database without rollups yet
    (one the `stats` commands read before a kiosk of this version has upgraded it)."""
    from sqlalchemy import inspect

    from kiosk.viewlog.schema import topic_view_days
    from kiosk.viewlog.store import create_database_engine

    engine = create_database_engine(url)
    with engine.connect() as connection:
        rolled_up = inspect(connection).has_table(topic_view_days.name)
    return Statistics(engine) if rolled_up else HourlyStatistics(engine)
