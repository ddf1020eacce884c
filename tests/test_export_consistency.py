"""Brute force: day, week and month exports of the same and of overlapping ranges, taken
together, pin down no small true count; without the noise, the same attacker does.

The attacker reads every file back, and writes each released figure as a linear fact about
the unknown (day, topic) atoms: an exact figure is an equation, "<11" a bound 1..10 (0..10
under a "<11" total), "suppressed" at least 11, and a mode count is at most its day's views.
Linear programming then gives every atom's exact range. The noise model is public: what
the attacker can conclude about a true count is every count the noise could have turned
into a value in that range.
"""

from __future__ import annotations

import csv
import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from scipy.optimize import linprog  # type: ignore[import-untyped]
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
from sqlalchemy import update

from kiosk.clock import ManualClock
from kiosk.stats.export import SECONDARY_MARK, build_table, export, write_table
from kiosk.stats.kinds import ExportFormat, Grouping
from kiosk.stats.noise import AtomNoise, mode_outcomes, preimage, views_outcomes
from kiosk.stats.queries import DateRange, Statistics
from kiosk.viewlog.events import HourBucket, TopicViewed
from kiosk.viewlog.schema import STATISTICS_KEY, kiosk_meta
from kiosk.viewlog.store import open_database
from kiosk.viewlog.writer import ViewLog

THRESHOLD = 11
FIRST = date(2026, 9, 17)
DAYS = 64
# Views per day drawn from these: two quiet topics (most days under 11) and a busy one.
TOPICS = {
    "after-infusion": (0, 1, 1, 2, 3, 3, 4, 5, 6, 8),
    "side-effects": (0, 0, 1, 1, 2, 2, 3, 4),
    "what-is-ketamine": (5, 8, 9, 10, 11, 12, 14, 16),
}
# (first day, last day) as offsets from FIRST: the same range, and ranges shifted by a few
# days at either end, as staff could ask for them.
SPANS = ((0, 63), (1, 63), (3, 61), (8, 63), (0, 58), (2, 60), (5, 56))
FORMAT_OF = {Grouping.DAY: ExportFormat.CSV, Grouping.WEEK: ExportFormat.JSON}
MEASURES = ("views", "read_aloud_views", "large_text_views", "high_contrast_views")
KEY = bytes(range(32))

# true[(day, topic)] = [views, read aloud, large text, high contrast]
Atoms = dict[tuple[date, str], list[int]]


@dataclass(frozen=True)
class Fact:
    """sum of one measure of one topic over days first..last lies in low..high."""

    topic: str
    measure: int
    first: date
    last: date
    low: float
    high: float


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Statistics, Atoms]]:
    """Two months of a small clinic, written through the kiosk's own view-log writer."""
    folder = tmp_path_factory.mktemp("clinic")
    url = f"sqlite:///{folder / 'kiosk.db'}"
    rng = random.Random(20261117)
    true: Atoms = defaultdict(lambda: [0, 0, 0, 0])
    log = ViewLog(url, "kiosk-1", ManualClock(datetime(2026, 11, 20, 9)), strict=True)
    log.start()
    for offset in range(DAYS):
        day = FIRST + timedelta(days=offset)
        for topic, choices in TOPICS.items():
            for _ in range(rng.choice(choices)):
                modes = (rng.random() < 0.3, rng.random() < 0.15, rng.random() < 0.1)
                log.record(
                    TopicViewed(
                        HourBucket(day, rng.randint(8, 17)),
                        topic,
                        rng.choice(("en", "es")),
                        rng.randint(10, 400),
                        read_aloud=modes[0],
                        large_text=modes[1],
                        high_contrast=modes[2],
                    )
                )
                atom = true[(day, topic)]
                atom[0] += 1
                for index, flag in enumerate(modes, start=1):
                    atom[index] += flag
    assert log.flush()
    log.close()
    engine, _ = open_database(url, datetime(2026, 11, 20, 9))
    # A known key, so that a failure can be replayed; any key gives the same guarantee.
    with engine.begin() as connection:
        connection.execute(
            update(kiosk_meta).where(kiosk_meta.c.name == STATISTICS_KEY).values(value=KEY.hex())
        )
    yield Statistics(engine), dict(true)
    engine.dispose()


def _span(first: int, last: int) -> DateRange:
    return DateRange(FIRST + timedelta(days=first), FIRST + timedelta(days=last))


def _read_rows(path: Path, fmt: ExportFormat) -> list[dict[str, Any]]:
    """The file as staff (or anyone they send it to) would read it back."""
    if fmt is ExportFormat.CSV:
        with path.open(encoding="utf-8", newline="") as handle:
            rows: list[dict[str, Any]] = list(csv.DictReader(handle))
    elif fmt is ExportFormat.JSON:
        rows = json.loads(path.read_text(encoding="utf-8"))["rows"]
    else:
        workbook = openpyxl.load_workbook(path, read_only=True)
        values = [list(r) for r in workbook["views"].iter_rows(values_only=True)]
        workbook.close()
        rows = [dict(zip(values[0], row, strict=False)) for row in values[1:]]
    return rows


def _facts(rows: list[dict[str, Any]]) -> list[Fact]:
    small_total = {
        row["topic_id"]: row["views"] == f"<{THRESHOLD}" for row in rows if row["period"] == "total"
    }
    facts = []
    for row in rows:
        first = date.fromisoformat(row["period_start"])
        last = date.fromisoformat(row["period_end"])
        topic = row["topic_id"]
        for measure, name in enumerate(MEASURES):
            cell = row[name]
            if cell in (None, ""):
                continue  # mode totals are never released
            if cell == f"<{THRESHOLD}":
                may_be_zero = small_total[topic] and row["period"] != "total"
                low, high = (0 if may_be_zero else 1), THRESHOLD - 1
            elif cell == SECONDARY_MARK:
                low, high = THRESHOLD, math.inf
            else:
                low = high = int(cell)
            facts.append(Fact(topic, measure, first, last, low, high))
    return facts


def _exports(statistics: Statistics, folder: Path, perturbed: bool) -> list[Fact]:
    """Every file of every span and grouping, read back into facts."""
    folder.mkdir()
    facts: set[Fact] = set()
    for first, last in SPANS:
        span = _span(first, last)
        for by in Grouping:
            fmt = FORMAT_OF.get(by, ExportFormat.XLSX)
            path = folder / f"{first}-{last}-{by}.{fmt}"
            if perturbed:
                result = export(statistics, span, by, fmt, path, THRESHOLD)
                assert result.perturbed
            else:
                # The code before the fix: suppression on the exact counts.
                table = build_table(statistics.topic_periods(span, by), span, by, THRESHOLD)
                write_table(table, fmt, path)
            facts.update(_facts(_read_rows(path, fmt)))
    return sorted(facts, key=lambda f: (f.topic, f.measure, f.first, f.last, f.low))


def _ranges(facts: list[Fact], topic: str, days: list[date]) -> dict[date, tuple[float, float]]:
    """The attacker's exact range for each day's views of `topic` (topics are independent)."""
    column = {day: index for index, day in enumerate(days)}
    width = len(MEASURES) * len(days)
    rows_eq: list[tuple[list[int], float]] = []
    rows_ub: list[tuple[list[int], list[float], float]] = []
    for fact in facts:
        if fact.topic != topic:
            continue
        span_days = (fact.last - fact.first).days + 1
        cols = [
            fact.measure * len(days) + column[fact.first + timedelta(days=d)]
            for d in range(span_days)
        ]
        if fact.low == fact.high:
            rows_eq.append((cols, fact.low))
            continue
        if fact.low > 0:
            rows_ub.append((cols, [-1.0] * len(cols), -fact.low))
        if not math.isinf(fact.high):
            rows_ub.append((cols, [1.0] * len(cols), fact.high))
    for measure in range(1, len(MEASURES)):
        for index in range(len(days)):
            # A mode count is at most its day's views.
            rows_ub.append(([measure * len(days) + index, index], [1.0, -1.0], 0.0))

    def matrix(rows: list[tuple[list[int], list[float]]]) -> Any:
        r = [i for i, (cols, _) in enumerate(rows) for _ in cols]
        c = [col for cols, _ in rows for col in cols]
        v = [x for _, values in rows for x in values]
        return coo_matrix((v, (r, c)), shape=(len(rows), width)).tocsr()

    a_eq = matrix([(cols, [1.0] * len(cols)) for cols, _ in rows_eq])
    b_eq = np.array([b for _, b in rows_eq])
    a_ub = matrix([(cols, values) for cols, values, _ in rows_ub])
    b_ub = np.array([b for _, _, b in rows_ub])
    result: dict[date, tuple[float, float]] = {}
    for day, index in column.items():
        bounds = []
        for sign in (1.0, -1.0):
            objective = np.zeros(width)
            objective[index] = sign
            solved = linprog(
                objective,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=a_eq,
                b_eq=b_eq,
                bounds=(0, None),
                method="highs",
            )
            if solved.status == 3:  # unbounded: no upper limit
                bounds.append(math.inf)
                continue
            assert solved.status == 0, (topic, day, solved.message)
            bounds.append(sign * solved.fun)
        result[day] = (bounds[0], bounds[1])
    return result


def _indistinguishable(views: int, released: list[int]) -> bool:
    """Some atom with these true views is turned by the public noise table into `released`.

    Its mode counts are chosen to fit; its seconds can be any multiple of its views with
    the same average, which the export turns into the same released seconds.
    """
    noisy = released[0]
    if noisy not in views_outcomes(views):
        return False
    for mode in released[1:]:
        # Some mode count of at most `views` that the table turns into `mode`, capped at the
        # changed views.
        if not any(
            min(noisy, outcome) == mode
            for true in range(0, views + 1)
            for outcome in mode_outcomes(true)
        ):
            return False
    return True


def _satisfies(facts: list[Fact], atoms: Atoms) -> bool:
    for fact in facts:
        total = sum(
            atoms.get((fact.first + timedelta(days=d), fact.topic), [0] * 4)[fact.measure]
            for d in range((fact.last - fact.first).days + 1)
        )
        if not fact.low <= total <= fact.high:
            return False
    return True


def test_no_set_of_exports_pins_down_a_small_count(
    clinic: tuple[Statistics, Atoms], tmp_path: Path
) -> None:
    started = time.monotonic()
    statistics, true = clinic
    noise = AtomNoise(KEY)
    released: Atoms = {}
    for (day, topic), (views, read, large, contrast) in true.items():
        sums = (views, 60 * views, read, large, contrast, max(large, contrast))
        changed = noise.perturb(day, topic, sums)
        released[(day, topic)] = [changed[0], *changed[2:5]]
    days = [FIRST + timedelta(days=d) for d in range(DAYS)]
    small = [(day, topic) for (day, topic), c in true.items() if 1 <= c[0] < THRESHOLD]
    assert len(small) > 80  # a small clinic: most quiet-topic days are under the threshold

    facts = _exports(statistics, tmp_path / "noisy", perturbed=True)
    # (1) What the files say is consistent, and the perturbed atoms are one solution of it.
    assert _satisfies(facts, released)
    pinned_released = 0
    only_large_beyond = 0
    for topic in TOPICS:
        ranges = _ranges(facts, topic, days)
        for day in days:
            if (day, topic) not in small:
                continue
            low, high = ranges[day]
            value = released[(day, topic)][0]
            assert low - 1e-6 <= value <= high + 1e-6, (day, topic, low, high, value)
            pinned_released += math.isclose(low, high)
            # (2) The attacker's range for the released value, mapped back through the
            # public noise table, is what it can say about the true count...
            top = high if math.isfinite(high) else value + 1000
            possible = set().union(
                *(preimage(q) for q in range(math.ceil(low - 1e-6), math.floor(top + 1e-6) + 1))
            )
            # ...and it always holds every count that the released value itself allows:
            # each is the true views of an atom that the noise turns into exactly the
            # released one, modes too, so no file or set of files can tell them apart.
            # (Checked from these, not from the range: linear programming ignores that
            # counts are whole numbers, so its range may be wider than what is knowable.)
            certain = preimage(value)
            assert certain <= possible
            assert true[(day, topic)][0] in certain
            for other in certain:
                assert _indistinguishable(other, released[(day, topic)]), (day, topic, other)
            assert len(certain) >= 2, (day, topic, certain)
            small_values = {t for t in certain if 1 <= t < THRESHOLD}
            # At least two small values are possible, unless the count may as well be 11 or
            # more (a true 10 turned into 12): then the attacker cannot even tell it is small.
            if len(small_values) < 2:
                assert max(certain) >= THRESHOLD, (day, topic, certain)
                only_large_beyond += 1
    # The attack has teeth against the perturbed files too: it recovers perturbed days...
    assert pinned_released > 0

    # (3) ...and against the same files without the noise it recovers true small counts.
    exact_facts = _exports(statistics, tmp_path / "exact", perturbed=False)
    assert _satisfies(exact_facts, true)
    pinned_true = 0
    for topic in TOPICS:
        ranges = _ranges(exact_facts, topic, days)
        for day in days:
            if (day, topic) in small and math.isclose(*ranges[day]):
                assert round(ranges[day][0]) == true[(day, topic)][0]
                pinned_true += 1
    assert pinned_true > 0
    print(
        f"\n{len(small)} small days; with noise the attacker pins {pinned_released} perturbed "
        f"values and no true one ({only_large_beyond} could also be 11 or more); without "
        f"noise {pinned_true} true small counts; {time.monotonic() - started:.1f} s"
    )
