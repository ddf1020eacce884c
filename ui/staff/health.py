"""The kiosk's health for staff: storage, pending counters, speech and content problems.

The figures come from services other modules own, so they arrive through a provider
callable that main.py builds; it runs on the GUI thread and must only read cached state
(the view log's LogStatus, a file size), never wait on anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.audio import NO_OUTPUT
from kiosk.clock import Clock
from ui.common.scrolling import KineticScrollArea
from ui.common.widgets import set_state
from ui.staff import staff_button, staff_label

REFRESH_MS = 5000
# Unconfirmed, the question goes away again: the next person at the kiosk finds it as it was.
CONFIRM_MS = 15_000
EXIT_GAP = 40  # px between the page's other buttons and the card that leaves kiosk mode
EXIT_TEXT = (
    "Closes the kiosk and shows the computer's desktop. Patients cannot use the kiosk "
    "until it is started again."
)
CONFIRM_TEXT = "Leave kiosk mode now? Patients cannot use the kiosk until it is started again."


@dataclass(frozen=True, slots=True)
class HealthReport:
    database_bytes: int | None = None  # None: unknown or not a file database
    last_write: datetime | None = None
    pending_counters: int = 0
    dropped_events: int = 0
    storage_problem: str | None = None
    staff_pin_problem: str | None = None
    speech_state: str = "unknown"
    audio_output: str = "not checked yet"  # kiosk.audio.describe_outputs
    content_errors: tuple[str, ...] = ()
    review_due: tuple[str, ...] = ()  # topics overdue for clinical review
    fleet_server: str = ""  # empty: no fleet configured
    fleet_last_push: datetime | None = None
    fleet_hours_waiting: int | None = None
    fleet_problem: str | None = None


HealthProvider = Callable[[], HealthReport]


def describe_size(size: int | None) -> str:
    if size is None:
        return "unknown"
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def describe_age(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never since start-up"
    seconds = int((now - moment).total_seconds())
    if seconds < 60:
        return f"{moment:%H:%M:%S} (just now)"
    if seconds < 3600:
        return f"{moment:%H:%M:%S} ({seconds // 60} min ago)"
    return f"{moment:%Y-%m-%d %H:%M}"


def describe_fleet(report: HealthReport, now: datetime) -> str:
    if not report.fleet_server:
        return "off (no fleet server set)"
    waiting = report.fleet_hours_waiting
    lines = [
        f"{report.fleet_server}: last push {describe_age(report.fleet_last_push, now)}",
        f"{'unknown' if waiting is None else waiting} hours waiting to be pushed",
    ]
    if report.fleet_problem:
        lines.append(report.fleet_problem)
    return "\n".join(lines)


def _speech_ok(state: str) -> bool:
    return state == "working" or (
        state not in ("unknown", NO_OUTPUT) and not state.startswith("not available")
    )


class HealthPanel(QWidget):
    """Figures refreshed every few seconds while visible, plus reload and exit buttons."""

    reload_content_requested = Signal()
    exit_kiosk_requested = Signal()

    def __init__(
        self, provider: HealthProvider, clock: Clock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffHealth")
        self._provider = provider
        self._clock = clock
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._confirm = QTimer(self)
        self._confirm.setSingleShot(True)
        self._confirm.setInterval(CONFIRM_MS)
        self._confirm.timeout.connect(self._disarm)

        card = QFrame()
        card.setObjectName("healthCard")
        grid = QGridLayout(card)
        grid.setContentsMargins(24, 16, 24, 16)
        grid.setHorizontalSpacing(0)  # the row lines run on unbroken; captions pad instead
        grid.setVerticalSpacing(0)
        grid.setColumnStretch(1, 1)
        rows = (
            ("database", "Database size"),
            ("last_write", "Last successful write"),
            ("pending", "Counters waiting to be written"),
            ("storage", "Storage"),
            ("speech", "Read-aloud engine"),
            ("audio", "Audio output"),
            ("content", "Content problems"),
            ("review", "Clinical review due"),
            ("fleet", "Fleet link"),
        )
        self.labels = {}
        for index, (key, caption) in enumerate(rows):
            caption_label = staff_label("healthCaption", caption)
            # Captions are short and stay on one line; the value column takes the rest
            # and wraps (a list of content problems can be long).
            caption_label.setWordWrap(False)
            grid.addWidget(caption_label, index, 0)
            value = staff_label("healthValue")
            value.setProperty("item", key)
            value.setAccessibleName(caption)
            self.labels[key] = value
            grid.addWidget(value, index, 1)

        self.reload_button = staff_button(
            "Reload content", "reloadContentButton", "secondary", "Reload the topic content"
        )
        self.reload_button.clicked.connect(self._reload)
        self.notice = staff_label("healthNotice")
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        buttons.addWidget(self.reload_button)
        buttons.addStretch(1)

        # Leaving kiosk mode ends the kiosk for patients: a card of its own at the foot of
        # the page, well away from "Reload content", and a second step to confirm inside
        # the kiosk (a native dialog could open outside the full-screen window).
        self.exit_card = QFrame()
        self.exit_card.setObjectName("exitKioskCard")
        exit_layout = QVBoxLayout(self.exit_card)
        exit_layout.setContentsMargins(24, 16, 24, 16)
        exit_layout.setSpacing(12)
        exit_layout.addWidget(staff_label("exitKioskHeading", "Leave kiosk mode"))
        self.exit_text = staff_label("exitKioskText", EXIT_TEXT)
        exit_layout.addWidget(self.exit_text)
        self.exit_button = staff_button(
            "Leave kiosk mode\u2026", "exitKioskButton", "danger", "Leave kiosk mode"
        )
        self.exit_button.clicked.connect(self._exit_pressed)
        # The confirming pair replaces the button; "Stay" takes its place, so a second tap
        # on the same spot (a double tap) keeps the kiosk running.
        self.stay_button = staff_button(
            "Stay in kiosk mode", "stayInKioskButton", "secondary", "Stay in kiosk mode"
        )
        self.stay_button.clicked.connect(self._disarm)
        self.confirm_exit_button = staff_button(
            "Yes, leave kiosk mode", "confirmExitKioskButton", "danger", "Yes, leave kiosk mode"
        )
        self.confirm_exit_button.clicked.connect(self._exit_confirmed)
        exit_buttons = QHBoxLayout()
        exit_buttons.setSpacing(24)
        exit_buttons.addWidget(self.exit_button)
        exit_buttons.addWidget(self.stay_button)
        exit_buttons.addWidget(self.confirm_exit_button)
        exit_buttons.addStretch(1)
        exit_layout.addLayout(exit_buttons)

        page = QWidget()
        page.setObjectName("healthPage")
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 8, 16)
        page_layout.setSpacing(16)
        page_layout.addWidget(card)
        page_layout.addLayout(buttons)
        page_layout.addWidget(self.notice)
        page_layout.addSpacing(EXIT_GAP)
        page_layout.addWidget(self.exit_card)
        page_layout.addStretch(1)
        # Content problems can be a long list; the page scrolls rather than cut it off.
        self.scroll_area = KineticScrollArea()
        self.scroll_area.setObjectName("healthScroll")
        self.scroll_area.setWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self._disarm()

    def refresh(self) -> None:
        report = self._provider()
        dropped = f"{report.dropped_events} events dropped" if report.dropped_events else ""
        problems = "\n".join(
            p for p in (report.storage_problem or dropped, report.staff_pin_problem) if p
        )
        texts = {
            "database": describe_size(report.database_bytes),
            "last_write": describe_age(report.last_write, self._clock.now()),
            "pending": str(report.pending_counters),
            "storage": problems or "OK",
            "speech": report.speech_state,
            "audio": report.audio_output,
            "content": "\n".join(report.content_errors) or "none",
            "review": "\n".join(report.review_due) or "none",
            "fleet": describe_fleet(report, self._clock.now()),
        }
        states = {
            "storage": "error" if problems else "ok",
            "content": "error" if report.content_errors else "ok",
            "review": "warning" if report.review_due else "ok",
            "pending": "warning" if report.pending_counters else "ok",
            "fleet": "warning" if report.fleet_problem else "ok",
            # Read aloud is a help, not a requirement: without it the kiosk still works.
            "speech": "ok" if _speech_ok(report.speech_state) else "warning",
            "audio": "warning" if report.audio_output == NO_OUTPUT else "ok",
        }
        for key, text in texts.items():
            label = self.labels[key]
            label.setText(text)
            label.setAccessibleDescription(text)
            set_state(label, "state", states.get(key, "ok"))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._timer.stop()
        self._disarm()

    def _reload(self) -> None:
        self.notice.setText("Content reload requested.")
        self.reload_content_requested.emit()

    @property
    def confirming(self) -> bool:
        return self.confirm_exit_button.isVisibleTo(self)

    def _exit_pressed(self) -> None:
        # A step to confirm, so a stray touch cannot drop the kiosk to the desktop.
        self.exit_text.setText(CONFIRM_TEXT)
        self.exit_button.setVisible(False)
        self.stay_button.setVisible(True)
        self.confirm_exit_button.setVisible(True)
        set_state(self.exit_card, "state", "confirm")
        self._confirm.start()
        # At 1280x800 the card is below the fold: the answer buttons must be in view.
        QTimer.singleShot(0, self, lambda: self.scroll_area.ensureWidgetVisible(self.exit_card))

    def _exit_confirmed(self) -> None:
        if not self.confirming:
            return
        self._disarm()
        self.exit_kiosk_requested.emit()

    def _disarm(self) -> None:
        self._confirm.stop()
        self.exit_text.setText(EXIT_TEXT)
        self.stay_button.setVisible(False)
        self.confirm_exit_button.setVisible(False)
        self.exit_button.setVisible(True)
        set_state(self.exit_card, "state", "idle")
