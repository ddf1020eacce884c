"""The staff dashboard shows what the exports show: no count from 1 to 10 on any screen."""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.clock import ManualClock
from kiosk.stats.export import export, statistics_noise
from kiosk.stats.kinds import ExportFormat, Grouping
from kiosk.stats.onscreen import DashboardFigures, ShownDashboard
from kiosk.stats.queries import DateRange, Statistics
from kiosk.viewlog.store import open_database
from tests.helpers.counters import store_rows
from ui.common.tasks import TaskRunner
from ui.staff.dashboard import DashboardView, TopicTableModel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

THRESHOLD = 11
TODAY = date(2026, 11, 20)
SPAN = DateRange(TODAY - timedelta(days=13), TODAY)
# The clinic's topics (views a day): one busy, one read a few times a day, one read twice.
DAILY = {"busy": (30, 60), "rare": (0, 3), "seldom": (0, 0)}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine, _ = open_database(f"sqlite:///{tmp_path / 'kiosk.db'}", datetime(2026, 11, 20, 9))
    rng = random.Random(13)
    rows = []
    for day in SPAN.each_day():
        for topic, (low, high) in DAILY.items():
            views = rng.randint(low, high)
            if views:
                hour = 15 if topic == "rare" else 10
                rows.append(_row(day, hour, topic, views, read_aloud=topic == "rare"))
    # Two views at noon on one day: the only ones at that hour, which must not be readable.
    rows.append(_row(TODAY - timedelta(days=3), 12, "seldom", 2, read_aloud=False))
    store_rows(engine, rows)
    yield engine
    engine.dispose()


def _row(day: date, hour: int, topic: str, views: int, read_aloud: bool) -> dict[str, object]:
    return {
        "day": day,
        "hour": hour,
        "kiosk_id": "kiosk-1",
        "topic_id": topic,
        "language": "es" if topic == "rare" else "en",
        "read_aloud": read_aloud,
        "large_text": False,
        "high_contrast": False,
        "views": views,
        "seconds_total": views * 45,
    }


def _shown(qtbot: QtBot, engine: Engine) -> tuple[DashboardView, ShownDashboard]:
    tasks = TaskRunner()
    view = DashboardView(
        DashboardFigures(Statistics(engine), THRESHOLD), tasks, ManualClock(datetime(2026, 11, 20))
    )
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.figures_shown, timeout=10_000) as drawn:
        view.range.choose_dates(SPAN.start, SPAN.end)
    assert tasks.wait(10_000)
    figures = drawn.args[0]
    assert isinstance(figures, ShownDashboard) and figures.span == SPAN
    return view, figures


def _export_totals(engine: Engine, folder: Path, by: Grouping) -> dict[str, str]:
    """Each topic's total-row views in the CSV export of SPAN, as the file holds them."""
    path = folder / f"{by}.csv"
    export(Statistics(engine), SPAN, by, ExportFormat.CSV, path, THRESHOLD)
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["topic_id"]: row["views"]
            for row in csv.DictReader(handle)
            if row["period"] == "total"
        }


def test_topic_figures_equal_the_suppressed_exports(
    qtbot: QtBot, engine: Engine, tmp_path: Path
) -> None:
    view, figures = _shown(qtbot, engine)
    files = {by: _export_totals(engine, tmp_path, by) for by in Grouping}
    model = view.model
    table = {
        model.index(row, TopicTableModel.COLUMN_TOPIC).data(): model.index(
            row, TopicTableModel.COLUMN_VIEWS
        ).data()
        for row in range(model.rowCount())
    }
    for totals in files.values():
        assert set(table) == set(totals)  # the same topics, none the exports leave out
    for topic, text in table.items():
        in_files = {totals[topic] for totals in files.values()}
        if text.isdigit():
            assert in_files == {text}, topic  # a number only where every export shows it
        else:
            assert text in in_files, topic  # else the mark an export gives it
    assert table["seldom"] == f"<{THRESHOLD}"
    assert table["busy"].isdigit()  # totals over the threshold are still shown
    # The topic chart draws the same values: the number as a bar, a mark as no bar.
    chart = view.topics_chart
    assert chart.value_texts == [table[t.topic_id] for t in figures.topics]
    drawn = list(reversed([chart.bars.at(i) for i in range(chart.bars.count())]))
    assert drawn == [float(t) if t.isdigit() else 0.0 for t in chart.value_texts]


def test_no_screen_shows_a_count_from_one_to_ten(qtbot: QtBot, engine: Engine) -> None:
    view, figures = _shown(qtbot, engine)
    counts: list[str] = [label.text() for key, label in view.headline.items() if key != "average"]
    counts += [
        view.model.index(row, TopicTableModel.COLUMN_VIEWS).data()
        for row in range(view.model.rowCount())
    ]
    for key in ("topics", "days", "hours"):
        counts += view.charts[key].value_texts  # type: ignore[attr-defined]
    counts += [label.text() for label in view.topics_chart.value_labels if label.isVisible()]
    small = [text for text in counts if re.fullmatch(r"\d+", text) and 0 < int(text) < THRESHOLD]
    assert small == []
    # Noon's two views read "<11", drawn as no column; and as the total is shown, the rule
    # hides one more hour (15:00, the smallest), so noon cannot be worked out from the rest.
    assert figures.hours[12] == f"<{THRESHOLD}"
    assert figures.hours[15] == "suppressed" and isinstance(figures.hours[10], int)
    assert view.hours_chart.bars.at(12) == 0 and view.hours_chart.bars.at(15) == 0
    assert f"12: <{THRESHOLD}" in view.hours_chart.accessibleDescription()
    assert view.hours_chart.note.isVisible() and "<11" in view.hours_chart.note.text()
    # The whole range's total views are well over the threshold: shown, as the sum of the
    # same noisy days as the exports (an exact total could be differenced between ranges).
    statistics = Statistics(engine)
    noisy = statistics.topic_periods(SPAN, Grouping.DAY, statistics_noise(statistics))
    released = sum(figure.totals.views for figure in noisy)
    assert figures.views == released and view.headline["views"].text() == str(released)
    by_day = {d: v for d, v in figures.days if isinstance(v, int)}
    for day, views in by_day.items():
        assert views == sum(f.totals.views for f in noisy if f.period.start == day)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_dashboards_own_sums_equal_the_exports_periods(tmp_path: Path, seed: int) -> None:
    """The dashboard sums its topic blocks from the noisy atoms itself; the figures must be
    those of the exports' periods by day, week and month, quiet topics and odd edges too."""
    from kiosk.stats.onscreen import suppressed, suppressed_from_atoms

    engine, _ = open_database(f"sqlite:///{tmp_path / 'kiosk.db'}", datetime(2026, 11, 20, 9))
    rng = random.Random(seed)
    rows = []
    for offset in range(120):
        day = TODAY - timedelta(days=offset)
        for topic in ("busy", "rare", "seldom", "once", "mid"):
            views = {"busy": 40, "rare": 3, "seldom": 1, "once": 0, "mid": 12}[topic]
            views = rng.randint(0, views) if topic != "once" or offset == 50 else 0
            # Several hours with their own modes, so mode counts bound hidden views.
            for hour, part in ((10, views - views // 3), (14, views // 3)):
                if part:
                    row = _row(day, hour, topic, part, read_aloud=rng.random() < 0.3)
                    row["large_text"] = hour == 14 and rng.random() < 0.5
                    row["high_contrast"] = rng.random() < 0.1
                    rows.append(row)
    store_rows(engine, rows)
    statistics = Statistics(engine)
    noise = statistics_noise(statistics)
    try:
        for span in (
            DateRange.last_days(TODAY, 120),
            DateRange.last_days(TODAY, 30),
            DateRange(TODAY - timedelta(days=95), TODAY - timedelta(days=3)),
            DateRange(TODAY - timedelta(days=50), TODAY - timedelta(days=50)),
        ):
            figures = statistics.dashboard(span)
            periods = statistics.topic_periods_by(span, tuple(Grouping), noise)
            atoms = statistics.noisy_atoms(span, noise)
            for threshold in (3, THRESHOLD):
                expected = suppressed(figures, periods, threshold)
                assert suppressed_from_atoms(figures, atoms, threshold) == expected, span
            # The cases the rule has: small totals, hidden ones, topics left out.
            assert any(not isinstance(t.views, int) for t in expected.topics) or expected.left_out
        shown = DashboardFigures(statistics, THRESHOLD).shown(DateRange.last_days(TODAY, 120))
        assert shown == suppressed(
            statistics.dashboard(shown.span),
            statistics.topic_periods_by(shown.span, tuple(Grouping), noise),
            THRESHOLD,
        )
    finally:
        engine.dispose()


def test_the_dashboards_topic_blocks_are_the_exports() -> None:
    """Block by block, with mode counts that bound hidden views (they decide marks)."""
    from kiosk.stats.export import topic_blocks
    from kiosk.stats.onscreen import _atom_blocks
    from kiosk.stats.queries import sum_periods

    rng = random.Random(5)
    span = DateRange.last_days(TODAY, 75)
    atoms = []
    for day in span.each_day():
        for topic in ("a", "b", "c", "d"):
            views = rng.choice([0, 1, 2, 3, 4, 5, 9, 12, 30])
            if views:
                modes = [rng.choice([0, views, rng.randint(0, views)]) for _ in range(3)]
                either = min(views, max(modes[1], modes[2]))
                atoms.append((day, topic, (views, 40 * views, *modes, either)))
    for by in Grouping:
        for threshold in (3, 5, THRESHOLD):
            expected = [
                (b.topic_id, b.counts[-1][0], b.seconds[-1], b.marks)
                for b in topic_blocks(sum_periods(span, by, atoms), threshold)
            ]
            assert _atom_blocks(span, by, atoms, threshold) == expected, (by, threshold)
