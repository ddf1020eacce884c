"""The staff charts' axis labels: clear of every line QtCharts draws, in both themes' fonts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsLineItem
from pytestqt.qtbot import QtBot

from kiosk.theme import ThemeBook
from ui.common.theme import ThemeApplier, load_fonts
from ui.staff.charts import BarChart, ChartCard, ColumnChart, LineChart

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

# QGraphicsTextItem's type(): QtCharts' axis labels are text items of a private subclass.
TEXT_ITEM = 8
ITEM_GROUP = 10  # QGraphicsItemGroup's type()
EMPTY_LABEL_WIDTH = 4  # px


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[ThemeApplier]:
    load_fonts()
    applier = ThemeApplier(qapp, ThemeBook.load())
    yield applier
    applier.apply("standard", "standard")


def _charts() -> list[ChartCard]:
    bars = BarChart("Views per topic", "chartTopics")
    bars.show_bars(
        ["What is ketamine?", "Cost and insurance", "Side effects and risks of treatment"],
        [190, 140, 3],
        ["190", "140", "<11"],
    )
    columns = ColumnChart("Views by hour of day", "chartHours")
    columns.show_columns([f"{hour:02d}" for hour in range(24)], [3 * h for h in range(24)])
    line = LineChart("Views per day", "chartDays")
    days = [date(2026, 10, 22) + timedelta(days=n) for n in range(30)]
    line.show_line(days, [n % 9 * 7 for n in range(30)])
    return [bars, columns, line]


def _is_axis_label(item: QGraphicsItem) -> bool:
    parent = item.parentItem()
    return item.type() == TEXT_ITEM and parent is not None and parent.type() == ITEM_GROUP


def _scene_rect(item: QGraphicsItem) -> QRectF:
    """Where the item is drawn; for a line, its pen's width around it."""
    return item.sceneBoundingRect()


@pytest.mark.parametrize("text_size", ["standard", "large"])
@pytest.mark.parametrize("width", [480, 900])
def test_axis_labels_do_not_run_into_tick_marks_or_lines(
    qtbot: QtBot, theme: ThemeApplier, text_size: str, width: int
) -> None:
    theme.apply("standard", text_size)
    for chart in _charts():
        qtbot.addWidget(chart)
        chart.resize(width, 420)
        chart.show()
        qtbot.waitExposed(chart)
        scene = chart.view.scene()

        def laid_out(chart: ChartCard = chart) -> None:
            items = chart.view.scene().items()
            assert any(i.type() == TEXT_ITEM and i.isVisible() for i in items)

        qtbot.waitUntil(laid_out)
        QApplication.processEvents()
        visible = [item for item in scene.items() if item.isVisible()]
        # QtCharts keeps an axis's labels in an item group; an empty one (QCategoryAxis's
        # unnamed start) is a 2 px sliver of document margin with nothing to run into.
        labels = [
            rect
            for rect in (_scene_rect(item) for item in visible if _is_axis_label(item))
            if rect.width() > EMPTY_LABEL_WIDTH
        ]
        lines = [
            _scene_rect(item)
            for item in visible
            if isinstance(item, QGraphicsLineItem) and item.opacity() > 0
        ]
        assert labels, chart.title
        touching = [(label, line) for label in labels for line in lines if label.intersects(line)]
        assert touching == [], chart.title
        crowded = [(a, b) for n, a in enumerate(labels) for b in labels[n + 1 :] if a.intersects(b)]
        assert crowded == [], chart.title  # nor into each other (the corner by zero)


def test_amount_axes_take_at_most_four_steps_so_large_labels_fit(
    qtbot: QtBot, theme: ThemeApplier
) -> None:
    from PySide6.QtCharts import QValueAxis

    from ui.staff.charts.axes import set_amounts

    axis = QValueAxis()
    for top in range(1, 2000):
        set_amounts(axis, top)
        steps = round(axis.max() / axis.tickInterval())
        assert axis.max() >= top and 1 <= steps <= 4, (top, axis.max(), axis.tickInterval())
    # The day counts that crowded the axis (0 to 25 by 5, 0 to 50 by 10): in large text on
    # the dashboard's card, QtCharts cut their labels short.
    theme.apply("standard", "large")
    days = [date(2026, 11, 7) + timedelta(days=n) for n in range(14)]
    for top in (8, 20, 39, 40, 78):
        chart = LineChart("Views per day", "chartDays")
        qtbot.addWidget(chart)
        chart.resize(626, 440)
        chart.show()
        chart.show_line(days, [top if n == 3 else top // 2 for n in range(14)])
        qtbot.waitUntil(lambda c=chart: c.chart().plotArea().height() > 0)
        QApplication.processEvents()
        assert not any(axis.labelsTruncated() for axis in chart.chart().axes()), (
            top,
            chart.amounts.max(),
            chart.amounts.tickInterval(),
            chart.chart().plotArea(),
        )
