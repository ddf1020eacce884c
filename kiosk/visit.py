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
class _View:
    """One topic in one visit, however often it was left and shown again."""

    topic_id: str
    language: str  # the language it was last shown in
    when: HourBucket  # the hour it was last on screen in
    seconds: float = 0.0  # on screen, summed over every stint
    read_aloud: bool = False
    large_text: bool = False
    high_contrast: bool = False

    def use(self, preferences: Preferences) -> None:
        self.language = preferences.language
        self.large_text |= preferences.large_text
        self.high_contrast |= preferences.high_contrast


class VisitTracker:
    """Turns navigation into TopicViewed events: one per topic shown in a visit.

    A view is one topic in one visit (docs/counting.md): switching language or text size,
    a detour to crisis help, or coming back to the topic later adds time to the same view,
    never a second one. The views are recorded when the visit ends, sorted by topic, so
    nothing records the order they were read in.
    """

    def __init__(self, sink: EventSink, clock: Clock) -> None:
        self._sink = sink
        self._clock = clock
        self._views: dict[str, _View] = {}
        self._open: _View | None = None
        self._since = 0.0

    def visit_started(self) -> None:
        self.visit_ended()  # anything shown before the tap belonged to someone else
        self._sink.record(VisitStarted(self._bucket()))

    def visit_ended(self) -> None:
        """The visitor has gone: record each topic they saw, once."""
        self.topic_left()
        views, self._views = self._views, {}
        for view in sorted(views.values(), key=lambda v: v.topic_id):
            self._sink.record(
                TopicViewed(
                    view.when,
                    view.topic_id,
                    view.language,
                    max(0, round(view.seconds)),
                    view.read_aloud,
                    view.large_text,
                    view.high_contrast,
                )
            )

    def topic_shown(self, topic_id: str, preferences: Preferences) -> None:
        self.topic_left()
        view = self._views.get(topic_id)
        if view is None:
            view = self._views[topic_id] = _View(topic_id, preferences.language, self._bucket())
        view.use(preferences)
        self._open, self._since = view, self._clock.monotonic()

    def topic_left(self) -> None:
        view, self._open = self._open, None
        if view is None:
            return
        view.seconds += max(0.0, self._clock.monotonic() - self._since)
        view.when = self._bucket()

    def preferences_changed(self, preferences: Preferences) -> None:
        """A mode switched on during a view counts for that view."""
        if self._open is not None:
            self._open.use(preferences)

    def read_aloud_used(self, language: str) -> None:
        if self._open is not None:
            self._open.read_aloud = True
        self.interaction(Interaction.READ_ALOUD_STARTED, language)

    def interaction(self, kind: Interaction, language: str) -> None:
        topic = self._open.topic_id if self._open else ""
        self._sink.record(InteractionHappened(self._bucket(), kind, topic, language))

    def _bucket(self) -> HourBucket:
        return HourBucket.of(self._clock.now())
