"""Bar charts: horizontal bars for named categories, columns for hours of the day."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QHorizontalBarSeries,
)
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QFontMetrics
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QWidget

from ui.staff.charts.axes import (
    HOUR_STEPS,
    LABEL_GAP,
    MAX_AXIS_SHARE,
    amount_axis,
    fit_amounts,
    label_html,
    label_slots,
    number,
    set_amounts,
    slot_axis,
    unique,
    without_ticks,
    wrap_text,
)
from ui.staff.charts.card import CHART_HEIGHT, ChartCard


class BarChart(ChartCard):
    """Horizontal bars, one per named category, the first at the top, with their values."""

    def __init__(
        self, title: str, object_name: str, *, unit: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(title, object_name, parent)
        self._unit = unit
        self._names: list[str] = []
        self._values: list[float] = []
        self._wrap_width = -1
        self.bars = QBarSet(title)
        self.series: QAbstractBarSeries = QHorizontalBarSeries()
        self.series.append(self.bars)
        # Value labels are items of our own: QtCharts labels every bar with its number, and a
        # hidden small count must read "<11", not "0".
        self.value_texts: list[str] = []
        self.value_labels: list[QGraphicsSimpleTextItem] = []
        self.names = QBarCategoryAxis()
        self.names.setGridLineVisible(False)
        without_ticks(self.names)
        self.amounts = amount_axis("%.0f%%" if unit == "%" else "%.0f")
        chart = self.chart()
        chart.addSeries(self.series)
        chart.addAxis(self.names, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(self.amounts, Qt.AlignmentFlag.AlignBottom)
        self.series.attachAxis(self.names)
        self.series.attachAxis(self.amounts)
        chart.plotAreaChanged.connect(self._place_labels)

    def _place_labels(self, *_: object) -> None:
        """Each value label just beyond the end of its bar, centred on it."""
        chart, view = self.chart(), self.view
        while len(self.value_labels) < len(self.value_texts):
            label = QGraphicsSimpleTextItem(chart)
            label.setBrush(QBrush(view.text_colour))
            label.setFont(view.font())
            self.value_labels.append(label)
        rows = len(self.value_texts)
        for index, label in enumerate(self.value_labels):
            label.setVisible(index < rows)
            if index >= rows:
                continue
            label.setText(self.value_texts[index])
            end = chart.mapToPosition(QPointF(self._values[index], rows - 1 - index), self.series)
            height = label.boundingRect().height()
            label.setPos(end.x() + 8, end.y() - height / 2)

    def show_bars(
        self,
        categories: Sequence[str],
        values: Sequence[float],
        texts: Sequence[str] | None = None,
    ) -> None:
        """A bar per category; `texts` are the value labels if not the values themselves
        (a hidden small count is drawn as no bar, labelled "<11")."""
        self._names = list(categories)
        self._values = [float(v) for v in values]
        unit = self._unit
        self.value_texts = (
            list(texts) if texts is not None else [f"{number(v)}{unit}" for v in self._values]
        )
        # Qt stacks the first category at the bottom; people read the first at the top.
        self.bars.remove(0, self.bars.count())
        self.bars.append(list(reversed(self._values)))
        self._wrap_width = -1
        self._relayout()
        self._place_labels()
        self.describe(list(zip(categories, self.value_texts, strict=True)))

    def _restyle_series(self) -> None:
        view = self.view
        self.bars.setColor(view.series_colour)
        self.bars.setBorderColor(view.series_colour)
        for label in self.value_labels:
            label.setBrush(QBrush(view.text_colour))
            label.setFont(view.font())
        self._wrap_width = -1

    def _relayout(self) -> None:
        metrics = QFontMetrics(self.view.font())
        margins = self.chart().margins()
        inner = self.view.width() - margins.left() - margins.right()
        # The name axis may take 40% of the chart; leave room for its tick marks too.
        width = max(metrics.horizontalAdvance("Wide name"), int(MAX_AXIS_SHARE * inner) - 24)
        if width == self._wrap_width:
            self._place_labels()
            return
        self._wrap_width = width
        lines = [wrap_text(name, metrics, width) for name in self._names]
        labels = unique([label_html(name_lines) for name_lines in lines])
        self.names.clear()
        self.names.append(list(reversed(labels)) or [""])
        # Room beyond the longest bar for its value label, which QtCharts would otherwise
        # draw inside the bar, dark on dark.
        names_width = max(
            (metrics.horizontalAdvance(line) for name_lines in lines for line in name_lines),
            default=0,
        )
        plot = inner - min(names_width, width) - 40
        top = max(self._values, default=0)
        label = max((metrics.horizontalAdvance(t) for t in self.value_texts), default=0) + 16
        reach = top * plot / max(plot - label, 1)
        # As many amounts along the bottom as fit side by side with a gap (large text on a
        # narrow card has room for two or three, not five).
        amount = metrics.horizontalAdvance(number(math.ceil(reach))) + 3 * LABEL_GAP
        ticks = max(1, min(4, plot // max(amount, 1) - 2))
        set_amounts(self.amounts, reach, headroom=1.0, ticks=ticks)
        # QtCharts gives each name the plot's height over one more than the number of
        # names, less some padding, and elides a name that is taller than that.
        most = max((len(name_lines) for name_lines in lines), default=1)
        row = most * metrics.lineSpacing() + 16
        axis = metrics.height() + 28  # the amounts along the bottom
        rows = max(len(self._names), 1)
        height = (rows + 1) * row + axis + margins.top() + margins.bottom() + 16
        # Never shorter than the other charts, so cards side by side line up.
        self.view.setFixedHeight(max(CHART_HEIGHT, height))
        self._place_labels()


class ColumnChart(ChartCard):
    """Vertical bars for a run of numbered slots (hours); some slots labelled if crowded."""

    def __init__(
        self,
        title: str,
        object_name: str,
        *,
        steps: Sequence[int] = HOUR_STEPS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, object_name, parent)
        self._steps = steps
        self._top = 0.0
        self._labels: list[str] = []
        self.value_texts: list[str] = []
        self._shown: tuple[int, int] = (-1, -1)
        self.bars = QBarSet(title)
        self.series = QBarSeries()
        self.series.append(self.bars)
        self.slots = slot_axis()
        self.amounts = amount_axis("%.0f")
        chart = self.chart()
        chart.addSeries(self.series)
        chart.addAxis(self.slots, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.amounts, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.slots)
        self.series.attachAxis(self.amounts)

    def show_columns(
        self,
        labels: Sequence[str],
        values: Sequence[float],
        texts: Sequence[str] | None = None,
    ) -> None:
        """A column per slot; `texts` say what each value is where it is not drawn ("<11")."""
        self._labels = list(labels)
        self.bars.remove(0, self.bars.count())
        self.bars.append([float(v) for v in values])
        self._top = max(values, default=0)
        self._shown = (-1, -1)
        self._relayout()
        self.value_texts = list(texts) if texts is not None else [number(v) for v in values]
        self.describe(list(zip(labels, self.value_texts, strict=True)))

    def _restyle_series(self) -> None:
        self.bars.setColor(self.view.series_colour)
        self.bars.setBorderColor(self.view.series_colour)
        self._shown = (-1, -1)

    def _relayout(self) -> None:
        fit_amounts(self.amounts, self._top, self.chart().plotArea().height() or self.view.height())
        self._shown = label_slots(self.slots, self._labels, self.view, self._steps, self._shown)
