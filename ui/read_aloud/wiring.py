"""Every read-aloud bar, connected to the visit's Narrator and the visitor's preferences.

A bar asks to read its screen; the visit reads it; every bar shows the state, but only the
bar of the screen being read shows it as active. Speed and volume are visitor preferences
(a reset puts them back), so the bars change them through the visit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject

from kiosk.visit import Preferences
from ui.app.visit import Visit
from ui.read_aloud.bar import ReadAloudBar
from ui.read_aloud.controller import ReadState
from ui.read_aloud.readable import Readable

logger = logging.getLogger(__name__)

# A bar, and what its screen has to read at the moment it is pressed.
Reader = tuple[ReadAloudBar, Callable[[], list[Readable]]]


class ReadAloudWiring(QObject):
    def __init__(
        self, visit: Visit, readers: Mapping[str, Reader], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._visit = visit
        self._narrator = narrator = visit.narrator
        self.bars = {name: bar for name, (bar, _) in readers.items()}
        for name, (bar, readables) in readers.items():
            bar.read_requested.connect(lambda n=name, r=readables: visit.read(n, r()))
            bar.pause_toggled.connect(narrator.toggle_pause)
            bar.stop_requested.connect(narrator.stop)
            bar.repeat_requested.connect(narrator.repeat_sentence)
            bar.slower_requested.connect(lambda: visit.step(Preferences.slower))
            bar.faster_requested.connect(lambda: visit.step(Preferences.faster))
            bar.quieter_requested.connect(lambda: visit.step(Preferences.quieter))
            bar.louder_requested.connect(lambda: visit.step(Preferences.louder))
        narrator.state_changed.connect(self._show_state)
        narrator.progress.connect(self._show_progress)
        narrator.availability_changed.connect(self._show_availability)
        visit.preferences_changed.connect(self._preferences_changed)
        self._show_availability(narrator.available(), "")
        self._show_limits(visit.preferences)

    def _preferences_changed(self, _old: Preferences | None, new: Preferences) -> None:
        self._show_limits(new)

    def _show_limits(self, preferences: Preferences) -> None:
        """Grey out the speed and volume buttons that can go no further."""
        limits = (
            preferences.slower() == preferences,
            preferences.faster() == preferences,
            preferences.quieter() == preferences,
            preferences.louder() == preferences,
        )
        for bar in self.bars.values():
            bar.show_limits(*limits)

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
