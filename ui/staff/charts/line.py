"""A line chart of a count per day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCharts import QLineSeries
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QWidget

from ui.staff.charts.axes import (
    DAY_STEPS,
    amount_axis,
    day_label,
    fit_amounts,
    label_slots,
    slot_axis,
)
from ui.staff.charts.card import ChartCard


class LineChart(ChartCard):
    """A value per day, as a line with a dot on each day."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, object_name, parent)
        self._labels: list[str] = []
        self._top = 0.0
        self.value_texts: list[str] = []
        self._shown: tuple[int, int] = (-1, -1)
        self.series = QLineSeries()
        self.series.setName(title)
        self.series.setPointsVisible(True)
        self.days = slot_axis()
        self.amounts = amount_axis("%.0f")
        chart = self.chart()
        chart.addSeries(self.series)
        chart.addAxis(self.days, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.amounts, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.days)
        self.series.attachAxis(self.amounts)

    def show_line(
        self, days: Sequence[date], values: Sequence[int], texts: Sequence[str] | None = None
    ) -> None:
        """A point per day; `texts` say what each value is where it is not drawn ("<11")."""
        long_range = len(days) > 366
        self._labels = [day_label(day, long_range) for day in days]
        self.series.replace([QPointF(i, v) for i, v in enumerate(values)])
        self._top = max(values, default=0)
        self._shown = (-1, -1)
        self._relayout()
        self.value_texts = list(texts) if texts is not None else [str(v) for v in values]
        self.describe([(d.isoformat(), t) for d, t in zip(days, self.value_texts, strict=True)])

    def _restyle_series(self) -> None:
        pen = QPen(self.view.series_colour, 3)
        self.series.setPen(pen)
        self.series.setColor(self.view.series_colour)
        self.series.setMarkerSize(9)
        self._shown = (-1, -1)

    def _relayout(self) -> None:
        fit_amounts(self.amounts, self._top, self.chart().plotArea().height() or self.view.height())
        self._shown = label_slots(self.days, self._labels, self.view, DAY_STEPS, self._shown)
