"""One visitor's time at the kiosk: their preferences, and the anonymous events it produces."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from kiosk.clock import Clock
from kiosk.speech.plan import DEFAULT_RATE_STEP, RATE_STEPS_WPM
from kiosk.viewlog.events import (
    Event,
    HourBucket,
    Interaction,
    InteractionHappened,
    TopicViewed,
    VisitStarted,
)

# Volume steps a visitor can pick (0 to 1). A waiting room is shared: start in the middle,
# loud enough to follow at arm's length and no louder; the patient can go up two steps.
VOLUME_STEPS = (0.2, 0.4, 0.6, 0.8, 1.0)
DEFAULT_VOLUME = 0.6


@dataclass(frozen=True, slots=True)
class Preferences:
    """What a visitor can change; a reset puts all of it back (Section 508 402.3.2)."""

    language: str
    large_text: bool = False
    high_contrast: bool = False
    speech_rate: int = DEFAULT_RATE_STEP  # a step of kiosk.speech.plan.RATE_STEPS_WPM
    volume: float = DEFAULT_VOLUME

    def with_(self, **changes: object) -> Preferences:
        return replace(self, **changes)  # type: ignore[arg-type]

    def slower(self) -> Preferences:
        return self.with_(speech_rate=max(min(RATE_STEPS_WPM), self.speech_rate - 1))

    def faster(self) -> Preferences:
        return self.with_(speech_rate=min(max(RATE_STEPS_WPM), self.speech_rate + 1))

    def quieter(self) -> Preferences:
        lower = [v for v in VOLUME_STEPS if v < self.volume - 1e-9]
        return self.with_(volume=lower[-1] if lower else VOLUME_STEPS[0])

    def louder(self) -> Preferences:
        higher = [v for v in VOLUME_STEPS if v > self.volume + 1e-9]
        return self.with_(volume=higher[0] if higher else VOLUME_STEPS[-1])

    @property
    def volume_level(self) -> int:
        """The volume as a step a patient can count: 1 to len(VOLUME_STEPS)."""
        nearest = min(VOLUME_STEPS, key=lambda step: abs(step - self.volume))
        return VOLUME_STEPS.index(nearest) + 1


class EventSink(Protocol):
    def record(self, event: Event) -> None: ...


@dataclass(slots=True)
class _OpenView:
    topic_id: str
    language: str
    started: float
    read_aloud: bool
    large_text: bool
    high_contrast: bool


class VisitTracker:
    """Turns navigation into TopicViewed events: one per topic shown, recorded when left."""

    def __init__(self, sink: EventSink, clock: Clock) -> None:
        self._sink = sink
        self._clock = clock
        self._view: _OpenView | None = None

    def visit_started(self) -> None:
        self._sink.record(VisitStarted(self._bucket()))

    def topic_shown(self, topic_id: str, preferences: Preferences) -> None:
        self.topic_left()
        self._view = _OpenView(
            topic_id,
            preferences.language,
            self._clock.monotonic(),
            False,
            preferences.large_text,
            preferences.high_contrast,
        )

    def topic_left(self) -> None:
        view, self._view = self._view, None
        if view is None:
            return
        seconds = max(0, round(self._clock.monotonic() - view.started))
        self._sink.record(
            TopicViewed(
                self._bucket(),
                view.topic_id,
                view.language,
                seconds,
                view.read_aloud,
                view.large_text,
                view.high_contrast,
            )
        )

    def preferences_changed(self, preferences: Preferences) -> None:
        """A mode switched on during a view counts for that view."""
        if self._view is not None:
            self._view.large_text |= preferences.large_text
            self._view.high_contrast |= preferences.high_contrast

    def read_aloud_used(self, language: str) -> None:
        if self._view is not None:
            self._view.read_aloud = True
        self.interaction(Interaction.READ_ALOUD_STARTED, language)

    def interaction(self, kind: Interaction, language: str) -> None:
        topic = self._view.topic_id if self._view else ""
        self._sink.record(InteractionHappened(self._bucket(), kind, topic, language))

    def _bucket(self) -> HourBucket:
        return HourBucket.of(self._clock.now())
