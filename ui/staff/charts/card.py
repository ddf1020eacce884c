"""The card every chart sits in, and the chart view whose colours and font follow the stylesheet."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QAbstractAxis, QChart, QChartView
from PySide6.QtCore import Property, QEvent, QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.staff import staff_label

CHART_HEIGHT = 300  # px, for the line, column and pie charts


MIN_CHART_WIDTH = 320  # px; narrower and the plot is too small to read


MAX_DESCRIBED = 40  # items listed in an accessible description before "and N more"


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
        # What the chart does not draw, in words ("<11": hidden small counts).
        self.note = staff_label("chartNote")
        self.note.setVisible(False)
        layout.addWidget(self.heading)
        layout.addWidget(self.view)
        layout.addWidget(self.note)
        # Cards side by side grow to the taller one's height; the chart stays at the top.
        layout.addStretch(1)

    def chart(self) -> QChart:
        return self.view.chart()

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

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


def _style_axis(axis: QAbstractAxis, view: ChartView) -> None:
    font = QFont(view.font())
    axis.setLabelsFont(font)
    axis.setLabelsColor(view.text_colour)
    axis.setLinePenColor(view.axis_colour)
    axis.setGridLineColor(view.grid_colour)
    axis.setShadesVisible(False)
