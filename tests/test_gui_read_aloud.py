"""Read aloud as a patient meets it: the words light up in order, the controls work, and the
speech stops the moment they do anything else. A fake engine and player keep time by hand."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.visit import DEFAULT_VOLUME
from tests.conftest import ContentFolder
from tests.fakes.speech import FakeSpeechService
from tests.helpers.gui import tap
from ui.app.window import Screen
from ui.read_aloud.controller import ReadState


def open_alpha(qtbot: Any, kiosk: Any) -> Any:
    tile = next(t for t in kiosk.window.home.tiles if t.topic_id == "alpha")
    tap(qtbot, tile)
    return kiosk.window.topic


def playing(qtbot: Any, kiosk: Any) -> None:
    """Wait until the fake engine has answered and the player is playing a sentence."""
    qtbot.waitUntil(lambda: kiosk.player.state == "playing")


class Highlights:
    """Every (readable, sentence) the screen lit up, in order, without repeats in a row."""

    def __init__(self, kiosk: Any) -> None:
        self.seen: list[tuple[str, str]] = []
        narrator = kiosk.narrator

        def lit(key: object, s0: int, s1: int, *_: int) -> None:
            readable = narrator._readables[key]  # type: ignore[index]
            entry = (type(readable).__name__, readable.reading_text()[s0:s1])
            if not self.seen or self.seen[-1] != entry:
                self.seen.append(entry)

        narrator.controller.highlight_changed.connect(lit)


def test_reading_a_topic_lights_up_each_sentence_in_order(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    topic = open_alpha(qtbot, kiosk)
    highlights = Highlights(kiosk)
    tap(qtbot, topic.read_bar.read)
    assert topic.read_bar.stop.isVisible() and topic.read_bar.pause.isVisible()
    assert not topic.read_bar.read.isVisible()
    with qtbot.waitSignal(kiosk.narrator.controller.finished, timeout=10_000):
        while kiosk.narrator.active:
            playing(qtbot, kiosk)
            kiosk.player.advance(kiosk.player.duration_ms)
    assert highlights.seen == [
        ("ReadableLabel", "Alpha?"),
        ("BodyView", "This is the alpha topic."),
        ("BodyView", "It is off-label for depression."),
        ("BodyView", "Given as an infusion."),
        ("BodyView", "Someone else must drive you home."),
        ("ReadableLabel", "Talk to your care team."),
    ]
    # Finished: the highlight is gone and the bar is back to one button.
    qtbot.waitUntil(lambda: topic.read_bar.read.isVisible())
    assert topic.reader.intro.extraSelections() == []
    assert topic.title.textFormat() == Qt.TextFormat.PlainText
    tap(qtbot, topic.home)
    kiosk.flow.reset()  # the visit's views are recorded as it ends
    assert kiosk.view_log.flush()
    with sqlite3.connect(tmp_path / "data" / "kiosk.db") as connection:
        assert connection.execute(
            "SELECT topic_id, read_aloud FROM topic_view_counts"
        ).fetchall() == [("alpha", 1)]
        assert connection.execute("SELECT kind, topic_id FROM interaction_counts").fetchall() == [
            ("read-aloud-started", "alpha")
        ]


def test_the_word_being_heard_is_marked_inside_its_sentence(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    topic = open_alpha(qtbot, kiosk)
    tap(qtbot, topic.read_bar.read)
    playing(qtbot, kiosk)  # the title
    kiosk.player.advance(kiosk.player.duration_ms)
    playing(qtbot, kiosk)  # "This is the alpha topic."
    kiosk.player.advance(kiosk.player.duration_ms // 2)
    selections = topic.reader.intro.extraSelections()
    assert len(selections) == 2
    sentence, word = (s.cursor.selectedText() for s in selections)
    assert sentence == "This is the alpha topic."
    assert word in sentence.split() or word.rstrip(".") in sentence


def test_pause_and_resume_keep_the_place(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    topic = open_alpha(qtbot, kiosk)
    tap(qtbot, topic.read_bar.read)
    playing(qtbot, kiosk)
    kiosk.player.advance(kiosk.player.duration_ms // 2)
    where = kiosk.player.position()
    tap(qtbot, topic.read_bar.pause)
    assert kiosk.narrator.state is ReadState.PAUSED
    assert topic.read_bar.pause.text().strip() == "Resume"
    kiosk.player.advance(500)  # time passes while paused: nothing moves
    assert kiosk.player.position() == where
    tap(qtbot, topic.read_bar.pause)
    assert kiosk.narrator.state is ReadState.PLAYING
    assert kiosk.player.position() == where


@pytest.mark.parametrize(
    "action", ["next", "home", "crisis", "language", "glossary", "section", "reset"]
)
def test_speech_stops_the_moment_the_patient_does_something_else(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, action: str
) -> None:
    content.add_language("es", "Español")
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    topic = open_alpha(qtbot, kiosk)
    tap(qtbot, topic.read_bar.read)
    playing(qtbot, kiosk)
    kiosk.player.advance(50)
    {
        "next": lambda: tap(qtbot, topic.next),
        "home": lambda: tap(qtbot, topic.home),
        "crisis": lambda: tap(qtbot, window.top_bar.crisis),
        "language": lambda: tap(qtbot, window.top_bar.language_buttons["es"]),
        "glossary": lambda: window.open_glossary("off-label"),
        "section": lambda: tap(qtbot, topic.reader.sections[0].button),
        "reset": kiosk.flow.reset,
    }[action]()
    assert kiosk.narrator.state is ReadState.STOPPED
    assert kiosk.player.state == "stopped"
    assert topic.reader.intro.extraSelections() == []


def test_speed_and_volume_change_and_a_reset_puts_them_back(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    controller = kiosk.narrator.controller
    topic = open_alpha(qtbot, kiosk)
    bar = topic.read_bar
    assert controller.volume == pytest.approx(DEFAULT_VOLUME)
    tap(qtbot, bar.read)
    playing(qtbot, kiosk)
    if bar.more.isVisible():  # 1280 px: speed and volume are folded behind one button
        tap(qtbot, bar.more)
    tap(qtbot, bar.faster)
    tap(qtbot, bar.faster)
    assert controller.rate_step == 2 and not bar.faster.isEnabled()
    tap(qtbot, bar.louder)
    tap(qtbot, bar.louder)
    assert kiosk.player.volume > DEFAULT_VOLUME and not bar.louder.isEnabled()
    for _ in range(3):
        tap(qtbot, bar.quieter)
    assert kiosk.player.volume < DEFAULT_VOLUME
    kiosk.flow.reset()  # the visitor has gone
    assert controller.rate_step == 0
    assert controller.volume == pytest.approx(DEFAULT_VOLUME)
    assert kiosk.window.current is Screen.ATTRACT


def test_repeat_sentence_plays_it_again(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    topic = open_alpha(qtbot, kiosk)
    tap(qtbot, topic.read_bar.read)
    playing(qtbot, kiosk)
    kiosk.player.advance(kiosk.player.duration_ms // 2)
    first = kiosk.player.played[-1]
    tap(qtbot, topic.read_bar.repeat)
    playing(qtbot, kiosk)
    assert kiosk.player.played[-1] == first and kiosk.player.position() == 0


def test_crisis_help_and_definitions_can_be_read_aloud(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    highlights = Highlights(kiosk)
    tap(qtbot, window.top_bar.crisis)
    tap(qtbot, window.crisis.read_bar.read)
    playing(qtbot, kiosk)
    assert highlights.seen[0] == ("ReadableLabel", "If you are in crisis now")
    assert window.crisis.read_bar.stop.isVisible()
    tap(qtbot, window.crisis.read_bar.stop)
    assert kiosk.narrator.state is ReadState.STOPPED
    tap(qtbot, window.crisis.back)
    window.open_glossary("infusion")
    tap(qtbot, window.glossary.read_bar.read)
    playing(qtbot, kiosk)
    assert highlights.seen[-1] == ("ReadableLabel", "Infusion")
    tap(qtbot, window.glossary.close_button)  # closing the definition stops its reading
    assert kiosk.narrator.state is ReadState.STOPPED


@pytest.mark.expected_logs("read aloud is unavailable")
def test_without_a_speech_engine_the_controls_say_so_and_the_rest_works(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    engine = FakeSpeechService(tmp_path)
    kiosk = make_kiosk(content_dir=content.root, speech=engine)
    topic = open_alpha(qtbot, kiosk)
    with qtbot.captureExceptions() as exceptions:
        engine.set_available(False, "libespeak-ng1 is not installed")
    assert exceptions == []
    bar = topic.read_bar
    assert not bar.read.isEnabled()
    assert bar.read.text().strip() == "Read aloud is not available"
    assert bar.status.isVisible()
    tap(qtbot, topic.next)  # everything else keeps working
    assert topic.topic.id == "beta"
    engine.set_available(True)
    assert bar.read.isEnabled()


def test_speed_and_volume_fold_away_when_the_bar_cannot_hold_them(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    kiosk.window.resize(1920, 1080)
    bar = open_alpha(qtbot, kiosk).read_bar
    tap(qtbot, bar.read)
    playing(qtbot, kiosk)
    # Standard text at 1920 px: every control (and the speed and volume) on one row.
    qtbot.waitUntil(lambda: bar.width() > 1800)
    assert bar.faster.isVisible() and bar.speed_value.isVisible() and not bar.more.isVisible()
    # Large text on a small (1024x768) screen: in large text at 1280 px the media buttons
    # drop their words and everything still fits one row.
    kiosk.window.resize(1024, 768)
    kiosk.visit.set_large_text(True)
    qtbot.waitUntil(lambda: bar.more.isVisible())
    assert not bar.faster.isVisible() and bar.pause.isVisible() and bar.stop.isVisible()
    assert bar.height() < 2 * bar.pause.height() + 40  # one row: the page keeps its room
    tap(qtbot, bar.more)
    assert bar.faster.isVisible() and bar.louder.isVisible()
    tap(qtbot, bar.faster)
    assert kiosk.narrator.controller.rate_step == 1


def test_every_way_off_a_screen_stops_speech_closes_the_pop_up_and_ends_the_view(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    open_alpha(qtbot, kiosk)
    window.open_glossary("infusion")
    tap(qtbot, window.glossary.read_bar.read)
    playing(qtbot, kiosk)
    assert kiosk.narrator.active and window.overlay.isVisible()
    tap(qtbot, window.top_bar.crisis)  # above the pop-up: always in reach
    assert window.current is Screen.CRISIS
    assert not kiosk.narrator.active and not window.overlay.isVisible()
    kiosk.flow.reset()
    assert kiosk.view_log.flush()
    with sqlite3.connect(tmp_path / "data" / "kiosk.db") as connection:
        viewed = connection.execute(
            "SELECT topic_id, read_aloud FROM topic_view_counts ORDER BY topic_id"
        )
        # Read aloud counted for the topic it was used on, not for crisis help.
        assert viewed.fetchall() == [("alpha", 1), ("crisis", 0)]
