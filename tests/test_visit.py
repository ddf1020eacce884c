"""The visit tracker turns navigation into exactly one anonymous view per topic shown."""

from __future__ import annotations

from datetime import date

from kiosk.clock import ManualClock
from kiosk.viewlog.events import (
    Event,
    HourBucket,
    Interaction,
    InteractionHappened,
    TopicViewed,
    VisitStarted,
)
from kiosk.visit import Preferences, VisitTracker


class Sink:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def record(self, event: Event) -> None:
        self.events.append(event)


def test_one_view_per_topic_shown_with_its_time_on_screen() -> None:
    clock, sink = ManualClock(), Sink()
    tracker = VisitTracker(sink, clock)
    tracker.visit_started()
    english = Preferences(language="en")
    tracker.topic_shown("side-effects", english)
    clock.advance(5)
    tracker.topic_shown("cost", english)  # leaving one topic for the next
    clock.advance(42.4)
    tracker.topic_left()
    tracker.topic_left()  # leaving twice adds nothing
    bucket = HourBucket(date(2026, 11, 20), 9)
    assert sink.events == [VisitStarted(bucket)]  # nothing until the visit is over
    tracker.visit_ended()
    # Sorted by topic, not in the order they were read: nothing records that order.
    assert sink.events == [
        VisitStarted(bucket),
        TopicViewed(bucket, "cost", "en", 42),
        TopicViewed(bucket, "side-effects", "en", 5),
    ]
    tracker.visit_ended()  # ending twice records nothing more
    assert len(sink.events) == 3


def test_a_topic_shown_again_in_the_same_visit_is_the_same_view() -> None:
    clock, sink = ManualClock(), Sink()
    tracker = VisitTracker(sink, clock)
    tracker.topic_shown("cost", Preferences(language="en"))
    clock.advance(30)
    tracker.topic_shown("crisis", Preferences(language="en"))  # a detour to crisis help
    clock.advance(100)
    tracker.topic_shown("cost", Preferences(language="es"))  # back, then in Spanish
    clock.advance(20)
    tracker.topic_shown("cost", Preferences(language="es", large_text=True))
    clock.advance(10.4)
    tracker.topic_left()
    tracker.visit_ended()
    bucket = HourBucket(date(2026, 11, 20), 9)
    # The detour's time is crisis help's, not the topic's; the view is in the language it
    # ended in, and flagged with the mode used during it.
    assert sink.events == [
        TopicViewed(bucket, "cost", "es", 60, large_text=True),
        TopicViewed(bucket, "crisis", "en", 100),
    ]


def test_a_new_visit_counts_the_topic_again() -> None:
    clock, sink = ManualClock(), Sink()
    tracker = VisitTracker(sink, clock)
    for seconds in (12, 7):
        tracker.visit_started()
        tracker.topic_shown("cost", Preferences(language="en"))
        clock.advance(seconds)
        tracker.topic_left()
    tracker.visit_ended()
    views = [e for e in sink.events if isinstance(e, TopicViewed)]
    assert [(v.topic_id, v.seconds) for v in views] == [("cost", 12), ("cost", 7)]


def test_modes_and_read_aloud_used_during_a_view_are_flagged() -> None:
    clock, sink = ManualClock(), Sink()
    tracker = VisitTracker(sink, clock)
    tracker.topic_shown("cost", Preferences(language="es"))
    tracker.preferences_changed(Preferences(language="es", large_text=True))
    tracker.preferences_changed(Preferences(language="es"))  # switching back still counts
    tracker.read_aloud_used("es")
    tracker.topic_left()
    tracker.visit_ended()
    view = sink.events[-1]
    assert isinstance(view, TopicViewed)
    assert (view.large_text, view.high_contrast, view.read_aloud) == (True, False, True)
    started = sink.events[0]
    assert isinstance(started, InteractionHappened)
    assert started.kind is Interaction.READ_ALOUD_STARTED and started.topic_id == "cost"


def test_an_hour_boundary_uses_the_hour_the_topic_was_last_left_in() -> None:
    clock, sink = ManualClock(), Sink()  # starts at 09:30
    tracker = VisitTracker(sink, clock)
    tracker.topic_shown("cost", Preferences(language="en"))
    clock.advance(45 * 60)
    tracker.topic_left()
    tracker.topic_shown("beta", Preferences(language="en"))
    clock.advance(20 * 60)
    tracker.visit_ended()  # at 10:35
    hours = {e.topic_id: e.when.hour for e in sink.events if isinstance(e, TopicViewed)}
    assert hours == {"cost": 10, "beta": 10}


def test_interactions_outside_a_topic_have_no_topic() -> None:
    sink = Sink()
    VisitTracker(sink, ManualClock()).interaction(Interaction.LANGUAGE_CHOSEN, "es")
    event = sink.events[0]
    assert isinstance(event, InteractionHappened) and event.topic_id == ""
