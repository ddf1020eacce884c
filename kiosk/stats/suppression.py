"""Small-count suppression for exports, with a secondary rule so hidden counts stay hidden.

It works within one file, on figures already summed from noisy days (noise.py): the noise
is what keeps several files together from giving a count away (docs/statistics-privacy.md).

The rule, for one topic's block of an export (a row per period plus a total row; columns
views, read-aloud, large-text and high-contrast views):

1. Primary: every count from 1 to threshold-1 is shown as "<threshold". If a topic's total
   views are small, every count of its block is "<threshold", zeros too: otherwise ten
   "<11" days under a "<11" total would each have to be exactly 1. So "<11" means "fewer
   than 11": 1-10 where the views total is shown, 0-10 where it is hidden.
2. Totals are given for views only. The mode columns have none: their totals, together
   with "a mode count is at most the views of its row", let a reader bound hidden views
   through sums of rows (a case the brute-force test found). Without them the reader's
   knowledge is one equation (the views add up to their total) over cells with known
   ranges: a "<11" cell holds 1..10, a "suppressed" one at least the threshold and at least
   every mode count shown in its row. For one equation the range of every cell can be
   computed exactly.
3. Secondary: while a hidden non-zero views count has a single possible value (one hidden
   cell under a shown total is the classic case; two "<11" cells that must both be 1 is
   another), hide the smallest shown non-zero views count that stays uncertain once hidden,
   as "suppressed"; when there is none, hide the total. If even that is not enough the topic
   is left out of the file (nothing else in the file refers to it). Hiding more only widens
   the ranges, so the loop ends.

Totals run one way only (per topic over the range). Totals across topics for each period
as well would put every cell in two equations, and proving those safe takes a full linear
programming audit; the dashboard shows per-day totals on the kiosk instead.
"""

from __future__ import annotations

import math
from enum import Enum

INF = math.inf
VIEWS = 0

Bound = float | int


class Mark(Enum):
    SHOWN = "shown"
    SMALL = "small"  # primary: "<threshold"
    HIDDEN = "hidden"  # secondary: hidden so a small count cannot be worked out
    LEFT_OUT = "left-out"  # mode totals: never published


def primary_mark(value: int, threshold: int) -> Mark:
    """Rule 1 for a count on its own: "<threshold" from 1 to threshold-1."""
    return Mark.SMALL if 0 < value < threshold else Mark.SHOWN


def suppress_block(values: list[list[int]], threshold: int) -> list[list[Mark]] | None:
    """Marks for one topic's block, or None if the topic must be left out of the file.

    values[row][column], the last row holding the totals. Column 0 is views; the other
    columns count views with a mode and are at most column 0.
    """
    small, shown = Mark.SMALL, Mark.SHOWN  # primary_mark, inline: it runs for every cell
    marks = [[small if 0 < value < threshold else shown for value in row] for row in values]
    if not values:
        return marks
    total_row = len(values) - 1
    marks[total_row][VIEWS + 1 :] = [Mark.LEFT_OUT] * (len(values[0]) - 1)
    if marks[total_row][VIEWS] is Mark.SMALL:
        # Mode counts too: a "<11" read-aloud count would say its row's views are not 0.
        for row in marks[:total_row]:
            row[:] = [Mark.SMALL] * len(row)
    # "<2" already says the count is 1: below 3 there is nothing a secondary rule could hide.
    if threshold < 3:
        return marks
    # Only hidden cells can be pinned: a block with no small count needs no secondary rule
    # (most blocks of a busy kiosk; the ranges below cost a millisecond a block).
    if not any(mark is Mark.SMALL for row in marks for mark in row):
        return marks
    while pinned_cells(values, marks, threshold):
        if not _hide_one_more(values, marks, threshold):
            return None
    return marks


def _hide_one_more(values: list[list[int]], marks: list[list[Mark]], threshold: int) -> bool:
    """Hide the smallest views count that stays uncertain once hidden (the total last)."""
    total_row = len(values) - 1
    candidates = sorted(
        (values[row][VIEWS], row)
        for row in range(total_row)
        if marks[row][VIEWS] is Mark.SHOWN and values[row][VIEWS] > 0
    )
    if marks[total_row][VIEWS] is Mark.SHOWN and values[total_row][VIEWS] > 0:
        candidates.append((values[total_row][VIEWS], total_row))
    for _, row in candidates:
        marks[row][VIEWS] = Mark.HIDDEN
        # A count equal to the threshold and to a mode count beside it would be pinned at once.
        if (row, VIEWS) not in pinned_cells(values, marks, threshold):
            return True
        marks[row][VIEWS] = Mark.SHOWN
    return False


def pinned_cells(
    values: list[list[int]], marks: list[list[Mark]], threshold: int
) -> list[tuple[int, int]]:
    """Hidden non-zero cells whose value a reader of the block could work out exactly.

    A hidden zero that can be worked out (a mode count in a row with 0 views) gives nothing
    away: zeros are shown everywhere else.

    The cells whose `intervals` are a single value, computed without building every cell's
    interval: a year's block by day is 1,464 cells, checked again for each cell the
    secondary rule tries, and that was half a dashboard refresh (bench/bench_stats.py). A
    test checks it against `intervals` on random blocks.
    """
    total_row = len(values) - 1
    small_total = marks[total_row][VIEWS] is Mark.SMALL
    small_low = 0 if small_total else 1  # a "<threshold" cell's least value, above the total
    top = threshold - 1
    shown, small, hidden = Mark.SHOWN, Mark.SMALL, Mark.HIDDEN
    # Each row's views as _start gives them, raised to its modes' least values.
    lows: list[Bound] = []
    highs: list[Bound] = []
    low: Bound
    high: Bound
    start_low: Bound
    start_high: Bound
    for row in range(total_row):
        line, line_marks = values[row], marks[row]
        for column, mark in enumerate(line_marks):
            if mark is shown:
                start_low = start_high = line[column]
            elif mark is small:
                start_low, start_high = small_low, top
            elif mark is hidden:
                start_low, start_high = threshold, INF
            else:
                start_low, start_high = 0, INF
            if column == VIEWS:
                low, high = start_low, start_high
            elif start_low > low:
                low = start_low
        lows.append(low)
        highs.append(high)
    total_mark = marks[total_row][VIEWS]
    total_low, total_high = _start(values[total_row][VIEWS], total_mark, threshold, False)
    # The one equation: the rows' views add up to the total (_narrow_sum, unrolled).
    terms_low = [*lows, -total_high]
    terms_high = [*highs, -total_low]
    low_others = _others(terms_low)
    high_others = _others(terms_high)
    pinned: list[tuple[int, int]] = []

    def pin(row: int, low: Bound, high: Bound, small_single: bool, hidden_single: bool) -> None:
        """The row's hidden non-zero cells held to a single value: its views by the views'
        bounds, a mode count by its own (one answer per mark: a mode's count never enters)."""
        if low > high:  # pragma: no cover - the true values always fit
            raise AssertionError("suppression bounds contradict the data")
        line = values[row]
        for column, mark in enumerate(marks[row]):
            if (mark is small or mark is hidden) and line[column] > 0:
                if column == VIEWS:
                    single = low == high
                else:
                    single = small_single if mark is small else hidden_single
                if single:
                    pinned.append((row, column))

    for row in range(total_row):
        # A mode count: its least value as it started, at most the views' most.
        high = min(highs[row], -low_others[row])
        low = max(lows[row], -high_others[row])
        pin(row, low, high, small_low == min(top, high), threshold == high)
    # The total row's mode cells are never narrowed (_start's interval as it is).
    small_mode_low, small_mode_high = _start(1, small, threshold, False)
    pin(
        total_row,
        max(total_low, low_others[total_row]),
        min(total_high, high_others[total_row]),
        small_mode_low == small_mode_high,
        False,  # _start's interval for a hidden cell has no top
    )
    return pinned


def pinned_by_intervals(
    values: list[list[int]], marks: list[list[Mark]], threshold: int
) -> list[tuple[int, int]]:
    """pinned_cells from every cell's interval: the plain statement of the rule (tests)."""
    bounds = intervals(values, marks, threshold)
    return [
        (row, column)
        for row, line in enumerate(marks)
        for column, mark in enumerate(line)
        if mark in (Mark.SMALL, Mark.HIDDEN)
        and values[row][column] > 0
        and bounds[row][column][0] == bounds[row][column][1]
    ]


def intervals(
    values: list[list[int]], marks: list[list[Mark]], threshold: int
) -> list[list[list[Bound]]]:
    """Every value a reader could still believe for each cell, as [low, high] (exact)."""
    total_row = len(values) - 1
    small_total = marks[total_row][VIEWS] is Mark.SMALL
    bounds: list[list[list[Bound]]] = [
        [
            _start(value, mark, threshold, small_total and row < total_row)
            for value, mark in zip(line, marks[row], strict=True)
        ]
        for row, line in enumerate(values)
    ]
    # A mode count is at most its row's views: what is known of it bounds the views below.
    for row in bounds[:total_row]:
        row[VIEWS][0] = max(row[VIEWS][0], *(mode[0] for mode in row[VIEWS + 1 :]))
    terms = [(bounds[row][VIEWS], 1) for row in range(total_row)]
    terms.append((bounds[total_row][VIEWS], -1))
    _narrow_sum(terms)
    # ... and the views, now narrowed, bound the mode counts above.
    for row in bounds[:total_row]:
        for mode in row[VIEWS + 1 :]:
            mode[1] = min(mode[1], row[VIEWS][1])
    return bounds


def _start(value: int, mark: Mark, threshold: int, may_be_zero: bool) -> list[Bound]:
    if mark is Mark.SHOWN:
        return [value, value]
    if mark is Mark.SMALL:
        return [0 if may_be_zero else 1, threshold - 1]
    if mark is Mark.HIDDEN:
        return [threshold, INF]
    return [0, INF]


def _narrow_sum(terms: list[tuple[list[Bound], int]]) -> None:
    """Narrow each term of sum(sign * x) == 0 to the values the others allow.

    For a single equation over integer ranges this is exact: every value left in a range
    is taken in some solution, because sums of integer ranges are themselves ranges.
    """
    lows = [bound[0] if sign > 0 else -bound[1] for bound, sign in terms]  # finite or -inf
    highs = [bound[1] if sign > 0 else -bound[0] for bound, sign in terms]  # finite or +inf
    low_others = _sums_without_each(lows)
    high_others = _sums_without_each(highs)
    for (bound, sign), low, high in zip(terms, low_others, high_others, strict=True):
        # sign * x == -(the others), so x lies in [-high, -low] (sign 1) or [low, high] (sign -1).
        new_low, new_high = (-high, -low) if sign > 0 else (low, high)
        bound[0] = max(bound[0], new_low)
        bound[1] = min(bound[1], new_high)
        if bound[0] > bound[1]:  # pragma: no cover - the true values always fit
            raise AssertionError("suppression bounds contradict the data")


def _others(parts: list[Bound]) -> list[Bound]:
    """_sums_without_each for parts whose infinities have one sign (pinned_cells' lows are
    finite or -inf, its highs finite or +inf), without a test of every part."""
    finite = [part for part in parts if -INF < part < INF]
    infinite = len(parts) - len(finite)
    total = sum(finite)
    if not infinite:
        return [total - part for part in parts]
    endless = next(part for part in parts if not -INF < part < INF)
    if infinite > 1:
        return [endless] * len(parts)
    return [total if part == endless else endless for part in parts]


def _sums_without_each(parts: list[Bound]) -> list[Bound]:
    """For each part, the sum of all the others (parts are finite or all one infinity)."""
    infinite = [p for p in parts if math.isinf(p)]
    finite_sum = sum(int(p) for p in parts if not math.isinf(p))
    result: list[Bound] = []
    for part in parts:
        if math.isinf(part):
            result.append(infinite[0] if len(infinite) > 1 else finite_sum)
        else:
            result.append(infinite[0] if infinite else finite_sum - int(part))
    return result
