"""Every screen's read-aloud bar, connected to the one Narrator and the visitor's preferences.

A bar asks to read its screen; the Narrator reads it; every bar shows the state, but only
the bar of the screen being read shows it as active. Speed and volume are visitor
preferences (a reset puts them back), so the bars change them through the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.visit import Preferences
from ui.read_aloud import ReadState
from ui.read_aloud_bar import ReadAloudBar
from ui.readable import Readable

if TYPE_CHECKING:
    from ui.main_window import KioskWindow

logger = logging.getLogger(__name__)


class ReadAloudWiring(QObject):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self._window = window
        self._narrator = narrator = window.narrator
        self.bars: dict[str, ReadAloudBar] = {
            "topic": window.topic.read_bar,
            "crisis": window.crisis.read_bar,
            "glossary": window.glossary.read_bar,
        }
        sources: dict[str, Callable[[], list[Readable]]] = {
            "topic": window.topic.readables,
            "crisis": window.crisis.readables,
            "glossary": lambda: [window.glossary.title, window.glossary.text],
        }
        for name, bar in self.bars.items():
            bar.read_requested.connect(lambda n=name: self.read(n, sources[n]()))
            bar.pause_toggled.connect(narrator.toggle_pause)
            bar.stop_requested.connect(narrator.stop)
            bar.repeat_requested.connect(narrator.repeat_sentence)
            bar.slower_requested.connect(lambda: self._change(Preferences.slower))
            bar.faster_requested.connect(lambda: self._change(Preferences.faster))
            bar.quieter_requested.connect(lambda: self._change(Preferences.quieter))
            bar.louder_requested.connect(lambda: self._change(Preferences.louder))
        narrator.state_changed.connect(self._show_state)
        narrator.progress.connect(self._show_progress)
        narrator.availability_changed.connect(self._show_availability)
        self._show_availability(narrator.available(), "")
        self.apply(window.preferences)

    def read(self, source: str, readables: list[Readable]) -> None:
        language = self._window.preferences.language
        self._narrator.read(source, readables, language)
        self._window.tracker.read_aloud_used(language)

    def apply(self, preferences: Preferences) -> None:
        """The visitor's speed and volume to the engine, and the bars' limits."""
        self._narrator.apply(preferences.speech_rate, preferences.volume)
        limits = (
            preferences.slower() == preferences,
            preferences.faster() == preferences,
            preferences.quieter() == preferences,
            preferences.louder() == preferences,
        )
        for bar in self.bars.values():
            bar.show_limits(*limits)

    def _change(self, step: Callable[[Preferences], Preferences]) -> None:
        self._window.apply_preferences(step(self._window.preferences))

    def _show_state(self, state: str) -> None:
        for name, bar in self.bars.items():
            bar.show_state(state if name == self._narrator.source else ReadState.IDLE)

    def _show_progress(self, index: int, count: int) -> None:
        bar = self.bars.get(self._narrator.source)
        if bar is not None:
            bar.show_progress(index, count)

    def _show_availability(self, available: bool, reason: str) -> None:
        if not available:
            logger.warning("read aloud is unavailable: %s", reason or "no reason given")
        for bar in self.bars.values():
            bar.show_availability(available)
