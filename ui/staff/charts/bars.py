"""Bar charts: horizontal bars for named categories, columns for hours of the day."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QHorizontalBarSeries,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QWidget

from ui.staff.charts.axes import (
    HOUR_STEPS,
    MAX_AXIS_SHARE,
    amount_axis,
    label_html,
    label_slots,
    number,
    set_amounts,
    slot_axis,
    unique,
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
        self.series.setLabelsVisible(True)
        self.series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.series.setLabelsFormat(f"@value{unit}")
        self.names = QBarCategoryAxis()
        self.names.setGridLineVisible(False)
        self.amounts = amount_axis("%.0f%%" if unit == "%" else "%.0f")
        chart = self.chart()
        chart.addSeries(self.series)
        chart.addAxis(self.names, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(self.amounts, Qt.AlignmentFlag.AlignBottom)
        self.series.attachAxis(self.names)
        self.series.attachAxis(self.amounts)

    def show_bars(self, categories: Sequence[str], values: Sequence[float]) -> None:
        self._names = list(categories)
        self._values = [float(v) for v in values]
        # Qt stacks the first category at the bottom; people read the first at the top.
        self.bars.remove(0, self.bars.count())
        self.bars.append(list(reversed(self._values)))
        self._wrap_width = -1
        self._relayout()
        unit = self._unit
        self.describe([(c, f"{number(v)}{unit}") for c, v in zip(categories, values, strict=True)])

    def _restyle_series(self) -> None:
        view = self.view
        self.bars.setColor(view.series_colour)
        self.bars.setBorderColor(view.series_colour)
        self.bars.setLabelColor(view.text_colour)
        self.bars.setLabelFont(view.font())
        self._wrap_width = -1

    def _relayout(self) -> None:
        metrics = QFontMetrics(self.view.font())
        margins = self.chart().margins()
        inner = self.view.width() - margins.left() - margins.right()
        # The name axis may take 40% of the chart; leave room for its tick marks too.
        width = max(metrics.horizontalAdvance("Wide name"), int(MAX_AXIS_SHARE * inner) - 24)
        if width == self._wrap_width:
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
        label = metrics.horizontalAdvance(f"{number(top)}{self._unit}") + 16
        set_amounts(self.amounts, top * plot / max(plot - label, 1), headroom=1.0)
        # QtCharts gives each name the plot's height over one more than the number of
        # names, less some padding, and elides a name that is taller than that.
        most = max((len(name_lines) for name_lines in lines), default=1)
        row = most * metrics.lineSpacing() + 16
        axis = metrics.height() + 28  # the amounts along the bottom
        rows = max(len(self._names), 1)
        height = (rows + 1) * row + axis + margins.top() + margins.bottom() + 16
        # Never shorter than the other charts, so cards side by side line up.
        self.view.setFixedHeight(max(CHART_HEIGHT, height))


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
        self._labels: list[str] = []
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

    def show_columns(self, labels: Sequence[str], values: Sequence[float]) -> None:
        self._labels = list(labels)
        self.bars.remove(0, self.bars.count())
        self.bars.append([float(v) for v in values])
        set_amounts(self.amounts, max(values, default=0))
        self._shown = (-1, -1)
        self._relayout()
        self.describe([(c, number(v)) for c, v in zip(labels, values, strict=True)])

    def _restyle_series(self) -> None:
        self.bars.setColor(self.view.series_colour)
        self.bars.setBorderColor(self.view.series_colour)
        self._shown = (-1, -1)

    def _relayout(self) -> None:
        self._shown = label_slots(self.slots, self._labels, self.view, self._steps, self._shown)
