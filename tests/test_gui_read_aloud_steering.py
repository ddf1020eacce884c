"""Read-aloud a patient can steer (issue 13, section 4): the speed and volume say where they
are, Back and Skip move by a sentence, a tap on the text reads from there, a look ahead is
not snapped back, and a shared room is asked to keep the sound low."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextCursor, QWheelEvent
from PySide6.QtWidgets import QAbstractSlider, QApplication, QScroller, QWidget

from kiosk.settings import load_settings
from kiosk.theme import ThemeBook
from kiosk.visit import VOLUME_STEPS, Preferences
from tests.conftest import ContentFolder, topic_text
from tests.fakes.speech import FakeSpeechService
from tests.helpers.gui import tap
from ui.read_aloud.controller import ReadAloudController, ReadState, TextBlock
from ui.screens.reader import BodyView

PARAGRAPHS = [
    "The first part is about what ketamine is.",
    "The second part is about how it is given.",
    "The third part is about how you may feel after.",
    "The fourth part is about going home.",
]


def open_topic(qtbot: Any, kiosk: Any, topic_id: str = "alpha") -> Any:
    tile = next(t for t in kiosk.window.home.tiles if t.topic_id == topic_id)
    tap(qtbot, tile)
    return kiosk.window.topic


def playing(qtbot: Any, kiosk: Any) -> None:
    qtbot.waitUntil(lambda: kiosk.player.state == "playing")


def lit(kiosk: Any) -> str:
    """The text of the sentence lit up on screen now."""
    narrator = kiosk.narrator
    readable = narrator._lit
    assert readable is not None, "nothing is lit"
    controller = narrator.controller
    sentence = controller._sentences[controller.sentence_index]
    return str(readable.reading_text()[sentence.span.start : sentence.span.end])


def spoken(kiosk: Any) -> str:
    """The text of the sentence whose audio the player is playing."""
    speech: FakeSpeechService = kiosk.speech
    request_id = kiosk.player.played[-1].stem.removeprefix("fake-")
    return next(r.text for r in speech.requests if r.id == request_id)


def settle_on(qtbot: Any, kiosk: Any, text: str) -> None:
    """Wait until `text` is both lit and being heard."""
    qtbot.waitUntil(lambda: kiosk.player.state == "playing" and spoken(kiosk) == text)
    assert lit(kiosk) == text


# -- 1. Speed and volume show their value ------------------------------------------------


def test_speed_and_volume_show_their_value_in_words_and_to_a_screen_reader(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    content.add_language("es", "Español")
    kiosk = make_kiosk(content_dir=content.root)
    kiosk.window.resize(1920, 1080)
    bar = open_topic(qtbot, kiosk).read_bar
    tap(qtbot, bar.read)
    playing(qtbot, kiosk)
    qtbot.waitUntil(lambda: bar.speed_value.isVisible())
    assert bar.speed_value.text() == "Speed\nnormal"
    assert bar.speed_value.accessibleName() == "Speed: normal"
    assert bar.volume_value.text() == "Volume\n\u25cf\u25cf\u25cf\u25cb\u25cb"
    assert bar.volume_value.accessibleName() == "Volume: 3 of 5"
    assert bar.slower.accessibleName() == "Slower, Speed: normal"
    speeds = []
    for _ in range(2):
        tap(qtbot, bar.slower)
        speeds.append(bar.speed_value.accessibleName())
    assert not bar.slower.isEnabled()
    for _ in range(4):
        tap(qtbot, bar.faster)
        speeds.append(bar.speed_value.accessibleName())
    assert speeds == [
        "Speed: slow",
        "Speed: very slow",
        "Speed: slow",
        "Speed: normal",
        "Speed: fast",
        "Speed: very fast",
    ]
    assert bar.faster.accessibleName() == "Faster, Speed: very fast"
    volumes = []
    for button in (bar.louder, bar.louder, bar.quieter, bar.quieter, bar.quieter, bar.quieter):
        tap(qtbot, button)
        volumes.append((bar.volume_value.accessibleName(), bar.volume_value.text().split()[-1]))
    assert volumes == [
        ("Volume: 4 of 5", "\u25cf\u25cf\u25cf\u25cf\u25cb"),
        ("Volume: 5 of 5", "\u25cf\u25cf\u25cf\u25cf\u25cf"),
        ("Volume: 4 of 5", "\u25cf\u25cf\u25cf\u25cf\u25cb"),
        ("Volume: 3 of 5", "\u25cf\u25cf\u25cf\u25cb\u25cb"),
        ("Volume: 2 of 5", "\u25cf\u25cf\u25cb\u25cb\u25cb"),
        ("Volume: 1 of 5", "\u25cf\u25cb\u25cb\u25cb\u25cb"),
    ]
    assert bar.quieter.accessibleName() == "Quieter, Volume: 1 of 5"
    assert not bar.quieter.isEnabled()
    tap(qtbot, kiosk.window.top_bar.language_buttons["es"])
    qtbot.waitUntil(lambda: bar.speed_value.accessibleName() == "Velocidad: muy rápida")
    assert bar.volume_value.accessibleName() == "Volumen: 1 de 5"
    assert bar.speed_value.text() == "Velocidad\nmuy rápida"


# -- 2. Back and Skip a sentence; a tap reads from there; the whole topic ------------------


def test_skip_and_back_move_the_voice_and_the_highlight_by_a_sentence(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    topic = open_topic(qtbot, kiosk)
    bar = topic.read_bar
    tap(qtbot, bar.read)
    settle_on(qtbot, kiosk, "Alpha?")
    assert bar.next_sentence.isVisible() and not bar.previous_sentence.isEnabled()
    assert bar.next_sentence.accessibleName() == "Next sentence"
    tap(qtbot, bar.next_sentence)
    settle_on(qtbot, kiosk, "This is the alpha topic.")
    assert topic.reader.intro.extraSelections()[0].cursor.selectedText() == (
        "This is the alpha topic."
    )
    tap(qtbot, bar.next_sentence)
    settle_on(qtbot, kiosk, "It is off-label for depression.")
    assert bar.status.text() == "Sentence 3 of 6"
    tap(qtbot, bar.previous_sentence)
    settle_on(qtbot, kiosk, "This is the alpha topic.")
    # Paused, Skip still moves on, and the new sentence is heard (as Repeat does).
    tap(qtbot, bar.pause)
    assert kiosk.narrator.state is ReadState.PAUSED
    tap(qtbot, bar.next_sentence)
    settle_on(qtbot, kiosk, "It is off-label for depression.")
    assert kiosk.narrator.state is ReadState.PLAYING
    for _ in range(3):
        tap(qtbot, bar.next_sentence)
    settle_on(qtbot, kiosk, "Talk to your care team.")
    assert not bar.next_sentence.isEnabled()  # the last sentence: nothing to skip to


def test_back_and_skip_through_the_controller_while_preparing(tmp_path: Path) -> None:
    """Jumps made before a sentence's audio is ready: only the wanted sentences are made."""
    from tests.fakes.audio import FakeAudioPlayer

    service = FakeSpeechService(tmp_path, auto=False)
    player = FakeAudioPlayer()
    controller = ReadAloudController(service, player, lookahead=1)
    blocks = [TextBlock("One. Two. Three. Four. Five.", "a"), TextBlock("Six.", "b")]
    controller.start(blocks, "en", block=0, offset=len("One. Two. "))
    assert [r.text for r in service.requests] == ["Three.", "Four."]
    controller.next_sentence()
    controller.next_sentence()
    assert controller.sentence_index == 4 and controller.state is ReadState.PREPARING
    # "Three." was cancelled on the way; "Four." is kept only if still wanted.
    assert [service.pending[i].text for i in service.pending] == ["Five.", "Six."]
    service.complete()
    assert player.state == "playing" and player.played[-1].stem == "fake-" + next(
        r.id for r in service.requests if r.text == "Five."
    )
    controller.next_sentence()
    controller.next_sentence()  # past the end: nothing
    assert controller.sentence_index == 5
    controller.go_to_text(0, 0)  # a tap on "One."
    assert controller.sentence_index == 0
    controller.stop()
    controller.next_sentence()  # nothing is being read: nothing happens
    assert controller.state is ReadState.STOPPED


def body_point(view: BodyView, text: str) -> QPoint:
    """A point inside `text` in the view, as a finger would land on it."""
    at = view.toPlainText().index(text) + 4
    cursor = QTextCursor(view.document())
    cursor.setPosition(at)
    return view.cursorRect(cursor).center()


def test_tapping_the_third_paragraph_reads_from_there(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    content.write("en", "alpha.md", topic_text("alpha", 1, body="\n\n".join(PARAGRAPHS) + "\n"))
    kiosk = make_kiosk(content_dir=content.root)
    topic = open_topic(qtbot, kiosk)
    intro = topic.reader.intro
    tap(qtbot, intro.viewport(), body_point(intro, PARAGRAPHS[2]))
    settle_on(qtbot, kiosk, PARAGRAPHS[2])
    assert topic.read_bar.stop.isVisible()  # the bar shows the reading, as Read aloud does
    kiosk.player.advance(kiosk.player.duration_ms)
    settle_on(qtbot, kiosk, PARAGRAPHS[3])  # and it reads on from there
    # While reading, a tap elsewhere jumps there.
    tap(qtbot, intro.viewport(), body_point(intro, PARAGRAPHS[0]))
    settle_on(qtbot, kiosk, PARAGRAPHS[0])


def test_reading_the_topic_goes_on_through_the_open_sections_in_order(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    body = (
        "The intro.\n\n## First more\n\nFirst section text.\n\n"
        "## Closed one\n\nClosed section text.\n\n## Second more\n\nSecond section text.\n"
    )
    content.write("en", "alpha.md", topic_text("alpha", 1, body=body))
    kiosk = make_kiosk(content_dir=content.root)
    topic = open_topic(qtbot, kiosk)
    first, closed, second = topic.reader.sections
    tap(qtbot, first.button)
    tap(qtbot, second.button)
    heard: list[str] = []
    kiosk.narrator.controller.sentence_started.connect(lambda *_: heard.append(spoken(kiosk)))
    tap(qtbot, topic.read_bar.read)
    while kiosk.narrator.active:
        playing(qtbot, kiosk)
        kiosk.player.advance(kiosk.player.duration_ms)
    assert heard == [
        "Alpha?",
        "The intro.",
        "First more",
        "First section text.",
        "Second more",
        "Second section text.",
        "Talk to your care team.",
    ]
    assert not closed.button.isChecked()


# -- 3. A look ahead is not snapped back ---------------------------------------------------


def long_topic(content: ContentFolder) -> None:
    paragraphs = [f"Paragraph {n} says something useful about the visit." for n in range(1, 41)]
    content.write("en", "alpha.md", topic_text("alpha", 1, body="\n\n".join(paragraphs) + "\n"))


def wheel_down(area: Any) -> None:
    viewport = area.viewport()
    centre = QPointF(viewport.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(viewport.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, -360),  # three notches towards the end
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, event)


def drag_up(qtbot: Any, area: Any) -> None:
    """A finger drawn up the page, through the kinetic scroller the area uses."""
    area.enable_kinetic()
    scroller = QScroller.scroller(area.viewport())
    x, y = area.viewport().width() / 2, area.viewport().height() - 20
    scroller.handleInput(QScroller.Input.InputPress, QPointF(x, y), 0)
    for step in range(1, 6):
        scroller.handleInput(QScroller.Input.InputMove, QPointF(x, y - 60 * step), 40 * step)
    scroller.handleInput(QScroller.Input.InputRelease, QPointF(x, y - 300), 240)
    qtbot.waitUntil(lambda: scroller.state() is QScroller.State.Inactive)


@pytest.mark.parametrize("how", ["finger", "wheel", "scroll bar"])
def test_a_look_ahead_is_not_snapped_back_and_a_button_brings_the_voice_back(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, how: str
) -> None:
    long_topic(content)
    kiosk = make_kiosk(content_dir=content.root)
    topic = open_topic(qtbot, kiosk)
    reader, back = topic.reader, topic.back_to_place
    bar = reader.verticalScrollBar()
    tap(qtbot, topic.read_bar.read)
    settle_on(qtbot, kiosk, "Alpha?")
    assert not back.isVisible()
    if how == "finger":
        drag_up(qtbot, reader)
    elif how == "wheel":
        wheel_down(reader)
    else:  # dragging or clicking the scroll bar goes through its actions
        for _ in range(3):
            bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
    looked_at = bar.value()
    assert looked_at > 0
    assert back.isVisible() and back.text().strip() == "Back to where I'm listening"
    # The voice goes on; the page stays where the patient put it.
    kiosk.player.advance(kiosk.player.duration_ms)
    settle_on(qtbot, kiosk, "Paragraph 1 says something useful about the visit.")
    kiosk.player.advance(kiosk.player.duration_ms)
    settle_on(qtbot, kiosk, "Paragraph 2 says something useful about the visit.")
    assert bar.value() == looked_at and back.isVisible()
    assert back.height() >= 56 and back.geometry().bottom() <= reader.geometry().bottom()
    tap(qtbot, back)
    assert not back.isVisible()
    assert in_view(reader, "Paragraph 2 says")
    # Following again: a later sentence is brought into view by itself.
    bar.setValue(0)  # as a program would (not the patient's hand): still following
    assert not back.isVisible()
    for _ in range(20):
        tap(qtbot, topic.read_bar.next_sentence)
    settle_on(qtbot, kiosk, "Paragraph 22 says something useful about the visit.")
    assert in_view(reader, "Paragraph 22 says")


def in_view(reader: Any, text: str) -> bool:
    intro = reader.intro
    point = body_point(intro, text)
    top = intro.mapTo(reader.viewport(), point).y()
    return 0 <= top <= reader.viewport().height()


def test_the_way_back_goes_away_when_reading_stops(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    long_topic(content)
    kiosk = make_kiosk(content_dir=content.root)
    topic = open_topic(qtbot, kiosk)
    tap(qtbot, topic.read_bar.read)
    playing(qtbot, kiosk)
    wheel_down(topic.reader)
    assert topic.back_to_place.isVisible()
    tap(qtbot, topic.read_bar.stop)
    assert not topic.back_to_place.isVisible()
    # Not reading: a scroll by hand offers nothing.
    wheel_down(topic.reader)
    assert not topic.back_to_place.isVisible()
    # The next reading follows the voice again from its start.
    tap(qtbot, topic.read_bar.read)
    playing(qtbot, kiosk)
    assert kiosk.narrator.following and not topic.back_to_place.isVisible()


# -- 4. A shared room: a moderate start, and a word about the sound --------------------------


def test_reading_starts_at_a_moderate_volume_and_asks_to_keep_the_sound_low(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    assert Preferences(language="en").volume_level == 3  # the middle of five
    kiosk = make_kiosk(content_dir=content.root)
    assert kiosk.player.volume == pytest.approx(VOLUME_STEPS[2])
    bar = open_topic(qtbot, kiosk).read_bar
    assert bar.sound_hint.isVisible()
    assert bar.sound_hint.text() == (
        "Please keep the sound low for others, or plug in headphones if you have them."
    )
    tap(qtbot, bar.read)
    playing(qtbot, kiosk)
    assert not bar.sound_hint.isVisible()  # the controls need the room while reading
    # The small bars (crisis help, definitions) keep to their one button.
    assert not kiosk.window.crisis.read_bar.sound_hint.isVisibleTo(kiosk.window.crisis)


def test_the_clinic_sets_the_start_volume_and_what_it_offers_for_headphones(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text('[read_aloud]\nstart_volume = 2\nheadphones = "desk"\n')
    kiosk = make_kiosk(content_dir=content.root)
    assert kiosk.player.volume == pytest.approx(VOLUME_STEPS[1])
    bar = open_topic(qtbot, kiosk).read_bar
    assert "front desk can lend you headphones" in bar.sound_hint.text()
    kiosk.flow.reset()  # the next visitor starts at the clinic's volume too
    assert kiosk.player.volume == pytest.approx(VOLUME_STEPS[1])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("start_volume = 9", "read_aloud.start_volume"),
        ('headphones = "bluetooth"', "read_aloud.headphones"),
    ],
)
def test_bad_read_aloud_settings_keep_their_defaults(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(f"[read_aloud]\n{text}\n")
    settings, problems = load_settings(path)
    assert (settings.start_volume, settings.headphones) == (3, "jack")
    assert [p for p in problems if problem in str(p)]


def test_in_large_spanish_text_the_bar_stays_one_row_with_icons_for_the_steering(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    content.add_language("es", "Español")
    kiosk = make_kiosk(content_dir=content.root)
    tap(qtbot, kiosk.window.top_bar.language_buttons["es"])
    kiosk.visit.set_large_text(True)
    topic = open_topic(qtbot, kiosk)
    bar = topic.read_bar
    tap(qtbot, bar.read)
    playing(qtbot, kiosk)
    qtbot.waitUntil(lambda: bar.more.isVisible())
    steering = (bar.previous_sentence, bar.next_sentence, bar.stop)
    assert all(button.isVisible() for button in steering)
    assert bar.height() < 2 * bar.stop.height()  # one row: the text keeps its room
    # Words give way to icons from Back and Skip on; Stop keeps its word, and a screen
    # reader hears every name.
    assert bar.previous_sentence.text() == "" and bar.next_sentence.text() == ""
    assert bar.stop.text().strip() == "Detener"
    assert bar.previous_sentence.accessibleName() == "Oración anterior"
    assert not bar.previous_sentence.icon().isNull()
    tap(qtbot, bar.next_sentence)
    assert kiosk.narrator.controller.sentence_index == 1


@pytest.mark.parametrize("language", ["en", "es"])
def test_with_speed_and_volume_open_in_large_text_steering_steps_aside_and_comes_back(
    qtbot: Any, make_kiosk: Any, language: str
) -> None:
    kiosk = make_kiosk("--lang", language)  # the bundled content and Spanish words
    window = kiosk.window
    window.resize(1280, 800)
    kiosk.visit.set_large_text(True)
    window.open_topic("infusion-visit")
    bar = window.topic.read_bar
    tap(qtbot, bar.read)
    qtbot.waitUntil(lambda: kiosk.player.state == "playing")
    steering = (bar.repeat, bar.previous_sentence, bar.next_sentence)
    qtbot.waitUntil(lambda: bar.more.isVisible())
    assert all(b.isVisible() for b in steering) and not bar.faster.isVisible()

    def one_row() -> bool:
        shown = [w.geometry() for w in bar.findChildren(QWidget) if w.isVisibleTo(bar)]
        return max(r.top() for r in shown) < min(r.bottom() for r in shown)  # side by side

    closed_fill = bar.more.grab().toImage().pixelColor(8, bar.more.height() // 2)
    tap(qtbot, bar.more)
    qtbot.waitUntil(lambda: bar.louder.isVisible())
    # Open, the toggle is filled as an "on" toggle is, even when it shows only its icon.
    window.setFocus()  # the focus ring would paint over the fill
    open_fill = bar.more.grab().toImage().pixelColor(8, bar.more.height() // 2)
    assert open_fill != closed_fill
    assert open_fill.name().upper() == ThemeBook.load().colours["standard"]["toggle_on"].upper()
    # Speed and volume take the place of Repeat, Back and Skip: still one row above the text.
    assert not any(b.isVisible() for b in steering)
    assert all(w.isVisible() for w in (bar.pause, bar.stop, *bar._speed_and_volume))
    qtbot.waitUntil(one_row)  # once the bar is laid out again
    assert bar.height() < 2 * bar.stop.height()
    # Buttons that gave up their words keep an icon and their names for a screen reader.
    pause_name = "Pause" if language == "en" else "Pausar"
    assert bar.pause.accessibleName() == pause_name and not bar.pause.icon().isNull()
    named = [(b, b.accessibleName()) for b in (bar.stop, bar.more, bar.faster, bar.quieter)]
    assert all(name and name.split(",")[0].strip() for _, name in named)
    assert all(b.text() or not b.icon().isNull() for b, _ in named)
    speed = bar.speed_value.accessibleName()
    tap(qtbot, bar.faster)
    qtbot.waitUntil(lambda: bar.speed_value.accessibleName() != speed)
    assert bar.faster.accessibleName().split(",")[0] in ("Faster", "Más rápido")
    # Closing the panel brings the steering back, and speed and volume fold away.
    tap(qtbot, bar.more)
    qtbot.waitUntil(lambda: bar.next_sentence.isVisible())
    assert all(b.isVisible() for b in steering) and not bar.louder.isVisible()
    qtbot.waitUntil(one_row)
    tap(qtbot, bar.next_sentence)
    assert kiosk.narrator.controller.sentence_index == 1
