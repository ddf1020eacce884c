"""ReadAloudController with a fake speech service and a fake player driven by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.speech.plan import DEFAULT_RATE_STEP, RATE_STEPS_WPM, plan_blocks, rate_wpm
from kiosk.speech.protocol import Utterance
from tests.fakes.audio import FakeAudioPlayer
from tests.fakes.speech import FakeSpeechService
from ui.read_aloud.controller import ReadAloudController, ReadState, TextBlock

BLOCKS = [
    TextBlock("Ketamine is given slowly. It takes about forty minutes.", "intro"),
    TextBlock("A nurse stays with you. You can stop at any time.", ("section", 1)),
]
SENTENCES = [
    ("intro", "Ketamine is given slowly."),
    ("intro", "It takes about forty minutes."),
    (("section", 1), "A nurse stays with you."),
    (("section", 1), "You can stop at any time."),
]


class Recorder:
    """Every signal the controller emits, in order."""

    def __init__(self, controller: ReadAloudController) -> None:
        self.events: list[tuple[Any, ...]] = []
        controller.highlight_changed.connect(lambda *a: self.events.append(("highlight", *a)))
        controller.state_changed.connect(lambda s: self.events.append(("state", s)))
        controller.sentence_started.connect(lambda i, n: self.events.append(("sentence", i, n)))
        controller.finished.connect(lambda: self.events.append(("finished",)))
        controller.availability_changed.connect(lambda *a: self.events.append(("available", *a)))

    def of(self, kind: str) -> list[tuple[Any, ...]]:
        return [e[1:] for e in self.events if e[0] == kind]

    def clear(self) -> None:
        self.events.clear()


@pytest.fixture
def service(tmp_path: Path) -> FakeSpeechService:
    return FakeSpeechService(tmp_path, auto=False)


@pytest.fixture
def player() -> FakeAudioPlayer:
    return FakeAudioPlayer(tick_ms=50)


@pytest.fixture
def controller(
    service: FakeSpeechService, player: FakeAudioPlayer
) -> Iterator[ReadAloudController]:
    controller = ReadAloudController(service, player, lookahead=2)
    yield controller
    controller.stop()


def answer_all(service: FakeSpeechService) -> None:
    while service.pending:
        service.complete()


def block_text(key: Any) -> str:
    return next(b.text for b in BLOCKS if b.key == key)


def heard(recorder: Recorder) -> list[tuple[Any, str]]:
    """The sentences highlighted, in order, as (block key, text), without repeats in a row."""
    result: list[tuple[Any, str]] = []
    for key, start, end, _ws, _we in recorder.of("highlight"):
        sentence = (key, block_text(key)[start:end])
        if not result or result[-1] != sentence:
            result.append(sentence)
    return result


def play_to_end(
    service: FakeSpeechService, player: FakeAudioPlayer, ctl: ReadAloudController
) -> None:
    for _ in range(1000):
        answer_all(service)
        if ctl.state is not ReadState.PLAYING:
            break
        player.advance(100)
    assert ctl.state is ReadState.FINISHED


def test_highlight_advances_in_order_and_ends_at_the_last_sentence(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    recorder = Recorder(controller)
    controller.start(BLOCKS, "en")
    assert controller.state is ReadState.PREPARING
    play_to_end(service, player, controller)

    assert heard(recorder) == SENTENCES
    last_key, last_start, last_end, *_ = recorder.of("highlight")[-1]
    assert (last_key, block_text(last_key)[last_start:last_end]) == SENTENCES[-1]
    assert recorder.of("sentence") == [(0, 4), (1, 4), (2, 4), (3, 4)]
    assert recorder.of("finished") == [()]
    assert [s for (s,) in recorder.of("state")] == ["preparing", "playing", "finished"]

    # Every word of every sentence is highlighted once, in reading order, inside its sentence.
    for key, text in SENTENCES:
        marks = [
            (ws, we)
            for k, s, e, ws, we in recorder.of("highlight")
            if k == key and block_text(k)[s:e] == text and ws >= 0
        ]
        spoken = [block_text(key)[ws:we] for ws, we in marks]
        assert spoken == text.rstrip(".").split()
        assert marks == sorted(marks)


def test_synthesis_runs_a_little_ahead_of_playback(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    controller.start(BLOCKS, "en")
    # The first sentence is asked for first, and only two more ahead of it.
    assert [r.text for r in service.requests] == [text for _key, text in SENTENCES[:3]]
    service.complete(service.requests[0].id)
    assert controller.state is ReadState.PLAYING
    assert player.played == [Path(service.wav_dir / "fake-1.wav")]
    player.advance(player.duration_ms)
    answer_all(service)
    assert len(service.requests) == 4


def test_pause_and_resume_keep_the_position(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    recorder = Recorder(controller)
    controller.start(BLOCKS, "en")
    answer_all(service)
    player.advance(player.duration_ms)  # first sentence heard
    player.advance(player.duration_ms // 2)
    position = player.position()
    word_before = recorder.of("highlight")[-1]
    assert word_before[3] >= 0

    controller.pause()
    assert controller.state is ReadState.PAUSED
    assert player.state == "paused"
    recorder.clear()
    player.advance(5000)  # time passes, nothing is heard
    assert recorder.events == []
    assert player.position() == position

    controller.resume()
    assert controller.state is ReadState.PLAYING
    assert player.state == "playing"
    assert player.played.count(player.played[-1]) == 1  # carried on, not restarted
    player.advance(player.duration_ms - position)
    later = [h for h in recorder.of("highlight") if h[1:3] == word_before[1:3]]
    assert all(h[3] > word_before[3] for h in later)  # only words after the paused one
    play_to_end(service, player, controller)


def test_pause_while_preparing_waits_for_resume(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    controller.start(BLOCKS, "en")
    controller.pause()
    assert controller.state is ReadState.PAUSED
    answer_all(service)
    assert player.played == []
    controller.resume()
    assert controller.state is ReadState.PLAYING
    assert len(player.played) == 1


def test_stop_is_instant_and_nothing_follows(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    controller.start(BLOCKS, "en")
    service.complete()
    player.advance(300)
    recorder = Recorder(controller)

    controller.stop()
    assert player.state == "stopped"
    assert controller.state is ReadState.STOPPED
    assert recorder.events == [("state", "stopped")]
    assert sorted(service.cancelled) == ["2", "3"]  # the sentences still being prepared
    recorder.clear()

    # Late answers and player ticks after the stop change nothing.
    service.utterance_ready.emit("2", Utterance("2", str(player.played[0]), 500, ()))
    service.utterance_failed.emit("3", "too late")
    player.advance(5000)
    player.finished.emit()
    assert recorder.events == []
    # Every temporary WAV handed over has been given back (deleted).
    assert not list(service.wav_dir.glob("fake-*.wav"))


def test_repeat_sentence_plays_the_current_sentence_again(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    recorder = Recorder(controller)
    controller.start(BLOCKS, "en")
    answer_all(service)
    player.advance(player.duration_ms)
    player.advance(player.duration_ms - 100)  # near the end of the second sentence
    second = player.played[-1]

    controller.repeat_sentence()
    assert player.played[-1] == second
    assert player.position() == 0
    last = recorder.of("highlight")[-1]
    first_of_sentence = next(h for h in recorder.of("highlight") if h[:3] == last[:3])
    assert last == first_of_sentence  # back to the sentence's first word
    play_to_end(service, player, controller)
    assert [i for i, _n in recorder.of("sentence")] == [0, 1, 1, 2, 3]

    # Repeat also works once the topic has finished, and when paused.
    controller.repeat_sentence()
    assert controller.state is ReadState.PLAYING
    controller.pause()
    controller.repeat_sentence()
    assert controller.state is ReadState.PLAYING
    assert player.position() == 0
    play_to_end(service, player, controller)
    assert [i for i, _n in recorder.of("sentence")][-2:] == [3, 3]


def test_rate_step_applies_from_the_next_sentence(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    normal, slower = rate_wpm(DEFAULT_RATE_STEP), rate_wpm(-1)
    controller.start(BLOCKS, "en")
    answer_all(service)
    assert {r.rate_wpm for r in service.requests} == {normal}
    playing = player.played[-1]

    controller.set_rate_step(-1)
    assert controller.rate_step == -1
    assert player.played[-1] == playing and player.state == "playing"  # this sentence goes on
    redone = [r for r in service.requests if r.rate_wpm == slower]
    assert [r.text for r in redone] == [text for _k, text in SENTENCES[1:3]]
    answer_all(service)
    player.advance(player.duration_ms)
    assert Path(player.played[-1]).name == f"fake-{redone[0].id}.wav"  # the slower one

    # Repeating after a change of speed says the sentence again at the new speed.
    controller.set_rate_step(1)
    controller.repeat_sentence()
    assert service.requests[-1].rate_wpm == rate_wpm(1)
    assert service.requests[-1].text == SENTENCES[1][1]

    controller.set_volume(0.3)
    assert player.volume == pytest.approx(0.3)
    controller.set_volume(7)
    assert player.volume == 1.0
    controller.set_rate_step(99)
    assert controller.rate_step == max(RATE_STEPS_WPM)


@pytest.mark.expected_logs("skipped: no audio")
def test_a_sentence_that_cannot_be_synthesised_is_skipped(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    recorder = Recorder(controller)
    controller.start(BLOCKS, "en")
    service.complete("1")
    service.fail("2", "no audio after 3 attempts")
    answer_all(service)
    play_to_end(service, player, controller)
    assert heard(recorder) == [SENTENCES[0], *SENTENCES[2:]]


@pytest.mark.expected_logs("skipped: engine hiccup")
def test_repeat_retries_a_last_sentence_that_failed(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    recorder = Recorder(controller)
    controller.start(BLOCKS[1:], "en")
    service.complete("1")
    service.fail("2", "engine hiccup")
    play_to_end(service, player, controller)
    assert heard(recorder) == SENTENCES[2:3]

    controller.repeat_sentence()
    assert service.requests[-1].text == SENTENCES[3][1]
    play_to_end(service, player, controller)
    assert heard(recorder) == SENTENCES[2:4]
    assert recorder.of("finished") == [(), ()]


@pytest.mark.expected_logs("could not be played", "audio playback keeps failing")
def test_audio_that_will_not_play_is_skipped_then_reading_stops(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    recorder = Recorder(controller)
    controller.start(BLOCKS, "en")
    player.failures = ["decoder error"]
    answer_all(service)
    assert controller.state is ReadState.PLAYING
    assert heard(recorder) == [SENTENCES[1]]  # the first could not play: skipped
    # Twice in a row means audio output is broken: stop rather than flash through the topic.
    player.failures = ["decoder error", "decoder error"]
    answer_all(service)
    player.advance(player.duration_ms)
    assert controller.state is ReadState.STOPPED
    assert player.state == "stopped"


def test_unavailable_engine_disables_reading(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    recorder = Recorder(controller)
    controller.start(BLOCKS, "en")
    service.complete()
    service.set_available(False, "The speech engine keeps failing.")
    assert controller.state is ReadState.UNAVAILABLE
    assert player.state == "stopped"
    assert ("available", False, "The speech engine keeps failing.") in recorder.events
    assert controller.unavailable_reason() == "The speech engine keeps failing."

    asked = len(service.requests)
    controller.start(BLOCKS, "en")  # a tap while unavailable: nothing happens, no exception
    assert controller.state is ReadState.UNAVAILABLE
    assert len(service.requests) == asked

    service.set_available(True)
    assert controller.state is ReadState.IDLE
    controller.start(BLOCKS, "en")
    answer_all(service)
    assert controller.state is ReadState.PLAYING


def test_controller_built_on_an_unavailable_service_starts_unavailable(
    tmp_path: Path, player: FakeAudioPlayer
) -> None:
    service = FakeSpeechService(tmp_path)
    service.set_available(False, "The read-aloud library (pyttsx3) is not installed.")
    controller = ReadAloudController(service, player)
    assert controller.state is ReadState.UNAVAILABLE
    assert not controller.is_available()


def test_text_without_words_finishes_at_once(
    service: FakeSpeechService, controller: ReadAloudController
) -> None:
    recorder = Recorder(controller)
    controller.start([TextBlock("  —  ", "empty")], "en")
    assert controller.state is ReadState.FINISHED
    assert recorder.of("finished") == [()]
    assert service.requests == []


def test_starting_again_replaces_the_reading(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    controller.start(BLOCKS, "en")
    answer_all(service)
    recorder = Recorder(controller)
    controller.start([TextBlock("Hola. ¿Cómo está usted?", "es")], "es")
    answer_all(service)
    assert service.requests[-1].language == "es"
    player.advance(player.duration_ms)
    assert {key for key, *_ in recorder.of("highlight")} == {"es"}
    play_to_end(service, player, controller)
    # Only the last sentence's audio is kept (for Repeat); stop gives it back too.
    assert len(list(service.wav_dir.glob("fake-*.wav"))) == 1
    controller.stop()
    assert not list(service.wav_dir.glob("fake-*.wav"))


def test_highlight_offsets_are_into_the_original_text(
    service: FakeSpeechService, player: FakeAudioPlayer, controller: ReadAloudController
) -> None:
    # "IV" is spoken as "I.V.": the highlight still marks "IV" on screen.
    text = "Before you start. IV ketamine takes 40 minutes."
    recorder = Recorder(controller)
    controller.start([TextBlock(text, "k")], "en")
    planned = plan_blocks([text], "en")
    assert planned[1].text.startswith("I.V. ketamine")
    play_to_end(service, player, controller)
    words = [text[ws:we] for _k, _s, _e, ws, we in recorder.of("highlight") if ws >= 0]
    assert words == ["Before", "you", "start", "IV", "ketamine", "takes", "40", "minutes"]
