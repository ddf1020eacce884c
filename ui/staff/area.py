"""The staff area: PIN pad first, then dashboard, export and health; it closes itself when idle.

Also the hidden way in: a long press (3 s) on a widget patients see, such as the clinic logo.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import Clock
from kiosk.settings import Settings
from kiosk.staff.pin import PinStore
from kiosk.stats.onscreen import DashboardFigures
from kiosk.stats.queries import Statistics
from ui.common.tasks import TaskRunner
from ui.staff import choice_button, staff_button, staff_label
from ui.staff.content import ContentPanel
from ui.staff.dashboard import DashboardView, TopicNamer
from ui.staff.export_panel import ExportPanel, FolderLister
from ui.staff.health import HealthPanel, HealthProvider
from ui.staff.pin_pad import PinPad

logger = logging.getLogger(__name__)

# What counts as staff still being there: any touch, click, key or wheel turn.
_ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class StaffArea(QWidget):
    """Everything behind the PIN. Call `open()` to show the PIN pad; `closed` when done."""

    closed = Signal()
    exit_kiosk_requested = Signal()
    reload_content_requested = Signal()

    def __init__(
        self,
        *,
        pin_store: PinStore,
        statistics: Statistics,
        tasks: TaskRunner,
        settings: Settings,
        clock: Clock,
        health: HealthProvider,
        list_folders: FolderLister | None = None,
        topic_name: TopicNamer | None = None,
        content: ContentPanel | None = None,
        timeout_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffArea")
        self.setProperty("role", "screen")
        # A plain QWidget paints no stylesheet background without this attribute, and the
        # patient screen would show through (Qt stylesheet reference, "QWidget").
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._watching = False
        self._tasks = tasks
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        # A coarse timer may fire 5% early or late; staff are promised the full timeout.
        self.idle_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.idle_timer.setInterval(
            timeout_ms if timeout_ms is not None else settings.staff_timeout_seconds * 1000
        )
        self.idle_timer.timeout.connect(self.leave)

        self.pin_pad = PinPad(pin_store, tasks, clock)
        self.pin_pad.unlocked.connect(self._unlocked)
        self.pin_pad.cancelled.connect(self.leave)
        # The same small-count rule as exports (staff.small_count_threshold) on screen too.
        self._figures = DashboardFigures(statistics, settings.small_count_threshold)
        self._clock = clock
        self.dashboard = DashboardView(self._figures, tasks, clock, topic_name)
        self.export_panel = ExportPanel(statistics, tasks, settings, clock, list_folders)
        self.health = HealthPanel(health, clock)
        self.health.reload_content_requested.connect(self.reload_content_requested)
        self.health.exit_kiosk_requested.connect(self.exit_kiosk_requested)

        self.sections = QStackedWidget()
        self.sections.setObjectName("staffSections")
        self.nav = QButtonGroup(self)
        self.nav.setExclusive(True)
        self.nav_buttons = {}
        # The staff bar stands where the patients' top bar is, so the two look related.
        bar = QWidget()
        bar.setObjectName("staffBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        bar_layout = QHBoxLayout(bar)
        bar_layout.setContentsMargins(20, 10, 20, 10)
        bar_layout.setSpacing(14)
        bar_layout.addWidget(staff_label("staffTitle", "Staff area"), 1)
        self.content = content
        nav_pages: list[tuple[str, str, QWidget]] = [
            ("dashboard", "Statistics", self.dashboard),
            ("export", "Export", self.export_panel),
        ]
        if content is not None:
            nav_pages.append(("content", "Content", content))
        nav_pages.append(("health", "Kiosk health", self.health))
        for key, text, page in nav_pages:
            self.sections.addWidget(page)
            button = choice_button(text, f"staffNav_{key}")
            button.setProperty("role", "staffNav")
            button.clicked.connect(lambda _=False, p=page: self._show_section(p))
            self.nav.addButton(button)
            self.nav_buttons[key] = button
            bar_layout.addWidget(button)
        bar_layout.addSpacing(24)
        self.close_button = staff_button(
            "Close", "staffCloseButton", "primary", "Close the staff area"
        )
        self.close_button.clicked.connect(self.leave)
        bar_layout.addWidget(self.close_button)
        self.staff_page = QWidget()
        self.staff_page.setObjectName("staffPage")
        page_layout = QVBoxLayout(self.staff_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(0)
        page_layout.addWidget(bar)
        sections = QVBoxLayout()
        sections.setContentsMargins(20, 16, 20, 12)
        sections.addWidget(self.sections)
        page_layout.addLayout(sections, 1)

        self.pages = QStackedWidget()
        self.pages.setObjectName("staffPages")
        self.pages.addWidget(self.pin_pad)
        self.pages.addWidget(self.staff_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    @property
    def unlocked(self) -> bool:
        return self.pages.currentWidget() is self.staff_page

    def open(self) -> None:
        """Show the PIN pad and start watching for inactivity."""
        self.pages.setCurrentWidget(self.pin_pad)
        self.pin_pad.reset()
        # While staff type the PIN, perturb a year of counts so the longest ranges are quick.
        figures, today = self._figures, self._clock.now().date()
        self._tasks.run(
            lambda: figures.prefetch(today), lambda _: None, self._prefetch_failed, owner=self
        )
        self._watch(True)
        self.idle_timer.start()

    def leave(self) -> None:
        """Lock again and hand the kiosk back to patients."""
        self.idle_timer.stop()
        self._watch(False)
        self.pin_pad.clear()
        self.pages.setCurrentWidget(self.pin_pad)
        self.closed.emit()

    def _prefetch_failed(self, error: BaseException) -> None:
        # The dashboard reports storage problems itself when it asks for figures.
        logger.info("statistics prefetch failed: %s", error)

    def _unlocked(self) -> None:
        self.pages.setCurrentWidget(self.staff_page)
        self.nav_buttons["dashboard"].setChecked(True)
        self._show_section(self.dashboard)
        self.dashboard.refresh()
        self.export_panel.refresh_folders()
        self.idle_timer.start()

    def _show_section(self, page: QWidget) -> None:
        self.sections.setCurrentWidget(page)

    def _watch(self, on: bool) -> None:
        # Input goes to whichever child is touched, so the filter sits on the application;
        # it is installed only while the staff area is open.
        app = QApplication.instance()
        if app is None or on == self._watching:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.idle_timer.isActive():
            self.idle_timer.start()
        return False
