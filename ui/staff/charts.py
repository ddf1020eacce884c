"""The dashboard's charts (QtCharts). Series and axes are made once and refilled in place.

Rebuilding them on every refresh leaked: QChart.removeAxis hands the axis back to the
caller, and the scene kept growing until each paint took twice as long. Every chart also
states its figures in its accessible description, for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from PySide6.QtCharts import (
    QAbstractBarSeries,
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
    """A titled chart view; subclasses own their series and refill them."""

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
        self.setMinimumHeight(CHART_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # A touch screen has no hover; rubber-band zoom would only get in the way.
        self.setRubberBand(QChartView.RubberBand.NoRubberBand)
        self.title = title

    def describe(self, items: Sequence[tuple[str, str]]) -> None:
        shown = [f"{name}: {value}" for name, value in items[:MAX_DESCRIBED]]
        if len(items) > MAX_DESCRIBED:
            shown.append(f"and {len(items) - MAX_DESCRIBED} more")
        self.setAccessibleDescription("; ".join(shown) if shown else "No data")


class BarChart(ChartCard):
    def __init__(
        self,
        title: str,
        object_name: str,
        *,
        horizontal: bool = False,
        unit: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, object_name, parent)
        self._unit = unit
        self._horizontal = horizontal
        self.bars = QBarSet(title)
        self.series: QAbstractBarSeries = QHorizontalBarSeries() if horizontal else QBarSeries()
        self.series.append(self.bars)
        self.names = QBarCategoryAxis()
        # Elided names ("to...") say nothing; long names wrap or overlap less than they lose.
        self.names.setTruncateLabels(False)
        self.amounts = QValueAxis()
        self.amounts.setLabelFormat("%.0f")
        chart = self.chart()
        chart.addSeries(self.series)
        name_side, amount_side = Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft
        if horizontal:
            name_side, amount_side = amount_side, name_side
        chart.addAxis(self.names, name_side)
        chart.addAxis(self.amounts, amount_side)
        self.series.attachAxis(self.names)
        self.series.attachAxis(self.amounts)

    def show_bars(self, categories: Sequence[str], values: Sequence[float]) -> None:
        shown_names, shown_values = list(categories), [float(v) for v in values]
        if self._horizontal:
            # Qt stacks the first category at the bottom; people read the first at the top.
            shown_names.reverse()
            shown_values.reverse()
        self.bars.remove(0, self.bars.count())
        self.bars.append(shown_values)
        self.names.clear()
        self.names.append(shown_names or [""])
        if not self._horizontal:
            longest = max((len(c) for c in categories), default=0)
            self.names.setLabelsAngle(-60 if len(categories) * longest > 60 else 0)
        self.amounts.setRange(0, _nice_top(max(values, default=0)))
        unit = self._unit
        self.describe([(c, f"{_number(v)}{unit}") for c, v in zip(categories, values, strict=True)])


class LineChart(ChartCard):
    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, object_name, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.series = QLineSeries()
        self.series.setName(title)
        self.days = QDateTimeAxis()
        self.days.setFormat("d MMM")
        self.amounts = QValueAxis()
        self.amounts.setLabelFormat("%.0f")
        chart = self.chart()
        chart.addSeries(self.series)
        chart.addAxis(self.days, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.amounts, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.days)
        self.series.attachAxis(self.amounts)

    def show_line(self, days: Sequence[date], values: Sequence[int]) -> None:
        self.series.replace(
            [
                QPointF(datetime.combine(day, time(12)).timestamp() * 1000, value)
                for day, value in zip(days, values, strict=True)
            ]
        )
        self.days.setTickCount(min(max(len(days), 2), 8))
        if days:
            self.days.setRange(_moment(days[0], QTime(0, 0)), _moment(days[-1], QTime(23, 59)))
        self.amounts.setRange(0, _nice_top(max(values, default=0)))
        self.describe([(d.isoformat(), str(v)) for d, v in zip(days, values, strict=True)])


class PieChart(ChartCard):
    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, object_name, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.series = QPieSeries()
        self.chart().addSeries(self.series)

    def show_pie(self, shares: Sequence[tuple[str, int]]) -> None:
        self.series.clear()
        total = sum(count for _, count in shares)
        for name, count in shares:
            share = 100 * count / total if total else 0
            piece = self.series.append(f"{name} {share:.0f}%", count)
            piece.setLabelVisible(True)
        self.describe([(name, str(count)) for name, count in shares])


def _moment(day: date, at: QTime) -> QDateTime:
    return QDateTime(QDate(day.year, day.month, day.day), at)


def _nice_top(value: float) -> float:
    """An axis maximum a little above the data, so the tallest bar is not cut off."""
    return float(value) * 1.1 if value > 0 else 1.0


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
