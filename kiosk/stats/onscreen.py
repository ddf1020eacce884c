"""The staff dashboard's figures as shown on screen: the exports' small-count rule applied.

No screen shows what no export would (issue 13):

- A topic's views and average seconds over the range are exactly its total row in the
  exports of that range (noise on each day's atoms, then suppression, kiosk/stats/export.py):
  a total is shown only if the exports by day, by week and by month all show it (the value
  is the same in each), else it reads "<11" or "suppressed" as there. A topic the exports
  leave out is left out here too.
- The headline views, their mode counts and the views per day are sums of the exports'
  noisy atoms (so no two ranges can be differenced into a small day), then suppressed.
- The other figures (views per hour of the day, per language; visits) exist in no export
  and carry no noise (a known gap: docs/statistics-privacy.md). Each chart's values with
  their total go through the same rule
  (kiosk/stats/suppression.suppress_block: "<11" for 1 to 10, and the secondary rule so a
  hidden value cannot be worked out from the total and the values shown beside it).
  Totals of 11 or more are shown.
- Mode counts (read aloud, large text, high contrast) are shown per range only, as a share
  of all views, and only when the count itself is not small.

With the threshold at 0 (staff.small_count_threshold off) everything is exact, as exports are.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.stats.export import Cell, shown_cell, statistics_noise, topic_blocks
from kiosk.stats.kinds import Grouping
from kiosk.stats.queries import (
    Dashboard,
    DateRange,
    Statistics,
    Sums,
    TopicPeriodFigures,
    ViewTotals,
    add_into,
    periods,
)
from kiosk.stats.suppression import Mark, primary_mark, suppress_block

PREFETCH_DAYS = 366
MODE_NAMES = ("Read aloud", "Large text", "High contrast", "Either mode")


@dataclass(frozen=True, slots=True)
class ShownTopic:
    topic_id: str
    views: Cell
    average_seconds: float | None  # None where the exports leave the average out


@dataclass(frozen=True, slots=True)
class ShownMode:
    name: str
    count: Cell
    percent: int | None  # of all views; None when the count is not shown


@dataclass(frozen=True, slots=True)
class ShownDashboard:
    """Every figure the dashboard draws, each an int or the exports' mark for it."""

    span: DateRange
    threshold: int
    visits: Cell
    views: Cell
    average_seconds: float | None
    modes: tuple[ShownMode, ...]
    topics: tuple[ShownTopic, ...]  # most viewed first, hidden ones after
    days: tuple[tuple[date, Cell], ...]  # every day of the range
    hours: tuple[Cell, ...]  # 24 values, hour 0 first
    languages: tuple[tuple[str, Cell], ...]
    left_out: int  # topics the exports leave out, so the dashboard does too


class DashboardFigures:
    """What the dashboard shows for a range, reused while the range's figures are unchanged.

    Counters only grow, so equal exact figures (every day's views among them) mean equal
    per-day atoms, and so an equal suppressed result; the rule itself takes most of a
    refresh over a year. Safe to call from several worker threads at once.
    """

    KEPT_RANGES = 8

    def __init__(self, statistics: Statistics, threshold: int) -> None:
        self.statistics = statistics
        self.threshold = threshold
        self._kept: dict[DateRange, tuple[Dashboard, bytes | None, ShownDashboard]] = {}
        self._lock = threading.Lock()

    def prefetch(self, today: date) -> None:
        """Perturb a year's atoms ahead of staff asking (while they type the PIN): five
        HMACs an atom are most of a first refresh over a year (bench/bench_stats.py)."""
        if self.threshold > 0:
            noise = statistics_noise(self.statistics)
            self.statistics.noisy_atoms(DateRange.last_days(today, PREFETCH_DAYS), noise)

    def shown(self, span: DateRange) -> ShownDashboard:
        """Query and suppress (blocking: call it off the GUI thread)."""
        statistics, threshold = self.statistics, self.threshold
        figures = statistics.dashboard(span)
        key = statistics.statistics_key() if threshold > 0 else None
        with self._lock:
            kept = self._kept.get(span)
        if kept is not None and kept[:2] == (figures, key):
            return kept[2]
        if threshold <= 0:
            result = suppressed(figures, [statistics.topic_periods(span, Grouping.DAY)], threshold)
        else:
            atoms = statistics.noisy_atoms(span, statistics_noise(statistics))
            result = suppressed_from_atoms(figures, atoms, threshold)
        with self._lock:
            self._kept.pop(span, None)
            self._kept[span] = (figures, key, result)
            while len(self._kept) > self.KEPT_RANGES:
                del self._kept[next(iter(self._kept))]
        return result


def suppressed(
    figures: Dashboard, periods: Sequence[Sequence[TopicPeriodFigures]], threshold: int
) -> ShownDashboard:
    """The dashboard's figures under the rule; `periods` are the exports' (one per grouping,
    the first by day)."""
    t, day_views = figures.totals, [d.views for d in figures.days]
    if threshold > 0:
        # The views, their modes and the views per day are sums of the same noisy atoms as
        # the exports: exact sums for any range would give a small day away by differencing
        # two ranges (the whole year minus the year without its first day).
        t, day_views = _noisy_totals(figures, periods[0])
    return _shown(figures, t, day_views, _topics(periods, threshold), threshold)


def _shown(
    figures: Dashboard,
    t: ViewTotals,
    day_views: list[int],
    topics_shown: tuple[tuple[ShownTopic, ...], int],
    threshold: int,
) -> ShownDashboard:
    """The dashboard from its totals and views per day (noisy under a threshold) and its
    topics as the exports show them."""
    exact_views = figures.totals.views
    views = total_cell(t.views, threshold)
    topics, left_out = topics_shown
    modes = []
    for name, count in zip(
        MODE_NAMES, (t.read_aloud, t.large_text, t.high_contrast, t.accessibility), strict=True
    ):
        cell = total_cell(count, threshold)
        percent = round(100 * count / t.views) if isinstance(cell, int) and t.views else None
        modes.append(ShownMode(name, cell, percent if isinstance(cell, int) else None))
    shown_average = isinstance(views, int) and t.views > 0
    return ShownDashboard(
        span=figures.span,
        threshold=threshold,
        visits=total_cell(figures.visits, threshold),
        views=views,
        average_seconds=t.average_seconds if shown_average else None,
        modes=tuple(modes),
        topics=topics,
        days=tuple(
            zip(
                [d.day for d in figures.days],
                group_cells(day_views, t.views, threshold),
                strict=True,
            )
        ),
        # Exact values, so their own exact total (never shown itself) for the rule.
        hours=tuple(group_cells(list(figures.views_by_hour), exact_views, threshold)),
        languages=tuple(
            zip(
                [s.name for s in figures.languages],
                group_cells([s.count for s in figures.languages], exact_views, threshold),
                strict=True,
            )
        ),
        left_out=left_out,
    )


def suppressed_from_atoms(
    figures: Dashboard, atoms: Sequence[tuple[date, str, Sums]], threshold: int
) -> ShownDashboard:
    """suppressed(figures, the exports' periods by day, week and month, threshold), from
    the range's noisy atoms without building the exports' rows (they were most of a
    refresh over a year). A test checks both give the same figures."""
    span = figures.span
    sums = [0] * 6
    per_day: dict[date, int] = {}
    for day, _topic, atom in atoms:
        add_into(sums, atom)
        per_day[day] = per_day.get(day, 0) + atom[0]
    totals = ViewTotals(*sums)
    day_views = [per_day.get(d.day, 0) for d in figures.days]
    blocks = [block for by in Grouping for block in _atom_blocks(span, by, atoms, threshold)]
    return _shown(figures, totals, day_views, _strictest(blocks, threshold), threshold)


def _atom_blocks(
    span: DateRange, by: Grouping, atoms: Sequence[tuple[date, str, Sums]], threshold: int
) -> list[tuple[str, int, int, list[list[Mark]] | None]]:
    """export.topic_blocks(sum_periods(span, by, atoms)) as (topic, total views, total
    seconds, marks): each topic's rows of views and mode counts per period, summed here."""
    groups = periods(span, by)
    index_of_day: dict[date, int] = {}
    for index, period in enumerate(groups):
        for offset in range((period.end - period.start).days + 1):
            index_of_day[period.start + timedelta(days=offset)] = index
    rows: dict[str, list[list[int]]] = {}
    seconds: dict[str, int] = {}
    for day, topic, atom in atoms:
        block = rows.get(topic)
        if block is None:
            block = rows[topic] = [[0, 0, 0, 0] for _ in groups]
            seconds[topic] = 0
        row = block[index_of_day[day]]
        row[0] += atom[0]
        row[1] += atom[2]
        row[2] += atom[3]
        row[3] += atom[4]
        seconds[topic] += atom[1]
    result = []
    for topic in sorted(rows):
        counts = rows[topic]
        counts.append([sum(column) for column in zip(*counts, strict=True)])
        result.append((topic, counts[-1][0], seconds[topic], suppress_block(counts, threshold)))
    return result


def _strictest(
    blocks: Sequence[tuple[str, int, int, list[list[Mark]] | None]], threshold: int
) -> tuple[tuple[ShownTopic, ...], int]:
    """_topics, from each grouping's (topic, total views, total seconds, marks)."""
    found: dict[str, list[ShownTopic]] = {}
    left_out: set[str] = set()
    for topic_id, views, seconds, marks in blocks:
        if marks is None:
            left_out.add(topic_id)
            continue
        cell = shown_cell(views, marks[-1][0], threshold)
        # TopicBlock.average_shown's total: every row's views shown, the total's too.
        average_shown = all(row[0] is Mark.SHOWN for row in marks)
        average_shown = average_shown and isinstance(cell, int) and views > 0
        found.setdefault(topic_id, []).append(
            ShownTopic(topic_id, cell, seconds / views if average_shown else None)
        )
    return _strictest_of(found, left_out)


def _noisy_totals(
    figures: Dashboard, by_day: Sequence[TopicPeriodFigures]
) -> tuple[ViewTotals, list[int]]:
    """The range's totals and each day's views, summed from the exports' noisy atoms."""
    # Attribute by attribute: dataclasses.astuple deep-copies, and took a third of a
    # year's refresh (bench/bench_stats.py).
    views = seconds = read_aloud = large_text = high_contrast = accessibility = 0
    per_day: dict[date, int] = {}
    for figure in by_day:
        t = figure.totals
        views += t.views
        seconds += t.seconds_total
        read_aloud += t.read_aloud
        large_text += t.large_text
        high_contrast += t.high_contrast
        accessibility += t.accessibility
        start = figure.period.start
        per_day[start] = per_day.get(start, 0) + t.views
    totals = ViewTotals(views, seconds, read_aloud, large_text, high_contrast, accessibility)
    return totals, [per_day.get(d.day, 0) for d in figures.days]


def total_cell(value: int, threshold: int) -> Cell:
    """A total on its own: shown from the threshold up, "<threshold" from 1 below it."""
    if threshold <= 0:
        return value
    return shown_cell(value, primary_mark(value, threshold), threshold)


def group_cells(values: list[int], total: int, threshold: int) -> list[Cell]:
    """Parts of a total as shown: suppression's own rule on a one-column block.

    The total itself is shown by total_cell. Where the rule would have to hide a total of
    the threshold or more (no part could be hidden instead), no part is shown (None), as
    an export leaves such a topic out.
    """
    if threshold <= 0:
        return list(values)
    # suppress_block's blocks have mode columns beside the views: one of zeros, which
    # bounds nothing (a mode count is at most its row's views).
    block = [[value, 0] for value in values] + [[total, 0]]
    marks = suppress_block(block, threshold)
    if marks is None or marks[-1][0] is Mark.HIDDEN:
        return [None] * len(values)
    return [shown_cell(row[0], mark[0], threshold) for row, mark in zip(block, marks, strict=True)][
        :-1
    ]


def _topics(
    periods: Sequence[Sequence[TopicPeriodFigures]], threshold: int
) -> tuple[tuple[ShownTopic, ...], int]:
    """Each topic's total row as every export of the range shows it (the strictest)."""
    found: dict[str, list[ShownTopic]] = {}
    left_out: set[str] = set()
    for grouping in periods:
        for block in topic_blocks(grouping, threshold):
            if block.marks is None:
                left_out.add(block.topic_id)
                continue
            views, seconds = block.counts[-1][0], block.seconds[-1]
            cell = shown_cell(views, block.marks[-1][0], threshold)
            average_shown = block.average_shown[-1] and isinstance(cell, int) and views > 0
            found.setdefault(block.topic_id, []).append(
                ShownTopic(block.topic_id, cell, seconds / views if average_shown else None)
            )
    return _strictest_of(found, left_out)


def _strictest_of(
    found: dict[str, list[ShownTopic]], left_out: set[str]
) -> tuple[tuple[ShownTopic, ...], int]:
    """Each topic as the strictest of its groupings shows it, most viewed first."""
    shown = []
    for topic_id, versions in found.items():
        if topic_id in left_out:
            continue
        marks = [v.views for v in versions if not isinstance(v.views, int)]
        averages = [v.average_seconds for v in versions]
        average = averages[0] if None not in averages else None
        shown.append(ShownTopic(topic_id, marks[0] if marks else versions[0].views, average))
    shown.sort(
        key=lambda s: (0, -s.views, s.topic_id) if isinstance(s.views, int) else (1, 0, s.topic_id)
    )
    return tuple(shown), len(left_out)
