"""Read-aloud controls: large, labelled, and only as many as the moment needs.

Idle, the bar is one "Read aloud" button, with a line asking to keep the sound low. While
reading it offers Pause or Resume, Stop, Repeat sentence, Back and Skip a sentence, Slower and
Faster with the speed between them, Quieter and Louder with the volume between them. A compact
bar (glossary, crisis screen) has just Read aloud and Stop. If speech is unavailable the
button says so.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, SignalInstance
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

from kiosk.settings import HEADPHONES_DESK, HEADPHONES_JACK
from ui.common.flow_layout import FlowLayout
from ui.common.icons import IconSet
from ui.common.theme import ThemeApplier
from ui.common.widgets import ICON_GAP, label_button, set_icon, touch_button
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
    previous_sentence_requested = Signal()
    next_sentence_requested = Signal()

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
        self.previous_sentence = button(
            "previousSentenceButton", "secondary", self.previous_sentence_requested
        )
        self.next_sentence = button("nextSentenceButton", "secondary", self.next_sentence_requested)
        self._build_steering()
        # When everything does not fit on one row (large text, a small screen), speed and
        # volume fold behind this button, so the bar never eats the page being read.
        self.more = touch_button("secondary", self, "speedVolumeButton")
        self.more.setCheckable(True)
        self.more.toggled.connect(lambda _on: self.show_state(self._state))
        self._folded, self._icons_only = False, 0  # buttons shown as icons only
        self._panel_open = False  # folded, with speed and volume shown in place of steering
        self._labels: dict[str, str] = {}  # the words of the buttons that may lose them
        self.status = QLabel(self)
        self.status.setObjectName("readAloudStatus")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        flow = FlowLayout(self, spacing=12)
        for widget in self._in_order():
            flow.add(widget)
        self.retranslate()
        self.show_state(ReadState.IDLE)

    @property
    def controls(self) -> list[QPushButton]:
        """The reading buttons, in the row's order (not the "Speed and volume" toggle)."""
        return [w for w in self._in_order() if isinstance(w, QPushButton) and w is not self.more]

    # -- steering: where the voice is, how fast and how loud (issue 13, section 4) ----------

    def _build_steering(self) -> None:
        self._speed_step = 0
        self._volume_level, self._volume_levels = 3, 5
        self._first_sentence = self._last_sentence = False
        self._headphones = HEADPHONES_JACK
        # The values between their buttons, so the patient sees where they are, not only
        # that a button has greyed out at the end.
        self.speed_value = QLabel(self)
        self.volume_value = QLabel(self)
        for value in (self.speed_value, self.volume_value):
            value.setObjectName("readAloudValue")
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sound_hint = QLabel(self)
        self.sound_hint.setObjectName("soundHint")
        self.sound_hint.setWordWrap(True)

    def _in_order(self) -> list[QWidget]:
        """The bar's widgets as they sit in the row."""
        return [
            self.read,
            self.sound_hint,
            self.pause,
            self.stop,
            self.repeat,
            self.previous_sentence,
            self.next_sentence,
            self.slower,
            self.speed_value,
            self.faster,
            self.quieter,
            self.volume_value,
            self.louder,
            self.more,
            self.status,
        ]

    @property
    def _speed_and_volume(self) -> list[QWidget]:
        return [
            self.slower,
            self.speed_value,
            self.faster,
            self.quieter,
            self.volume_value,
            self.louder,
        ]

    def show_values(self, speed_step: int, volume_level: int, volume_levels: int) -> None:
        """The speed (a step from -2 to 2) and volume (level 1 to `volume_levels`) in use."""
        self._speed_step = speed_step
        self._volume_level, self._volume_levels = volume_level, volume_levels
        self._show_values()

    def show_headphones(self, offer: str) -> None:
        """What the clinic offers for listening privately (kiosk.settings.HEADPHONES_*)."""
        self._headphones = offer
        self._show_values()

    def _speed_words(self) -> str:
        return {
            -2: self.tr("very slow"),
            -1: self.tr("slow"),
            0: self.tr("normal"),
            1: self.tr("fast"),
            2: self.tr("very fast"),
        }.get(max(-2, min(2, self._speed_step)), self.tr("normal"))

    def _show_values(self) -> None:
        speed = self.tr("Speed: {speed}").format(speed=self._speed_words())
        volume = self.tr("Volume: {level} of {levels}").format(
            level=self._volume_level, levels=self._volume_levels
        )
        dots = "\u25cf" * self._volume_level + "\u25cb" * (self._volume_levels - self._volume_level)
        # Two short lines between the buttons (the bar has little width to spare); five dots
        # say the volume at a glance, and a screen reader says the words.
        self.speed_value.setText(self.tr("Speed") + "\n" + self._speed_words())
        self.speed_value.setAccessibleName(speed)
        self.volume_value.setText(self.tr("Volume") + "\n" + dots)
        self.volume_value.setAccessibleName(volume)
        for button, value in (
            (self.slower, speed),
            (self.faster, speed),
            (self.quieter, volume),
            (self.louder, volume),
        ):
            words = self._labels.get(button.objectName()) or button.text().strip()
            button.setAccessibleName(f"{words}, {value}")  # its words, even as an icon
        hint = {
            HEADPHONES_JACK: self.tr(
                "Please keep the sound low for others, or plug in headphones if you have them."
            ),
            HEADPHONES_DESK: self.tr(
                "Please keep the sound low for others. The front desk can lend you headphones."
            ),
        }.get(self._headphones, self.tr("Please keep the sound low for others."))
        self.sound_hint.setText(hint)
        self.sound_hint.setAccessibleName(hint)

    def show_sentence(self, index: int, count: int) -> None:
        """Grey out Back on the first sentence and Skip on the last."""
        self._first_sentence, self._last_sentence = index <= 0, index >= count - 1
        self.previous_sentence.setEnabled(not self._first_sentence)
        self.next_sentence.setEnabled(not self._last_sentence)

    def _retranslate_steering(self) -> None:
        label_button(self.previous_sentence, self.tr("Back"), self.tr("Hear the sentence before"))
        label_button(self.next_sentence, self.tr("Skip"), self.tr("Go on to the next sentence"))
        self._labels = {
            w.objectName(): w.text().strip()
            for step in (*self._icon_only_when_tight(False), *self._icon_only_when_tight(True))
            for w in step
        }
        # Not "Back"/"Skip" alone to a screen reader: the topic has its own Previous and Next.
        self.previous_sentence.setAccessibleName(self.tr("Previous sentence"))
        self.next_sentence.setAccessibleName(self.tr("Next sentence"))
        self._show_values()

    def show_state(self, state: ReadState | str) -> None:
        self._state = ReadState(state)
        active = self._state in _ACTIVE
        # Labels and icons first: whether the row fits is measured with the full labels.
        self.retranslate()
        self.refresh_icons()
        self.read.setVisible(not active)
        self.read.setEnabled(self._available)
        self.stop.setVisible(active)
        full = active and not self._compact
        self.pause.setVisible(full)
        self.sound_hint.setVisible(not active and not self._compact and self._available)
        self._folded, self._icons_only = self._fold_needed()
        self._panel_open = self._folded and self.more.isChecked()
        # Folded with "Speed and volume" open, speed and volume take the place of Repeat,
        # Back and Skip while the patient sets them, so the bar stays one row; closing the
        # panel brings them back. Pause and Stop stay.
        for steer in self._sentence_steering:
            steer.setVisible(full and not self._panel_open)
        extras = full and (not self._folded or self._panel_open)
        for widget in self._speed_and_volume:
            widget.setVisible(extras)
        if not active:  # a new reading starts at its first sentence until told otherwise
            self._first_sentence, self._last_sentence = True, False
        self.previous_sentence.setEnabled(not self._first_sentence)
        self.next_sentence.setEnabled(not self._last_sentence)
        self.more.setVisible(self._folded)
        self.status.setVisible(not self._available or (full and not self._folded))
        self.slower.setEnabled(not self._at_slowest)
        self.faster.setEnabled(not self._at_fastest)
        self.quieter.setEnabled(not self._at_quietest)
        self.louder.setEnabled(not self._at_loudest)
        # Even folded the row may not fit (large text, a small screen): then Back, Skip,
        # Repeat (and if need be Pause and Stop) keep their icons and their names for a
        # screen reader, not their words, so the bar stays one row above the text. With
        # the panel open it is Pause, Stop, "Speed and volume" itself, and last Slower,
        # Faster, Quieter and Louder, which become minus and plus around their values.
        for step in self._icon_only_when_tight(self._panel_open)[: self._icons_only]:
            for widget in step:
                if widget in self._steppers:
                    self._set_stepper_icon(widget)
                widget.setText("")
        self.updateGeometry()

    @property
    def _sentence_steering(self) -> list[QPushButton]:
        return [self.repeat, self.previous_sentence, self.next_sentence]

    @property
    def _steppers(self) -> dict[QPushButton, str]:
        """The speed and volume buttons, and the icon each shows when it has no room for words."""
        return {
            self.slower: "minus",
            self.faster: "plus",
            self.quieter: "minus",
            self.louder: "plus",
        }

    def _icon_only_when_tight(self, panel_open: bool) -> list[tuple[QPushButton, ...]]:
        """The buttons that may lose their words, step by step, in that order."""
        if panel_open:
            return [(self.pause,), (self.stop,), (self.more,), tuple(self._steppers)]
        steps = [self.previous_sentence, self.next_sentence, self.repeat, self.pause, self.stop]
        return [(widget,) for widget in steps]

    def _icon_size(self) -> int:
        return int(self._theme.book.sizes[self._theme.text_size]["chrome_icon"])

    def _set_stepper_icon(self, widget: QPushButton) -> None:
        colour = self._theme.colour("secondary_text")
        size = self._icon_size()
        set_icon(widget, self._icons.icon(self._steppers[widget], colour, size), size)

    def _fold_needed(self) -> tuple[bool, int]:
        """Whether speed and volume fold away, and how many buttons show icons only."""
        if self._state not in _ACTIVE or self._compact:
            return False, 0
        width = max(self.width(), 1)
        # Read aloud and the hint hide while reading; the values sit between their buttons.
        row: list[QWidget] = [w for w in self.controls if w is not self.read]
        row += [self.speed_value, self.volume_value, self.status]
        if self._row_width(row) <= width:
            return False, 0
        panel_open = self.more.isChecked()
        if panel_open:
            folded = [self.pause, self.stop, *self._speed_and_volume, self.more]
        else:
            folded = [self.pause, self.stop, *self._sentence_steering, self.more]
        needed = self._row_width(folded)
        tight = self._icon_only_when_tight(panel_open)
        for count, step in enumerate(tight):
            if needed <= width:
                return True, count
            needed -= sum(self._words_width(widget) for widget in step)
        return True, len(tight)

    def _row_width(self, widgets: list[QWidget]) -> int:
        """Their width side by side, each with its words (also one icon-only just now)."""
        total = 0
        for widget in widgets:
            if widget is self.status:
                # The progress line at its longest, not as it is now: a bar that folds when
                # the count first appears would hide the button the patient just reached for.
                longest = self.tr("Sentence {n} of {count}").format(n=99, count=99)
                total += self.status.fontMetrics().horizontalAdvance(longest) + 4 + 12
                continue
            total += widget.sizeHint().width() + 12
            if isinstance(widget, QPushButton) and not widget.text():
                total += self._words_width(widget)
        return total

    def _words_width(self, widget: QWidget) -> int:
        """The width of the words on a button that may show its icon only."""
        label = self._labels.get(widget.objectName(), "")
        if not label:
            return 0
        if widget in self._steppers:  # words alone, or an icon alone in their place
            return widget.fontMetrics().horizontalAdvance(label) - self._icon_size()
        return widget.fontMetrics().horizontalAdvance(ICON_GAP + label)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if (self._folded, self._icons_only) != self._fold_needed():
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
        for stepper in self._steppers:  # words; an icon only when they have no room
            stepper.setIcon(QIcon())
        self.retranslate()  # words or icons only follow the text size
        size = self._icon_size()
        dark = self._theme.colour("secondary_text")
        light = self._theme.colour("accent_text")
        on_text = self._theme.colour("toggle_on_text")
        paused = self._state is ReadState.PAUSED
        for widget, name, colour in (
            (self.read, "volume-2", light),
            (self.pause, "play" if paused else "pause", dark),
            (self.stop, "square", dark),
            (self.repeat, "repeat-2", dark),
            (self.previous_sentence, "skip-back", dark),
            (self.next_sentence, "skip-forward", dark),
            # Open, the toggle is filled as an "on" toggle is, so its icon is light.
            (self.more, "sliders-horizontal", on_text if self.more.isChecked() else dark),
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
        self._retranslate_steering()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.show_state(self._state)  # retranslates, and the new words may not fit
        super().changeEvent(event)
