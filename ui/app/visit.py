"""The visit: what one visitor has chosen, and the services that act for them.

Built in main.py and handed to whatever needs it (the window, the visit flow, the read-aloud
bars), so nothing fetches a service from the window. It holds the visitor's preferences and
ticked questions, speaks through the Narrator and records through the VisitTracker; a reset
puts all of it back for the next visitor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from kiosk.viewlog.events import Interaction
from kiosk.visit import Preferences, VisitTracker
from ui.read_aloud.narrator import Narrator
from ui.read_aloud.readable import Readable


class Visit(QObject):
    # The old preferences (None: show everything anew) and the new ones.
    preferences_changed = Signal(object, object)
    # A checklist topic's id, and the places (0, 1, ...) of the questions ticked in it: by
    # place, not by wording, so the ticks stay when the visitor switches language.
    ticks_changed = Signal(str, tuple)

    def __init__(
        self,
        tracker: VisitTracker,
        narrator: Narrator,
        defaults: Preferences,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tracker = tracker
        self.narrator = narrator
        self.defaults = defaults
        self._preferences = defaults
        self._ticks: dict[str, tuple[int, ...]] = {}
        narrator.apply(defaults.speech_rate, defaults.volume)

    @property
    def preferences(self) -> Preferences:
        return self._preferences

    def ticks(self, topic_id: str) -> tuple[int, ...]:
        """The questions ticked in a checklist topic during this visit, by place."""
        return self._ticks.get(topic_id, ())

    def start(self) -> None:
        """A visitor tapped the invitation (counted; nothing about who)."""
        self.tracker.visit_started()

    def reset(self) -> None:
        """The visitor has gone: nothing they chose stays for the next one."""
        self.tracker.visit_ended()
        for topic_id in list(self._ticks):
            self.set_ticks(topic_id, ())
        self.change(self.defaults)

    # -- preferences -------------------------------------------------------------------------

    def change(self, preferences: Preferences, *, anew: bool = False) -> None:
        """Use these preferences; `anew` has every screen shown again (new content)."""
        old, self._preferences = self._preferences, preferences
        if anew or old.language != preferences.language:
            self.narrator.stop()
        self.narrator.apply(preferences.speech_rate, preferences.volume)
        self.preferences_changed.emit(None if anew else old, preferences)
        # After the screens have followed: a topic shown again is a new view.
        self.tracker.preferences_changed(preferences)

    def step(self, step: Callable[[Preferences], Preferences]) -> None:
        """One step of speed or volume (Preferences.slower, .louder, ...)."""
        self.change(step(self._preferences))

    def set_language(self, language: str) -> None:
        if language != self._preferences.language:
            self.change(self._preferences.with_(language=language))
            self.count(Interaction.LANGUAGE_CHOSEN)

    def set_large_text(self, on: bool) -> None:
        self.change(self._preferences.with_(large_text=on))

    def set_high_contrast(self, on: bool) -> None:
        self.change(self._preferences.with_(high_contrast=on))

    def set_ticks(self, topic_id: str, places: Sequence[int]) -> None:
        """Ticks last the whole visit, whatever screens come between (reset clears them)."""
        ticks = tuple(sorted(places))
        if ticks != self.ticks(topic_id):
            if ticks:
                self._ticks[topic_id] = ticks
            else:
                self._ticks.pop(topic_id, None)
            self.ticks_changed.emit(topic_id, ticks)

    # -- reading aloud -----------------------------------------------------------------------

    def read(self, source: str, readables: Sequence[Readable]) -> None:
        language = self._preferences.language
        self.narrator.read(source, readables, language)
        self.tracker.read_aloud_used(language)

    def read_from(
        self, source: str, readables: Sequence[Readable], at: Readable, offset: int
    ) -> None:
        """A tap on the text: read from the sentence tapped (a jump, if it is being read)."""
        language = self._preferences.language
        if self.narrator.read_from(source, readables, language, at, offset):
            self.tracker.read_aloud_used(language)

    def stop_reading(self, source: str = "") -> None:
        """Silence (only if `source` is what is being read, when one is named)."""
        if not source or self.narrator.source == source:
            self.narrator.stop()

    # -- the anonymous log -------------------------------------------------------------------

    def view_started(self, topic_id: str) -> None:
        self.tracker.topic_shown(topic_id, self._preferences)

    def view_ended(self) -> None:
        self.tracker.topic_left()

    def count(self, kind: Interaction) -> None:
        self.tracker.interaction(kind, self._preferences.language)
