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
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import Clock
from kiosk.stats.export import Cell
from kiosk.stats.onscreen import DashboardFigures, ShownDashboard, ShownMode, ShownTopic
from kiosk.stats.queries import DateRange
from kiosk.viewlog.store import StorageUnavailable, classify
from ui.common.scrolling import KineticScrollArea
from ui.common.tasks import TaskRunner
from ui.common.widgets import set_state
from ui.staff import ResponsiveGrid, staff_label
from ui.staff.charts import BarChart, ChartCard, ColumnChart, LineChart, PieChart
from ui.staff.date_range import RangeChooser

logger = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
# Topic id to the title staff know it by (from the content); ids are shown without one.
TopicNamer = Callable[[str], str]


class TopicTableModel(QAbstractTableModel):
    """Views per topic for the table beside the charts (Vorta's column-constant style).

    A topic's views and average time over the range, exactly as its total row in an export
    of the range: mode counts per topic are in no export's totals (kiosk/stats/onscreen.py).
    """

    COLUMN_TOPIC = 0
    COLUMN_VIEWS = 1
    COLUMN_AVERAGE = 2
    HEADERS = ("Topic", "Views", "Avg. seconds")

    def __init__(self, name: TopicNamer | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ShownTopic] = []
        self._name = name or (lambda topic_id: topic_id)

    def set_rows(self, rows: Sequence[ShownTopic]) -> None:
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
        if orientation != Qt.Orientation.Horizontal:
            return None
        header = self.HEADERS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            # Two short lines keep the number columns narrow enough for a 1280 px screen.
            return header.replace(" ", "\n", 1)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return header
        if role == Qt.ItemDataRole.TextAlignmentRole and section != self.COLUMN_TOPIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
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
        values: dict[int, str] = {
            self.COLUMN_TOPIC: self._name(row.topic_id),
            self.COLUMN_VIEWS: cell_text(row.views),
            self.COLUMN_AVERAGE: _average_text(row.average_seconds, ""),
        }
        return values[column]


class TopicTable(QTableView):
    """The per-topic table, as tall as its rows: the dashboard page scrolls, not the table."""

    def __init__(self, model: TopicTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardTable")
        self.setAccessibleName("Views per topic table")
        self.setModel(model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Read-only figures: a finger dragging across the table scrolls the page under it.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Long topic names wrap in the one stretching column instead of being cut.
        header.setSectionResizeMode(TopicTableModel.COLUMN_TOPIC, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Nothing is elided: rows take the height their wrapped names need instead.
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        model.modelReset.connect(self.fit)
        # Columns settle their widths after the table is laid out; rows follow them.
        header.sectionResized.connect(self._fit_later)

    def fit(self) -> None:
        self.resizeRowsToContents()
        frame = 2 * self.frameWidth()
        height = self.horizontalHeader().height() + self.verticalHeader().length() + frame
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_later()  # a new width wraps names differently: rows change height

    def _fit_later(self, *_: object) -> None:
        QTimer.singleShot(0, self, self.fit)


HEADLINE = (
    ("visits", "Visits"),
    ("views", "Topic views"),
    ("average", "Avg. time"),
    ("read_aloud", "Read aloud"),
    ("large_text", "Large text"),
    ("high_contrast", "High contrast"),
)


NOT_SHOWN = "\u2013"  # an en dash: a figure the exports do not show either


def cell_text(cell: Cell) -> str:
    """A count as the exports show it: the number, "<11" or "suppressed"."""
    return NOT_SHOWN if cell is None else str(cell)


def cell_value(cell: Cell) -> int:
    """What a chart draws for a count: nothing for a hidden one."""
    return cell if isinstance(cell, int) else 0


def _percent_text(mode: ShownMode) -> str:
    return f"{mode.percent}%" if mode.percent is not None else cell_text(mode.count)


def _average_text(seconds: float | None, unit: str) -> str:
    return NOT_SHOWN if seconds is None else f"{seconds:.0f}{unit}"


def hidden_note(cells: Sequence[Cell], threshold: int, what: str) -> str:
    """Says which values a chart leaves out, in the exports' words."""
    if threshold <= 0 or all(isinstance(cell, int) for cell in cells):
        return ""
    marks = f"\u201c<{threshold}\u201d"
    if any(isinstance(cell, str) and not cell.startswith("<") for cell in cells):
        marks += " and \u201csuppressed\u201d: a few more, so the small ones cannot be worked out"
    return f"{what} with 1 to {threshold - 1} views are not drawn, as in exports ({marks})."


class DashboardView(QWidget):
    """Range choice, headline figures, charts and the per-topic table."""

    figures_shown = Signal(object)  # the ShownDashboard just drawn
    refresh_failed = Signal(str)

    def __init__(
        self,
        figures: DashboardFigures,
        tasks: TaskRunner,
        clock: Clock,
        topic_name: TopicNamer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffDashboard")
        self._name = topic_name or (lambda topic_id: topic_id)
        self._source = figures
        self._tasks = tasks
        self._generation = 0
        self.figures: ShownDashboard | None = None
        self._steps: list[Callable[[], object]] = []
        self._stepper = QTimer(self)
        self._stepper.setInterval(0)
        self._stepper.timeout.connect(self._next_step)

        self.range = RangeChooser(clock, "dashboardRange")
        self.range.range_chosen.connect(self.show_range)
        self.status = staff_label("dashboardStatus")

        # Headline figures: a card each, the number large and what it counts above it.
        self.headline: dict[str, QLabel] = {}
        headline = ResponsiveGrid("dashboardHeadline", min_width=170, max_columns=6)
        for key, caption in HEADLINE:
            card = QFrame()
            card.setObjectName("dashboardCard")
            card.setProperty("figure", key)
            value = staff_label("dashboardFigure")
            value.setProperty("figure", key)
            card_layout = QVBoxLayout(card)
            card_layout.setContentsMargins(16, 10, 16, 12)
            card_layout.setSpacing(2)
            caption_label = staff_label("dashboardFigureCaption", caption)
            caption_label.setWordWrap(False)  # the grid makes the columns wide enough
            card_layout.addWidget(caption_label)
            card_layout.addWidget(value)
            self.headline[key] = value
            headline.add(card)

        self.topics_chart = BarChart("Views per topic", "chartTopics")
        self.days_chart = LineChart("Views per day", "chartDays")
        self.hours_chart = ColumnChart("Views by hour of day", "chartHours")
        self.languages_chart = PieChart("Languages", "chartLanguages")
        self.modes_chart = BarChart(
            "Read aloud and accessibility modes (% of views)", "chartModes", unit="%"
        )
        self.average_chart = BarChart("Average seconds per topic view", "chartAverage", unit=" s")
        self.charts: dict[str, ChartCard] = {
            "topics": self.topics_chart,
            "days": self.days_chart,
            "hours": self.hours_chart,
            "languages": self.languages_chart,
            "modes": self.modes_chart,
            "average": self.average_chart,
        }

        self.model = TopicTableModel(self._name, self)
        self.table = TopicTable(self.model)
        table_card = QFrame()
        table_card.setObjectName("dashboardTableCard")
        table_layout = QVBoxLayout(table_card)
        table_layout.setContentsMargins(16, 12, 16, 16)
        table_layout.setSpacing(8)
        table_layout.addWidget(staff_label("chartTitle", "Figures per topic"))
        table_layout.addWidget(self.table)
        table_layout.addStretch(1)

        # The table sits beside the topic chart where there is room (1920 px), under it
        # where there is not (1280 px): six columns of figures need about 650 px.
        by_topic = ResponsiveGrid("dashboardTopics", min_width=720, max_columns=2)
        by_topic.add(self.topics_chart)
        by_topic.add(table_card)
        others = ResponsiveGrid("dashboardCharts", min_width=520, max_columns=2)
        for chart in (self.days_chart, self.hours_chart, self.languages_chart, self.modes_chart):
            others.add(chart)
        others.add(self.average_chart, whole_row=True)

        page = QWidget()
        page.setObjectName("dashboardPage")
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 8, 16)
        page_layout.setSpacing(16)
        page_layout.addWidget(headline)
        page_layout.addWidget(by_topic)
        page_layout.addWidget(others)
        page_layout.addStretch(1)
        self.scroll_area = KineticScrollArea()
        self.scroll_area.setObjectName("dashboardScroll")
        self.scroll_area.setWidget(page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.range)
        layout.addWidget(self.status)
        layout.addWidget(self.scroll_area, 1)

    def refresh(self) -> None:
        self.show_range(self.range.current)

    def show_range(self, span: DateRange) -> None:
        self._generation += 1
        generation = self._generation
        self.status.setText(f"Loading {span}\u2026")
        set_state(self.status, "state", "loading")
        source = self._source
        self._tasks.run(
            lambda: source.shown(span),
            lambda figures: self._arrived(generation, figures),
            lambda error: self._failed(generation, error),
            owner=self,
        )

    def _arrived(self, generation: int, figures: ShownDashboard) -> None:
        if generation != self._generation:
            return  # a newer range was chosen meanwhile
        self.figures = figures
        threshold = figures.threshold
        topics = [self._name(topic.topic_id) for topic in figures.topics]
        views = [topic.views for topic in figures.topics]
        days = [cell for _, cell in figures.days]
        languages = [(name, cell) for name, cell in figures.languages]
        averages = [topic.average_seconds for topic in figures.topics]
        total = figures.views if isinstance(figures.views, int) else 0
        # One chart per turn of the event loop, each painted before the next is filled:
        # drawing all six at once held the GUI thread for ~50 ms on a busy two-core machine.
        self._steps = [
            lambda: self._show_headline(figures),
            lambda: self.topics_chart.show_bars(
                topics, [cell_value(c) for c in views], [cell_text(c) for c in views]
            ),
            lambda: self.topics_chart.set_note(self._topics_note(figures)),
            lambda: self.model.set_rows(figures.topics),
            lambda: self.days_chart.show_line(
                [day for day, _ in figures.days],
                [cell_value(c) for c in days],
                [cell_text(c) for c in days],
            ),
            lambda: self.days_chart.set_note(hidden_note(days, threshold, "Days")),
            lambda: self.hours_chart.show_columns(
                [f"{hour:02d}" for hour in range(24)],
                [cell_value(c) for c in figures.hours],
                [cell_text(c) for c in figures.hours],
            ),
            lambda: self.hours_chart.set_note(hidden_note(figures.hours, threshold, "Hours")),
            lambda: self.languages_chart.show_pie(
                [(name, c) for name, c in languages if isinstance(c, int) and c], total
            ),
            lambda: self.languages_chart.set_note(
                "; ".join(f"{n}: {cell_text(c)}" for n, c in languages if not isinstance(c, int))
            ),
            lambda: self.modes_chart.show_bars(
                [mode.name for mode in figures.modes],
                [mode.percent or 0 for mode in figures.modes],
                [_percent_text(mode) for mode in figures.modes],
            ),
            lambda: self.average_chart.show_bars(
                topics,
                [round(a) if a is not None else 0 for a in averages],
                [_average_text(a, " s") for a in averages],
            ),
            lambda: self.figures_shown.emit(figures),
        ]
        self._stepper.start()

    @staticmethod
    def _topics_note(figures: ShownDashboard) -> str:
        if figures.threshold <= 0:
            return ""
        notes = []
        if not all(isinstance(topic.views, int) for topic in figures.topics):
            notes.append(
                f"\u201c<{figures.threshold}\u201d and \u201csuppressed\u201d as in exports."
            )
        if figures.left_out:
            notes.append(
                f"{figures.left_out} topic(s) left out, as in exports: too few views to show."
            )
        return " ".join(notes)

    def _next_step(self) -> None:
        if not self._steps:
            self._stepper.stop()
            return
        self._steps.pop(0)()

    def _show_headline(self, figures: ShownDashboard) -> None:
        self.status.setText(f"Figures for {figures.span}")
        set_state(self.status, "state", "ready")
        modes = {mode.name: mode for mode in figures.modes}
        values = {
            "visits": cell_text(figures.visits),
            "views": cell_text(figures.views),
            "average": _average_text(figures.average_seconds, " s"),
            "read_aloud": _percent_text(modes["Read aloud"]),
            "large_text": _percent_text(modes["Large text"]),
            "high_contrast": _percent_text(modes["High contrast"]),
        }
        captions = dict(HEADLINE)
        for key, text in values.items():
            self.headline[key].setText(text)
            self.headline[key].setAccessibleName(f"{captions[key]}: {text}")

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if classify(error) is StorageUnavailable:
            text = f"The statistics cannot be read just now ({error}). Try again in a moment."
            logger.warning("dashboard query failed: %s", error)
        else:
            text = "The statistics could not be computed; the problem has been logged."
            logger.error("dashboard query failed", exc_info=error)
        self.status.setText(text)
        set_state(self.status, "state", "error")
        self.refresh_failed.emit(text)
