"""The fast pinned-cells check gives exactly what every cell's interval says (the rule as
written), so the exports' and the dashboard's marks cannot change with it."""

from __future__ import annotations

import random

import pytest

from kiosk.stats import suppression
from kiosk.stats.suppression import Mark, pinned_by_intervals, pinned_cells, suppress_block


def _block(rng: random.Random, rows: int, columns: int, top: int) -> list[list[int]]:
    """Rows of views and mode counts (each at most its row's views), then the total row."""
    block = []
    for _ in range(rows):
        views = rng.choice([0, rng.randint(0, 4), rng.randint(0, top)])
        block.append([views] + [rng.randint(0, views) for _ in range(columns - 1)])
    block.append([sum(column) for column in zip(*block, strict=True)])
    return block


def _marks(rng: random.Random, values: list[list[int]], threshold: int) -> list[list[Mark]]:
    """Any marks a reader could meet that the true values fit: each cell one of those its
    value allows ("<threshold" may hold 0 only under a small total)."""
    marks = [_allowed(rng, value, threshold, False, False) for value in values[-1]]
    small_total = marks[0] is Mark.SMALL
    rows = [
        [_allowed(rng, value, threshold, small_total, True) for value in line]
        for line in values[:-1]
    ]
    return [*rows, marks]


def _allowed(rng: random.Random, value: int, threshold: int, small_total: bool, part: bool) -> Mark:
    allowed = [Mark.SHOWN, Mark.LEFT_OUT]
    if 0 < value < threshold or (value == 0 and small_total and part):
        allowed.append(Mark.SMALL)
    if value >= threshold:
        allowed.append(Mark.HIDDEN)
    return rng.choice(allowed)


@pytest.mark.parametrize("threshold", [2, 3, 5, 11])
def test_pinned_cells_equal_the_intervals_on_random_blocks(threshold: int) -> None:
    rng = random.Random(threshold)
    pinned = 0
    for _ in range(3000):
        values = _block(rng, rng.randint(1, 8), rng.randint(2, 4), 3 * threshold)
        marks = _marks(rng, values, threshold)
        assert pinned_cells(values, marks, threshold) == pinned_by_intervals(
            values, marks, threshold
        ), (values, marks)
        pinned += bool(pinned_by_intervals(values, marks, threshold))
    assert pinned > 100  # the blocks do pin cells, views and mode counts


@pytest.mark.parametrize("threshold", [3, 11])
def test_suppress_block_marks_are_those_of_the_rule_as_written(
    threshold: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(99 + threshold)
    blocks = [
        _block(rng, rng.choice([5, 31, 53, 366]), 4, rng.choice([4, 12, 40])) for _ in range(200)
    ]
    fast = [suppress_block(block, threshold) for block in blocks]
    monkeypatch.setattr(suppression, "pinned_cells", pinned_by_intervals)
    assert [suppress_block(block, threshold) for block in blocks] == fast
    # The random blocks reach the secondary rule, and leave some topics out.
    assert any(m is not None and any(Mark.HIDDEN in row for row in m) for m in fast)
