"""The statistics dashboard: figures for a date range as charts, with a table beside them.

Queries run through the TaskRunner; only drawing happens on the GUI thread. A refresh that
arrives after a newer one was asked for is dropped, so fast taps never show stale figures.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QScrollArea,
    QScroller,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import Clock
from kiosk.stats.queries import Dashboard, DateRange, Statistics, TopicFigures
from kiosk.viewlog.store import StorageUnavailable, classify
from ui.staff import set_state, staff_label
from ui.staff.charts import BarChart, LineChart, PieChart
from ui.staff.date_range import RangeChooser
from ui.tasks import TaskRunner

logger = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
# Topic id to the title staff know it by (from the content); ids are shown without one.
TopicNamer = Callable[[str], str]


class TopicTableModel(QAbstractTableModel):
    """Views per topic for the table beside the charts (Vorta's column-constant style)."""

    COLUMN_TOPIC = 0
    COLUMN_VIEWS = 1
    COLUMN_AVERAGE = 2
    COLUMN_READ_ALOUD = 3
    COLUMN_LARGE_TEXT = 4
    COLUMN_HIGH_CONTRAST = 5
    HEADERS = ("Topic", "Views", "Avg. seconds", "Read aloud", "Large text", "High contrast")

    def __init__(self, name: TopicNamer | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TopicFigures] = []
        self._name = name or (lambda topic_id: topic_id)

    def set_rows(self, rows: Sequence[TopicFigures]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.COLUMN_TOPIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        totals = row.totals
        values: dict[int, str] = {
            self.COLUMN_TOPIC: self._name(row.topic_id),
            self.COLUMN_VIEWS: str(totals.views),
            self.COLUMN_AVERAGE: f"{totals.average_seconds:.0f}",
            self.COLUMN_READ_ALOUD: str(totals.read_aloud),
            self.COLUMN_LARGE_TEXT: str(totals.large_text),
            self.COLUMN_HIGH_CONTRAST: str(totals.high_contrast),
        }
        return values[column]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


class DashboardView(QWidget):
    """Range choice, headline figures, charts and the per-topic table."""

    figures_shown = Signal(object)  # the Dashboard just drawn
    refresh_failed = Signal(str)

    def __init__(
        self,
        statistics: Statistics,
        tasks: TaskRunner,
        clock: Clock,
        topic_name: TopicNamer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffDashboard")
        self._name = topic_name or (lambda topic_id: topic_id)
        self._statistics = statistics
        self._tasks = tasks
        self._generation = 0
        self.figures: Dashboard | None = None
        self._steps: list[Callable[[], object]] = []
        self._stepper = QTimer(self)
        self._stepper.setInterval(0)
        self._stepper.timeout.connect(self._next_step)

        self.range = RangeChooser(clock, "dashboardRange")
        self.range.range_chosen.connect(self.show_range)
        self.status = staff_label("dashboardStatus")
        self.headline = {
            key: staff_label("dashboardFigure")
            for key in ("visits", "views", "average", "read_aloud", "large_text", "high_contrast")
        }
        for key, label in self.headline.items():
            label.setProperty("figure", key)
        headline = QHBoxLayout()
        for label in self.headline.values():
            headline.addWidget(label)

        self.topics_chart = BarChart("Views per topic", "chartTopics", horizontal=True)
        self.days_chart = LineChart("Views per day", "chartDays")
        self.hours_chart = BarChart("Views by hour of day", "chartHours")
        self.languages_chart = PieChart("Languages", "chartLanguages")
        self.modes_chart = BarChart(
            "Read aloud and accessibility modes (% of views)",
            "chartModes",
            horizontal=True,
            unit="%",
        )
        self.average_chart = BarChart(
            "Average seconds per topic view", "chartAverage", horizontal=True, unit=" s"
        )
        self.charts = {
            "topics": self.topics_chart,
            "days": self.days_chart,
            "hours": self.hours_chart,
            "languages": self.languages_chart,
            "modes": self.modes_chart,
            "average": self.average_chart,
        }
        chart_host = QWidget()
        chart_host.setObjectName("dashboardCharts")
        grid = QGridLayout(chart_host)
        for position, chart in enumerate(self.charts.values()):
            grid.addWidget(chart, position // 2, position % 2)
        scroll = QScrollArea()
        scroll.setObjectName("dashboardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(chart_host)
        # Finger scrolling; taps still reach the charts (QScroller documentation).
        QScroller.grabGesture(
            scroll.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture
        )

        self.model = TopicTableModel(self._name, self)
        self.table = QTableView()
        self.table.setObjectName("dashboardTable")
        self.table.setAccessibleName("Views per topic table")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        QScroller.grabGesture(
            self.table.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture
        )

        body = QHBoxLayout()
        body.addWidget(scroll, 3)
        body.addWidget(self.table, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.range)
        layout.addLayout(headline)
        layout.addWidget(self.status)
        layout.addLayout(body, 1)

    def refresh(self) -> None:
        self.show_range(self.range.current)

    def show_range(self, span: DateRange) -> None:
        self._generation += 1
        generation = self._generation
        self.status.setText(f"Loading {span}\u2026")
        set_state(self.status, "loading")
        statistics = self._statistics
        self._tasks.run(
            lambda: statistics.dashboard(span),
            lambda figures: self._arrived(generation, figures),
            lambda error: self._failed(generation, error),
            owner=self,
        )

    def _arrived(self, generation: int, figures: Dashboard) -> None:
        if generation != self._generation:
            return  # a newer range was chosen meanwhile
        self.figures = figures
        t = figures.totals
        topics = [self._name(topic.topic_id) for topic in figures.topics]
        whole = t.views or 1
        # One chart per turn of the event loop, each painted before the next is filled:
        # drawing all six at once held the GUI thread for ~50 ms on a busy two-core machine.
        self._steps = [
            lambda: self._show_headline(figures),
            lambda: self.topics_chart.show_bars(
                topics, [topic.totals.views for topic in figures.topics]
            ),
            lambda: self.days_chart.show_line(
                [d.day for d in figures.days], [d.views for d in figures.days]
            ),
            lambda: self.hours_chart.show_bars(
                [f"{hour:02d}" for hour in range(24)], figures.views_by_hour
            ),
            lambda: self.languages_chart.show_pie([(s.name, s.count) for s in figures.languages]),
            lambda: self.modes_chart.show_bars(
                ["Read aloud", "Large text", "High contrast", "Either mode"],
                [
                    100 * n / whole
                    for n in (t.read_aloud, t.large_text, t.high_contrast, t.accessibility)
                ],
            ),
            lambda: self.average_chart.show_bars(
                topics, [round(topic.totals.average_seconds, 1) for topic in figures.topics]
            ),
            lambda: self.model.set_rows(figures.topics),
            lambda: self.figures_shown.emit(figures),
        ]
        self._stepper.start()

    def _next_step(self) -> None:
        if not self._steps:
            self._stepper.stop()
            return
        self._steps.pop(0)()

    def _show_headline(self, figures: Dashboard) -> None:
        t = figures.totals
        self.status.setText(f"Figures for {figures.span}")
        set_state(self.status, "ready")
        texts = {
            "visits": f"Visits: {figures.visits}",
            "views": f"Topic views: {t.views}",
            "average": f"Avg. time: {t.average_seconds:.0f} s",
            "read_aloud": f"Read aloud: {_percent(t.read_aloud, t.views)}",
            "large_text": f"Large text: {_percent(t.large_text, t.views)}",
            "high_contrast": f"High contrast: {_percent(t.high_contrast, t.views)}",
        }
        for key, text in texts.items():
            self.headline[key].setText(text)
            self.headline[key].setAccessibleName(text)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if classify(error) is StorageUnavailable or isinstance(error, StorageUnavailable):
            text = f"The statistics cannot be read just now ({error}). Try again in a moment."
            logger.warning("dashboard query failed: %s", error)
        else:
            text = "The statistics could not be computed; the problem has been logged."
            logger.error("dashboard query failed", exc_info=error)
        self.status.setText(text)
        set_state(self.status, "error")
        self.refresh_failed.emit(text)
