"""Small-count suppression for exports, with a secondary rule so hidden counts stay hidden.

The rule, for one topic's block of an export (a row per period plus a total row; columns
views, read-aloud, large-text and high-contrast views):

1. Primary: every count from 1 to threshold-1, totals included, is shown as "<threshold".
2. A reader knows more than each cell: every column adds up to its total row, each mode
   count is at most the views of the same row, a "<11" cell holds 1..10, a secondarily hidden
   cell holds at least the threshold (secondary cells are never zeros or small counts). From
   that we narrow every hidden cell's interval by bounds propagation until nothing changes.
3. Secondary: while some hidden cell's interval has shrunk to a single value (one hidden cell
   in a column with a shown total is the classic case; two "<11" cells that must both be 1 is
   another), hide the smallest shown non-zero count in that column as "suppressed"; when the
   column has none left, hide its total. If that still is not enough, hide every non-zero
   count of the topic. Hiding more only widens intervals, so the loop ends.

Totals run one way only (per topic over the range). Totals across topics for each period
as well would put every cell in two equations, and proving those safe takes a full linear
programming audit; the dashboard shows per-day totals on the kiosk instead.
"""

from __future__ import annotations

import math
from enum import Enum

INF = math.inf
MAX_ROUNDS = 200

Bound = float | int


class Mark(Enum):
    SHOWN = "shown"
    SMALL = "small"  # primary: 1..threshold-1
    HIDDEN = "hidden"  # secondary: hidden so a small count cannot be worked out


def suppress_block(values: list[list[int]], threshold: int) -> list[list[Mark]]:
    """Marks for one topic's block: values[row][column], the last row holding the totals.

    Column 0 is views; the other columns count views with a mode and are at most column 0.
    """
    marks = [
        [Mark.SMALL if 0 < value < threshold else Mark.SHOWN for value in row] for row in values
    ]
    # "<2" already says the count is 1: below 3 there is nothing a secondary rule could hide.
    if threshold < 3 or not values:
        return marks
    while True:
        pinned = pinned_cells(values, marks, threshold)
        if not pinned:
            return marks
        progressed = False
        for column in sorted({column for _, column in pinned}):
            progressed = _hide_one_more(values, marks, column) or progressed
        if not progressed:
            for row, line in enumerate(values):
                for column, value in enumerate(line):
                    if value > 0 and marks[row][column] is Mark.SHOWN:
                        marks[row][column] = Mark.HIDDEN
            if pinned_cells(values, marks, threshold):  # pragma: no cover - a bug if reached
                raise AssertionError("suppression could not hide the block's small counts")
            return marks


def _hide_one_more(values: list[list[int]], marks: list[list[Mark]], column: int) -> bool:
    total_row = len(values) - 1
    candidates = [
        (values[row][column], row)
        for row in range(total_row)
        if marks[row][column] is Mark.SHOWN and values[row][column] > 0
    ]
    if candidates:
        _, row = min(candidates)
        marks[row][column] = Mark.HIDDEN
        return True
    if marks[total_row][column] is Mark.SHOWN and values[total_row][column] > 0:
        marks[total_row][column] = Mark.HIDDEN
        return True
    return False


def pinned_cells(
    values: list[list[int]], marks: list[list[Mark]], threshold: int
) -> list[tuple[int, int]]:
    """Hidden cells whose value a reader of the block could work out exactly."""
    bounds = intervals(values, marks, threshold)
    if bounds is None:  # propagation did not settle: treat everything as exposed
        return [
            (r, c)
            for r, line in enumerate(marks)
            for c, m in enumerate(line)
            if m is not Mark.SHOWN
        ]
    return [
        (row, column)
        for row, line in enumerate(marks)
        for column, mark in enumerate(line)
        if mark is not Mark.SHOWN and bounds[row][column][0] == bounds[row][column][1]
    ]


def intervals(
    values: list[list[int]], marks: list[list[Mark]], threshold: int
) -> list[list[list[Bound]]] | None:
    """What a reader can tell about every cell, as [low, high]; None if it did not settle."""
    bounds: list[list[list[Bound]]] = [
        [_start(value, mark, threshold) for value, mark in zip(row, row_marks, strict=True)]
        for row, row_marks in zip(values, marks, strict=True)
    ]
    total_row = len(values) - 1
    columns = len(values[0])
    for _ in range(MAX_ROUNDS):
        changed = False
        for column in range(columns):
            terms = [(bounds[row][column], 1) for row in range(total_row)]
            terms.append((bounds[total_row][column], -1))
            changed = _propagate_sum(terms) or changed
        for row in bounds:
            views = row[0]
            for mode in row[1:]:
                if mode[1] > views[1]:
                    mode[1] = views[1]
                    changed = True
                if views[0] < mode[0]:
                    views[0] = mode[0]
                    changed = True
        if not changed:
            return bounds
    return None


def _start(value: int, mark: Mark, threshold: int) -> list[Bound]:
    if mark is Mark.SHOWN:
        return [value, value]
    if mark is Mark.SMALL:
        return [1, threshold - 1]
    return [threshold, INF]


def _propagate_sum(terms: list[tuple[list[Bound], int]]) -> bool:
    """Narrow each term of sum(sign * x) == 0 from the others' bounds; True if any changed."""
    lows = [bound[0] if sign > 0 else -bound[1] for bound, sign in terms]  # finite or -inf
    highs = [bound[1] if sign > 0 else -bound[0] for bound, sign in terms]  # finite or +inf
    low_others = _sums_without_each(lows)
    high_others = _sums_without_each(highs)
    changed = False
    for (bound, sign), low, high in zip(terms, low_others, high_others, strict=True):
        if bound[0] == bound[1]:
            continue
        # sign * x == -(the others), so x lies in [-high, -low] (sign 1) or [low, high] (sign -1).
        new_low, new_high = (-high, -low) if sign > 0 else (low, high)
        if new_low > bound[0]:
            bound[0] = new_low
            changed = True
        if new_high < bound[1]:
            bound[1] = new_high
            changed = True
        if bound[0] > bound[1]:  # pragma: no cover - the true values always fit
            raise AssertionError("suppression bounds contradict the data")
    return changed


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
