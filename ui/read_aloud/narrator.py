"""Connects read-aloud to the screen: what to read, and where the highlight goes.

The ReadAloudController (ui/read_aloud/controller.py) speaks blocks of text and says which sentence
and word are being heard; the Narrator hands it the readables of the current screen, lights
up the matching text and keeps it in view. One per kiosk, shared by every screen.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from ui.common.theme import ThemeApplier
from ui.read_aloud.controller import ReadAloudController, ReadState, TextBlock
from ui.read_aloud.readable import HighlightColours, Readable

logger = logging.getLogger(__name__)

_QUIET = (ReadState.IDLE, ReadState.STOPPED, ReadState.FINISHED, ReadState.UNAVAILABLE)


class Narrator(QObject):
    # Relayed from the controller for the read-aloud bars on screen.
    state_changed = Signal(str)
    availability_changed = Signal(bool, str)
    progress = Signal(int, int)  # sentence index (from 0), sentence count
    # False: the patient scrolled away by hand, so the page no longer follows the voice.
    following_changed = Signal(bool)

    def __init__(
        self, controller: ReadAloudController, theme: ThemeApplier, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._theme = theme
        self._readables: list[Readable] = []
        self._lit: Readable | None = None
        self._lit_at = 0  # where in the lit readable the voice is (for "back to my place")
        self._following = True
        self.source = ""
        controller.highlight_changed.connect(self._highlight)
        controller.state_changed.connect(self._state_changed)
        controller.sentence_started.connect(self.progress)
        controller.availability_changed.connect(self.availability_changed)

    @property
    def state(self) -> ReadState:
        return self.controller.state

    @property
    def active(self) -> bool:
        return self.controller.state not in _QUIET

    def available(self) -> bool:
        return self.controller.is_available()

    def read(self, source: str, readables: Sequence[Readable], language: str) -> None:
        """Read these, in order, from the start (stopping anything being read)."""
        self._start(source, readables, language, None, 0)

    def _start(
        self,
        source: str,
        readables: Sequence[Readable],
        language: str,
        at: Readable | None,
        offset: int,
    ) -> None:
        self.stop()
        self._readables = [r for r in readables if r.reading_text().strip()]
        if not self._readables:
            return
        self.source = source
        blocks = [TextBlock(r.reading_text(), index) for index, r in enumerate(self._readables)]
        block = next((i for i, r in enumerate(self._readables) if r is at), None)
        if block is None:
            self.controller.start(blocks, language)
        else:
            self.controller.start(blocks, language, block=block, offset=offset)

    def stop(self) -> None:
        """Silence at once; safe to call when nothing is being read."""
        if self.active:
            self.controller.stop()
        self._clear()

    def toggle_pause(self) -> None:
        if self.controller.state is ReadState.PAUSED:
            self.controller.resume()
        elif self.active:
            self.controller.pause()

    def repeat_sentence(self) -> None:
        self.controller.repeat_sentence()

    # Steering: another sentence, a tap on the text, and the page that follows the voice.

    def next_sentence(self) -> None:
        self.controller.next_sentence()

    def previous_sentence(self) -> None:
        self.controller.previous_sentence()

    def read_from(
        self,
        source: str,
        readables: Sequence[Readable],
        language: str,
        at: Readable,
        offset: int,
    ) -> bool:
        """Read from the sentence at `offset` in `at`: on in the reading under way if `at`
        is part of it, else a new reading of `readables` from there. True: a new reading."""
        if self.active and source == self.source:
            for index, readable in enumerate(self._readables):
                if readable is at:
                    self.controller.go_to_text(index, offset)
                    return False
        self._start(source, readables, language, at, offset)
        return self.active

    @property
    def following(self) -> bool:
        return self._following

    def hold_following(self) -> None:
        """The patient moved the page by hand: leave it where they put it."""
        if self.active and self._following:
            self._following = False
            self.following_changed.emit(False)

    def back_to_place(self) -> None:
        """Show the sentence being heard again, and follow the voice from here on."""
        if self._lit is not None:
            self._lit.reveal(self._lit_at)
        self._follow_again()

    def _follow_again(self) -> None:
        if not self._following:
            self._following = True
            self.following_changed.emit(True)

    def apply(self, rate_step: int, volume: float) -> None:
        """The visitor's speed step (kiosk.speech.plan.RATE_STEPS_WPM) and volume (0 to 1)."""
        self.controller.set_rate_step(rate_step)
        self.controller.set_volume(volume)

    def _highlight(self, key: object, s0: int, s1: int, w0: int, w1: int) -> None:
        if not isinstance(key, int) or not 0 <= key < len(self._readables):
            return
        readable = self._readables[key]
        if self._lit is not None and self._lit is not readable:
            self._lit.highlight(None, None, self._colours())
        self._lit = readable
        word = (w0, w1) if w0 >= 0 else None
        readable.highlight((s0, s1), word, self._colours())
        self._lit_at = w0 if w0 >= 0 else s0
        if self._following:
            readable.reveal(self._lit_at)

    def _state_changed(self, state: str) -> None:
        if ReadState(state) in _QUIET:
            self._clear()
        self.state_changed.emit(state)

    def _clear(self) -> None:
        if self._lit is not None:
            self._lit.highlight(None, None, self._colours())
            self._lit = None
        self._follow_again()  # nothing to come back to

    def _colours(self) -> HighlightColours:
        return HighlightColours(
            self._theme.colour("sentence"),
            self._theme.colour("word"),
            self._theme.colour("word_text"),
        )
