"""The dashboard's charts (QtCharts): each view is refilled in place when new figures arrive.

Every chart also states its figures in its accessible description, for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, QMargins, QPointF, Qt, QTime
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

CHART_HEIGHT = 280
MAX_DESCRIBED = 40  # items listed in an accessible description before "and N more"


class ChartCard(QChartView):
    """A titled chart that redraws itself from plain figures."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setTitle(title)
        # Animations would keep the GUI thread busy for a second after every refresh.
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        super().__init__(chart, parent)
        self.setObjectName(object_name)
        self.setProperty("role", "chart")
        self.setAccessibleName(title)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(CHART_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # A touch screen has no hover; rubber-band zoom would only get in the way.
        self.setRubberBand(QChartView.RubberBand.NoRubberBand)
        self.title = title

    def _clear(self) -> QChart:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        return chart

    def _describe(self, items: Sequence[tuple[str, str]]) -> None:
        shown = [f"{name}: {value}" for name, value in items[:MAX_DESCRIBED]]
        if len(items) > MAX_DESCRIBED:
            shown.append(f"and {len(items) - MAX_DESCRIBED} more")
        self.setAccessibleDescription("; ".join(shown) if shown else "No data")

    def show_bars(
        self,
        categories: Sequence[str],
        values: Sequence[float],
        *,
        horizontal: bool = False,
        unit: str = "",
    ) -> None:
        chart = self._clear()
        bars = QBarSet(self.title)
        bars.append([float(v) for v in values])
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append(list(categories) or [""])
        amounts = QValueAxis()
        amounts.setRange(0, _nice_top(max(values, default=0)))
        amounts.setLabelFormat("%.0f")
        if horizontal:
            chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(amounts, Qt.AlignmentFlag.AlignBottom)
        else:
            names.setLabelsAngle(-60 if len(categories) > 8 else 0)
            chart.addAxis(names, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(amounts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        series.attachAxis(amounts)
        self._describe(
            [(c, f"{_number(v)}{unit}") for c, v in zip(categories, values, strict=True)]
        )

    def show_line(self, days: Sequence[date], values: Sequence[int]) -> None:
        chart = self._clear()
        series = QLineSeries()
        series.setName(self.title)
        series.append(
            [
                QPointF(datetime.combine(day, time(12)).timestamp() * 1000, value)
                for day, value in zip(days, values, strict=True)
            ]
        )
        chart.addSeries(series)
        axis_x = QDateTimeAxis()
        axis_x.setFormat("d MMM")
        axis_x.setTickCount(min(max(len(days), 2), 8))
        if days:
            first, last = days[0], days[-1]
            axis_x.setRange(
                QDateTime(QDate(first.year, first.month, first.day), QTime(0, 0)),
                QDateTime(QDate(last.year, last.month, last.day), QTime(23, 59)),
            )
        axis_y = QValueAxis()
        axis_y.setRange(0, _nice_top(max(values, default=0)))
        axis_y.setLabelFormat("%.0f")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        self._describe([(d.isoformat(), str(v)) for d, v in zip(days, values, strict=True)])

    def show_pie(self, shares: Sequence[tuple[str, int]]) -> None:
        chart = self._clear()
        series = QPieSeries()
        total = sum(count for _, count in shares)
        for name, count in shares:
            share = 100 * count / total if total else 0
            piece = series.append(f"{name} {share:.0f}%", count)
            piece.setLabelVisible(True)
        chart.addSeries(series)
        self._describe([(name, str(count)) for name, count in shares])


def _nice_top(value: float) -> float:
    """An axis maximum a little above the data, so the tallest bar is not cut off."""
    if value <= 0:
        return 1.0
    return float(value) * 1.1


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
