"""The dashboard's charts (QtCharts). Series and axes are made once and refilled in place.

Rebuilding them on every refresh leaked: QChart.removeAxis hands the axis back to the
caller, and the scene kept growing until each paint took twice as long. Every chart also
states its figures in its accessible description, for screen readers.

Colours and the label font come from assets/style.qss like everything else: the chart view
(role "chart") gets its text and background colours from `color` and `background`, its
series and line colours from `qproperty-...` rules, and its font from `font-size`. QtCharts
draws with its own theme otherwise, which ignores the stylesheet.

Labels are never elided. QtCharts gives the axes on one side at most 40% of the chart
(maxAxisPortion in src/charts/layout/cartesianchartlayout.cpp) and elides what does not fit,
so long category names are wrapped onto more lines to fit that share, and a crowded axis
(24 hours, 30 days) labels every second, third or seventh item instead of all of them.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import date

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import Property, QEvent, QMargins, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.staff import staff_label

CHART_HEIGHT = 300  # px, for the line, column and pie charts
MIN_CHART_WIDTH = 320  # px; narrower and the plot is too small to read
MAX_DESCRIBED = 40  # items listed in an accessible description before "and N more"
MAX_AXIS_SHARE = 0.4  # QtCharts' maxAxisPortion (see the module docstring)
HOUR_STEPS = (1, 2, 3, 4, 6, 12)
DAY_STEPS = (1, 2, 7, 14, 28, 56, 91, 182, 364, 728)
# Pie slices differ by pattern in the one series colour: a second colour that stands apart
# from the first in both the standard and the high-contrast theme does not exist.
SLICE_PATTERNS = (
    Qt.BrushStyle.SolidPattern,
    Qt.BrushStyle.BDiagPattern,
    Qt.BrushStyle.CrossPattern,
    Qt.BrushStyle.FDiagPattern,
)


def _colour_property(attribute: str) -> Property:
    """A colour the stylesheet can set (qproperty-...); setting one restyles the chart."""

    def read(view: ChartView) -> QColor:
        return QColor(getattr(view, attribute))

    def write(view: ChartView, colour: QColor) -> None:
        setattr(view, attribute, QColor(colour))
        view._pending.start()

    return Property(QColor, read, write)


class ChartView(QChartView):
    """The drawing itself. Its colours and font follow the stylesheet; `restyled` says so."""

    restyled = Signal()
    resized = Signal()

    def __init__(self, chart: QChart, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(chart, parent)
        # Several colours arrive one by one when the stylesheet is applied; redraw once.
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.restyled)
        self.setObjectName(object_name)
        self.setProperty("role", "chart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        # A touch screen has no hover; rubber-band zoom would only get in the way.
        self.setRubberBand(QChartView.RubberBand.NoRubberBand)
        # Charts take no input: a finger dragging across one scrolls the page under it.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(MIN_CHART_WIDTH)
        # Fallbacks until the stylesheet sets them (a chart shown without the kiosk's style).
        self._series = QColor("#0A4F5C")
        self._grid = QColor("#DCE9EC")
        self._axis = QColor("#77716A")

    # Set from assets/style.qss with qproperty-seriesColour and so on.
    seriesColour = _colour_property("_series")
    gridColour = _colour_property("_grid")
    axisColour = _colour_property("_axis")

    # The same colours, typed, for the code that draws with them.
    @property
    def series_colour(self) -> QColor:
        return QColor(self._series)

    @property
    def grid_colour(self) -> QColor:
        return QColor(self._grid)

    @property
    def axis_colour(self) -> QColor:
        return QColor(self._axis)

    @property
    def text_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    @property
    def surface_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Base)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.PaletteChange,
            QEvent.Type.StyleChange,
        ):
            self._pending.start()


class ChartCard(QFrame):
    """A titled card with one chart; subclasses own their series and refill them."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setProperty("role", "chartCard")
        self.title = title
        self.setAccessibleName(title)
        # The title is a label, not the chart's own title: QtCharts elides a long title
        # instead of wrapping it.
        self.heading = staff_label("chartTitle", title)
        chart = QChart()
        # Animations would keep the GUI thread busy for a second after every refresh.
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setVisible(False)
        chart.setMargins(QMargins(4, 4, 12, 4))
        chart.setBackgroundRoundness(0)
        self.view = ChartView(chart, f"{object_name}View")
        self.view.setAccessibleName(title)
        self.view.setMinimumHeight(CHART_HEIGHT)
        self.view.restyled.connect(self._restyle)
        self.view.resized.connect(self._relayout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.view)
        # Cards side by side grow to the taller one's height; the chart stays at the top.
        layout.addStretch(1)

    def chart(self) -> QChart:
        return self.view.chart()

    def describe(self, items: Sequence[tuple[str, str]]) -> None:
        shown = [f"{name}: {value}" for name, value in items[:MAX_DESCRIBED]]
        if len(items) > MAX_DESCRIBED:
            shown.append(f"and {len(items) - MAX_DESCRIBED} more")
        self.setAccessibleDescription("; ".join(shown) if shown else "No data")

    def axes(self) -> list[QAbstractAxis]:
        return list(self.chart().axes())

    def _restyle(self) -> None:
        chart, view = self.chart(), self.view
        chart.setBackgroundBrush(QBrush(view.surface_colour))
        chart.setBackgroundPen(QPen(Qt.PenStyle.NoPen))
        chart.setPlotAreaBackgroundVisible(False)
        for axis in self.axes():
            _style_axis(axis, view)
        self._restyle_series()
        self._relayout()

    def _restyle_series(self) -> None:
        """Colour the series (subclasses)."""

    def _relayout(self) -> None:
        """Fit labels to the current width (subclasses)."""


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
        self.amounts = _amount_axis("%.0f%%" if unit == "%" else "%.0f")
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
        self.describe([(c, f"{_number(v)}{unit}") for c, v in zip(categories, values, strict=True)])

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
        labels = _unique([_label_html(name_lines) for name_lines in lines])
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
        label = metrics.horizontalAdvance(f"{_number(top)}{self._unit}") + 16
        _set_amounts(self.amounts, top * plot / max(plot - label, 1), headroom=1.0)
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
        self.slots = _slot_axis()
        self.amounts = _amount_axis("%.0f")
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
        _set_amounts(self.amounts, max(values, default=0))
        self._shown = (-1, -1)
        self._relayout()
        self.describe([(c, _number(v)) for c, v in zip(labels, values, strict=True)])

    def _restyle_series(self) -> None:
        self.bars.setColor(self.view.series_colour)
        self.bars.setBorderColor(self.view.series_colour)
        self._shown = (-1, -1)

    def _relayout(self) -> None:
        self._shown = _label_slots(self.slots, self._labels, self.view, self._steps, self._shown)


class LineChart(ChartCard):
    """A value per day, as a line with a dot on each day."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, object_name, parent)
        self._labels: list[str] = []
        self._shown: tuple[int, int] = (-1, -1)
        self.series = QLineSeries()
        self.series.setName(title)
        self.series.setPointsVisible(True)
        self.days = _slot_axis()
        self.amounts = _amount_axis("%.0f")
        chart = self.chart()
        chart.addSeries(self.series)
        chart.addAxis(self.days, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.amounts, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.days)
        self.series.attachAxis(self.amounts)

    def show_line(self, days: Sequence[date], values: Sequence[int]) -> None:
        long_range = len(days) > 366
        self._labels = [day_label(day, long_range) for day in days]
        self.series.replace([QPointF(i, v) for i, v in enumerate(values)])
        _set_amounts(self.amounts, max(values, default=0))
        self._shown = (-1, -1)
        self._relayout()
        self.describe([(d.isoformat(), str(v)) for d, v in zip(days, values, strict=True)])

    def _restyle_series(self) -> None:
        pen = QPen(self.view.series_colour, 3)
        self.series.setPen(pen)
        self.series.setColor(self.view.series_colour)
        self.series.setMarkerSize(9)
        self._shown = (-1, -1)

    def _relayout(self) -> None:
        self._shown = _label_slots(self.days, self._labels, self.view, DAY_STEPS, self._shown)


class PieChart(ChartCard):
    """Shares of a whole, each slice labelled with its name and percentage."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, object_name, parent)
        self.series = QPieSeries()
        self.series.setPieSize(0.6)
        self.chart().addSeries(self.series)

    def show_pie(self, shares: Sequence[tuple[str, int]]) -> None:
        self.series.clear()
        total = sum(count for _, count in shares)
        for name, count in shares:
            share = 100 * count / total if total else 0
            piece = self.series.append(f"{name} {share:.0f}%", count)
            piece.setLabelVisible(True)
        self._restyle_series()
        self.describe([(name, str(count)) for name, count in shares])

    def _restyle_series(self) -> None:
        view = self.view
        for index, piece in enumerate(self.series.slices()):
            pattern = SLICE_PATTERNS[index % len(SLICE_PATTERNS)]
            piece.setBrush(QBrush(view.series_colour, pattern))
            # The outline closes the hatched slices.
            piece.setPen(QPen(view.series_colour, 2))
            piece.setLabelColor(view.text_colour)
            piece.setLabelFont(view.font())
            piece.setLabelArmLengthFactor(0.12)


# --- helpers ---


def wrap_text(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """Break text at spaces into lines no wider than `width` (a long word keeps its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def day_label(day: date, long_range: bool = False) -> str:
    """'16 Nov' (or 'Nov 2026' across more than a year): short enough to fit under a tick."""
    return f"{day:%b %Y}" if long_range else f"{day.day} {day:%b}"


def label_step(count: int, room: int, slot: int, steps: Sequence[int]) -> int:
    """The smallest step from `steps` that fits every step-th label of `count` into `room`."""
    for step in steps:
        if math.ceil(count / step) * slot <= room:
            return step
    return max(steps[-1], count)


def _label_html(lines: Sequence[str]) -> str:
    # QtCharts shows axis labels as rich text, so names are escaped and lines joined by <br>.
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def _unique(labels: Sequence[str]) -> list[str]:
    # A category axis drops repeated names, which would shift every bar after them.
    seen: set[str] = set()
    result = []
    for label in labels:
        while label in seen:
            label += "\u200b"
        seen.add(label)
        result.append(label)
    return result


def _amount_axis(label_format: str) -> QValueAxis:
    axis = QValueAxis()
    axis.setLabelFormat(label_format)
    # Ticks at round numbers from zero (0, 5, 10 ...), not at quarters of the maximum.
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setMinorTickCount(0)
    return axis


def _set_amounts(axis: QValueAxis, top: float, headroom: float = 1.05) -> None:
    interval = nice_interval(top)
    axis.setTickInterval(interval)
    axis.setRange(0, max(interval, math.ceil(top * headroom / interval) * interval))


def nice_interval(top: float, ticks: int = 4) -> float:
    """A round tick interval (1, 2 or 5 times a power of ten) giving about `ticks` ticks."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return float(max(1, factor * power))
    return float(10 * power)


def _slot_axis() -> QCategoryAxis:
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setGridLineVisible(False)
    return axis


def _label_slots(
    axis: QCategoryAxis,
    labels: Sequence[str],
    view: ChartView,
    steps: Sequence[int],
    shown: tuple[int, int],
) -> tuple[int, int]:
    """Label every step-th slot so the labels fit side by side; returns (width, step)."""
    metrics = QFontMetrics(view.font())
    widest = max((metrics.horizontalAdvance(label) for label in labels), default=0)
    # The amounts axis on the left takes about four digits' width.
    room = view.width() - metrics.horizontalAdvance("00000") - 48
    slot = widest + metrics.horizontalAdvance("00")
    step = label_step(len(labels), room, slot, steps)
    if shown == (view.width(), step) and axis.count():
        return shown
    for old in axis.categoriesLabels():
        axis.remove(old)
    axis.setRange(-0.5, max(len(labels), 1) - 0.5)
    for index in range(0, len(labels), step):
        axis.append(labels[index], index)
    return (view.width(), step)


def _style_axis(axis: QAbstractAxis, view: ChartView) -> None:
    font = QFont(view.font())
    axis.setLabelsFont(font)
    axis.setLabelsColor(view.text_colour)
    axis.setLinePenColor(view.axis_colour)
    axis.setGridLineColor(view.grid_colour)
    axis.setShadesVisible(False)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
