"""Read-aloud controls: large, labelled, and only as many as the moment needs.

Idle, the bar is one "Read aloud" button. While reading it offers Pause or Resume, Stop,
Repeat sentence, Slower and Faster, Quieter and Louder. A compact bar (glossary, crisis
screen) has just Read aloud and Stop. If speech is unavailable the button says so.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal, SignalInstance
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

from kiosk.theme import LARGE
from ui.common.flow_layout import FlowLayout
from ui.common.icons import IconSet
from ui.common.theme import ThemeApplier
from ui.common.widgets import label_button, set_icon, touch_button
from ui.read_aloud.controller import ReadState

_ACTIVE = (ReadState.PREPARING, ReadState.PLAYING, ReadState.PAUSED)


class ReadAloudBar(QWidget):
    read_requested = Signal()
    pause_toggled = Signal()
    stop_requested = Signal()
    repeat_requested = Signal()
    slower_requested = Signal()
    faster_requested = Signal()
    quieter_requested = Signal()
    louder_requested = Signal()

    def __init__(
        self,
        icons: IconSet,
        theme: ThemeApplier,
        compact: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readAloudBar")
        self._icons = icons
        self._theme = theme
        self._compact = compact
        self._state = ReadState.IDLE
        self._available = True
        self._at_slowest = self._at_fastest = self._at_quietest = self._at_loudest = False

        def button(name: str, role: str, signal: SignalInstance) -> QPushButton:
            widget = touch_button(role, self, name)
            widget.clicked.connect(signal.emit)
            return widget

        self.read = button("readAloudButton", "primary", self.read_requested)
        self.pause = button("pauseButton", "secondary", self.pause_toggled)
        self.stop = button("stopButton", "secondary", self.stop_requested)
        self.repeat = button("repeatButton", "secondary", self.repeat_requested)
        self.slower = button("slowerButton", "secondary", self.slower_requested)
        self.faster = button("fasterButton", "secondary", self.faster_requested)
        self.quieter = button("quieterButton", "secondary", self.quieter_requested)
        self.louder = button("louderButton", "secondary", self.louder_requested)
        # When everything does not fit on one row (large text, a small screen), speed and
        # volume fold behind this button, so the bar never eats the page being read.
        self.more = touch_button("secondary", self, "speedVolumeButton")
        self.more.setCheckable(True)
        self.more.toggled.connect(lambda _on: self.show_state(self._state))
        self._folded = False
        self.status = QLabel(self)
        self.status.setObjectName("readAloudStatus")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        flow = FlowLayout(self, spacing=12)
        for widget in (*self.controls, self.more, self.status):
            flow.add(widget)
        self.retranslate()
        self.show_state(ReadState.IDLE)

    @property
    def controls(self) -> list[QPushButton]:
        return [
            self.read,
            self.pause,
            self.stop,
            self.repeat,
            self.slower,
            self.faster,
            self.quieter,
            self.louder,
        ]

    def show_state(self, state: ReadState | str) -> None:
        self._state = ReadState(state)
        active = self._state in _ACTIVE
        self.read.setVisible(not active)
        self.read.setEnabled(self._available)
        self.stop.setVisible(active)
        full = active and not self._compact
        self.pause.setVisible(full)
        self.repeat.setVisible(full)
        self._folded = full and not self._fits_one_row()
        extras = full and (not self._folded or self.more.isChecked())
        for widget in (self.slower, self.faster, self.quieter, self.louder):
            widget.setVisible(extras)
        self.more.setVisible(self._folded)
        self.status.setVisible(not self._available or (full and not self._folded))
        self.slower.setEnabled(not self._at_slowest)
        self.faster.setEnabled(not self._at_fastest)
        self.quieter.setEnabled(not self._at_quietest)
        self.louder.setEnabled(not self._at_loudest)
        self.refresh_icons()
        self.updateGeometry()

    def _fits_one_row(self) -> bool:
        """Whether every reading control (and the progress line) fits across the bar."""
        widgets = [w for w in self.controls if w is not self.read]  # read hides while reading
        needed = sum(w.sizeHint().width() for w in widgets) + 12 * len(widgets)
        # The progress line at its longest, not as it is now: a bar that folds when the
        # count first appears would hide the button the patient just reached for.
        longest = self.tr("Sentence {n} of {count}").format(n=99, count=99)
        progress = self.status.fontMetrics().horizontalAdvance(longest) + 4
        return needed + progress <= max(self.width(), 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._folded != (
            self._state in _ACTIVE and not self._compact and not self._fits_one_row()
        ):
            self.show_state(self._state)

    def show_availability(self, available: bool) -> None:
        self._available = available
        self.show_state(self._state)

    def show_limits(self, slowest: bool, fastest: bool, quietest: bool, loudest: bool) -> None:
        """Grey out the speed and volume buttons that can go no further."""
        self._at_slowest, self._at_fastest = slowest, fastest
        self._at_quietest, self._at_loudest = quietest, loudest
        self.show_state(self._state)

    def show_progress(self, index: int, count: int) -> None:
        if self._available:
            self.status.setText(self.tr("Sentence {n} of {count}").format(n=index + 1, count=count))

    def refresh_icons(self) -> None:
        self.retranslate()  # words or icons only follow the text size
        size = self._theme.book.sizes[self._theme.text_size]["chrome_icon"]
        dark = self._theme.colour("secondary_text")
        light = self._theme.colour("accent_text")
        paused = self._state is ReadState.PAUSED
        for widget, name, colour in (
            (self.read, "volume-2", light),
            (self.pause, "play" if paused else "pause", dark),
            (self.stop, "square", dark),
            (self.repeat, "repeat-2", dark),
        ):
            set_icon(widget, self._icons.icon(name, colour, size), size)

    def retranslate(self) -> None:
        if self._available:
            label_button(
                self.read,
                self.tr("Read aloud"),
                self.tr("Reads this screen out loud and highlights each word"),
            )
        else:
            label_button(
                self.read,
                self.tr("Read aloud is not available"),
                self.tr("Reading out loud is not working right now. Everything else still works."),
            )
            self.status.setText(self.tr("Please ask a staff member if you need this read to you."))
        paused = self._state is ReadState.PAUSED
        label_button(self.pause, self.tr("Resume") if paused else self.tr("Pause"))
        label_button(self.stop, self.tr("Stop"), self.tr("Stop reading out loud"))
        label_button(self.repeat, self.tr("Repeat"), self.tr("Hear the last sentence again"))
        label_button(self.slower, self.tr("Slower"), self.tr("Read more slowly"))
        label_button(self.faster, self.tr("Faster"), self.tr("Read more quickly"))
        label_button(self.quieter, self.tr("Quieter"), self.tr("Lower the volume"))
        label_button(self.louder, self.tr("Louder"), self.tr("Raise the volume"))
        label_button(
            self.more,
            self.tr("Speed and volume"),
            self.tr("Shows the buttons for reading speed and volume"),
        )
        if self._theme.text_size == LARGE:
            # Large text: the media buttons everyone knows by their icon keep only it (and
            # their names for screen readers), so the bar stays one row and the page gets
            # the room.
            for widget in (self.pause, self.stop, self.repeat):
                widget.setText("")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
