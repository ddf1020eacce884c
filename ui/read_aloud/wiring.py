"""Every read-aloud bar, connected to the visit's Narrator and the visitor's preferences.

A bar asks to read its screen; the visit reads it; every bar shows the state, but only the
bar of the screen being read shows it as active. Speed and volume are visitor preferences
(a reset puts them back), so the bars change them through the visit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Protocol

from PySide6.QtCore import QObject, SignalInstance

from kiosk.visit import VOLUME_STEPS, Preferences
from ui.app.visit import Visit
from ui.read_aloud.bar import ReadAloudBar
from ui.read_aloud.controller import ReadState
from ui.read_aloud.readable import Readable

logger = logging.getLogger(__name__)

# A bar, and what its screen has to read at the moment it is pressed.
Reader = tuple[ReadAloudBar, Callable[[], list[Readable]]]


class Steerable(Protocol):
    """A screen whose text can be tapped to read from there, and whose page a patient may
    scroll away from the voice (ui/screens/topic.py)."""

    read_from_requested: SignalInstance  # a Readable on the screen, an offset in its text
    scrolled_by_user: SignalInstance
    back_to_place_requested: SignalInstance

    def show_place_left(self, left: bool) -> None:
        """Offer the way back to the sentence being heard (or take it away)."""


class ReadAloudWiring(QObject):
    def __init__(
        self,
        visit: Visit,
        readers: Mapping[str, Reader],
        parent: QObject | None = None,
        steerable: Mapping[str, Steerable] | None = None,
    ) -> None:
        super().__init__(parent)
        self._visit = visit
        self._narrator = narrator = visit.narrator
        self.bars: dict[str, ReadAloudBar] = {}
        self._headphones = ""
        narrator.state_changed.connect(self._show_state)
        narrator.progress.connect(self._show_progress)
        narrator.availability_changed.connect(self._show_availability)
        visit.preferences_changed.connect(self._preferences_changed)
        for name, reader in readers.items():
            self.add(name, reader, (steerable or {}).get(name))
        self._show_availability(narrator.available(), "")

    def add(self, name: str, reader: Reader, steerable: Steerable | None = None) -> None:
        """One more bar (a screen built on first use), showing the state as it is now."""
        visit, narrator = self._visit, self._narrator
        bar, readables = reader
        self.bars[name] = bar
        bar.read_requested.connect(lambda: visit.read(name, readables()))
        bar.pause_toggled.connect(narrator.toggle_pause)
        bar.stop_requested.connect(narrator.stop)
        bar.repeat_requested.connect(narrator.repeat_sentence)
        bar.slower_requested.connect(lambda: visit.step(Preferences.slower))
        bar.faster_requested.connect(lambda: visit.step(Preferences.faster))
        bar.quieter_requested.connect(lambda: visit.step(Preferences.quieter))
        bar.louder_requested.connect(lambda: visit.step(Preferences.louder))
        bar.previous_sentence_requested.connect(narrator.previous_sentence)
        bar.next_sentence_requested.connect(narrator.next_sentence)
        if steerable is not None:
            self._steer(name, steerable, readables)
        bar.show_availability(narrator.available())
        self._show_limits_on(bar, visit.preferences)
        bar.show_headphones(self._headphones)
        bar.show_state(narrator.state if name == narrator.source else ReadState.IDLE)

    def _preferences_changed(self, _old: Preferences | None, new: Preferences) -> None:
        self._show_limits(new)

    def show_headphones(self, offer: str) -> None:
        """What the clinic offers for listening privately (the `headphones` setting)."""
        self._headphones = offer
        for bar in self.bars.values():
            bar.show_headphones(offer)

    def _steer(self, name: str, screen: Steerable, readables: Callable[[], list[Readable]]) -> None:
        visit, narrator = self._visit, self._narrator
        screen.read_from_requested.connect(
            lambda at, offset: visit.read_from(name, readables(), at, offset)
        )
        screen.scrolled_by_user.connect(
            lambda: narrator.hold_following() if narrator.source == name else None
        )
        screen.back_to_place_requested.connect(narrator.back_to_place)
        narrator.following_changed.connect(
            lambda following: screen.show_place_left(
                not following and narrator.source == name and narrator.active
            )
        )

    def _show_limits(self, preferences: Preferences) -> None:
        for bar in self.bars.values():
            self._show_limits_on(bar, preferences)

    @staticmethod
    def _show_limits_on(bar: ReadAloudBar, preferences: Preferences) -> None:
        """Grey out the speed and volume buttons that can go no further, and show where
        between them the visitor is."""
        bar.show_limits(
            preferences.slower() == preferences,
            preferences.faster() == preferences,
            preferences.quieter() == preferences,
            preferences.louder() == preferences,
        )
        bar.show_values(preferences.speech_rate, preferences.volume_level, len(VOLUME_STEPS))

    def _show_state(self, state: str) -> None:
        for name, bar in self.bars.items():
            bar.show_state(state if name == self._narrator.source else ReadState.IDLE)

    def _show_progress(self, index: int, count: int) -> None:
        bar = self.bars.get(self._narrator.source)
        if bar is not None:
            bar.show_progress(index, count)
            bar.show_sentence(index, count)

    def _show_availability(self, available: bool, reason: str) -> None:
        if not available:
            logger.warning("read aloud is unavailable: %s", reason or "no reason given")
        for bar in self.bars.values():
            bar.show_availability(available)
