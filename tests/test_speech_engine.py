"""The speech engine: protocol, planning, real espeak-ng synthesis, the worker process and the
service that keeps it running, and the QtMultimedia player."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, QTimer

from kiosk.speech.plan import PlannedSentence, plan_blocks, rate_wpm, timed_words, word_at
from kiosk.speech.protocol import (
    EngineUnavailable,
    Ping,
    Pong,
    ProtocolError,
    Quit,
    Ready,
    SynthFailed,
    SynthRequest,
    Utterance,
    WordTiming,
    decode,
    encode,
)
from tests.fakes.audio import FakeAudioPlayer
from ui.read_aloud.controller import ReadAloudController, ReadState, TextBlock
from ui.read_aloud.qt_player import QtAudioPlayer
from ui.read_aloud.speech_process import GAVE_UP_REASON, ProcessSpeechService

ENGLISH = "Ketamine is given slowly through a small tube in your arm."
SPANISH_BLOCK = "Primero. ¿Qué pasa si el señor Núñez está cansado después?"
SPANISH_WORDS = ["Qué", "pasa", "si", "el", "señor", "Núñez", "está", "cansado", "después"]
TOPIC = [
    TextBlock("IV ketamine is given slowly. It takes about forty minutes.", "intro"),
    TextBlock("A nurse stays with you the whole time. You can ask to stop at any time.", "s1"),
]


# Protocol.


@pytest.mark.parametrize(
    "message",
    [
        SynthRequest("7", "¿Qué?\nSí.", "es", 165, "/tmp/a b.wav"),
        Ping("p1"),
        Quit(),
        Ready(pid=42, voices={"en": "gmw/en-us"}),
        Utterance("7", "/tmp/x.wav", 1234, (WordTiming(0, 3, 0), WordTiming(4, 8, 310))),
        SynthFailed("7", "no audio"),
        Pong("p1"),
        EngineUnavailable("The speech engine is missing.", "RuntimeError('no lib')"),
    ],
)
def test_every_message_survives_a_round_trip_on_one_ascii_line(message: object) -> None:
    line = encode(message)  # type: ignore[arg-type]
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    line.decode("ascii")
    assert decode(line) == message


@pytest.mark.parametrize(
    "line",
    [
        b"Audio saved to /tmp/x.wav",
        b"[1, 2]",
        b'{"type": "teleport"}',
        b'{"type": "synth", "id": "1"}',
        b'{"type": "ping", "id": 5}',
        b'{"type": "utterance", "id": "1", "path": "p", "duration_ms": true, "words": []}',
        b'{"type": "utterance", "id": "1", "path": "p", "duration_ms": 5, "words": [[1, 2]]}',
    ],
)
def test_anything_else_is_a_protocol_error(line: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode(line)


# Planning and mapping timings back (no engine needed).


def only(text: str, language: str = "en") -> PlannedSentence:
    [sentence] = plan_blocks([text], language)
    return sentence


def test_rate_steps_are_clamped_and_ordered() -> None:
    assert rate_wpm(-99) == rate_wpm(-2) < rate_wpm(0) < rate_wpm(2) == rate_wpm(99)


def test_pronunciation_fixes_keep_offsets_into_the_original_text() -> None:
    text = "Call 988 now, or ask for IV ketamine 24/7."
    sentence = only(text)
    assert sentence.text == "Call 9 8 8 now, or ask for I.V. ketamine twenty-four seven."
    # espeak-ng-style events on the spoken text: "nine", "eight", "eight", "I.V.", "twenty-four".
    spoken = sentence.text
    events = [
        WordTiming(spoken.index("9"), spoken.index("9") + 1, 300),
        WordTiming(spoken.index("8"), spoken.index("8") + 1, 500),
        WordTiming(spoken.rindex("8"), spoken.rindex("8") + 1, 700),
        WordTiming(spoken.index("I.V."), spoken.index("I.V.") + 4, 1500),
        WordTiming(spoken.index("twenty"), spoken.index("twenty") + 11, 2500),
        WordTiming(spoken.index("seven"), spoken.index("seven") + 5, 2900),
    ]
    timed = timed_words(sentence, events)
    assert [(text[w.start : w.end], w.audio_ms) for w in timed] == [
        ("988", 300),
        ("IV", 1500),
        ("24", 2500),
        ("7", 2900),
    ]


def test_espeak_oddities_never_move_the_highlight_backwards() -> None:
    # Measured on espeak-ng for "over 40 minutes — 0.5 mg": a dash reported as a zero-length
    # word pointing back at a space, and "0.5" reported three times.
    text = "Over 40 minutes — then 0.5 more."
    sentence = only(text)
    events = [
        WordTiming(0, 4, 0),
        WordTiming(5, 7, 260),
        WordTiming(8, 15, 640),
        WordTiming(4, 4, 1400),  # the dash: zero length, on the space before "40"
        WordTiming(18, 22, 1450),
        WordTiming(23, 26, 1700),
        WordTiming(24, 27, 2000),
        WordTiming(24, 27, 2300),
        WordTiming(27, 31, 2600),
    ]
    timed = timed_words(sentence, events)
    assert [text[w.start : w.end] for w in timed] == [
        "Over",
        "40",
        "minutes",
        "then",
        "0.5",
        "more",
    ]
    assert [w.audio_ms for w in timed] == sorted(w.audio_ms for w in timed)
    assert word_at(timed, -1) is None
    assert word_at(timed, 0) == timed[0]
    assert word_at(timed, 1699) == timed[3]
    assert word_at(timed, 99_999) == timed[-1]


def test_blocks_split_into_sentences_with_their_own_offsets() -> None:
    planned = plan_blocks(["One. Two words.", "—", "Tres. ¿Cuatro?"], "es")
    assert [(p.block, p.span.start, p.span.end) for p in planned] == [
        (0, 0, 4),
        (0, 5, 15),
        (2, 0, 5),
        (2, 6, 14),
    ]


# Real espeak-ng, in this process.


@pytest.fixture(scope="module")
def synthesizer() -> object:
    from kiosk.speech.synth import EspeakSynthesizer

    return EspeakSynthesizer()


@pytest.mark.espeak
def test_the_pyttsx3_internals_synth_relies_on_are_still_there() -> None:
    """kiosk/speech/synth.py works around pyttsx3 through its private parts, read from the
    pinned release (pyproject.toml). An upgrade that moves one fails here, naming it."""
    from importlib.metadata import version

    import pyttsx3
    from pyttsx3.drivers import _espeak, espeak

    engine = pyttsx3.init("espeak")
    proxy = getattr(engine, "proxy", None)
    driver = getattr(proxy, "_driver", None)
    needed = {
        "pyttsx3.Engine.proxy": proxy is not None,
        "pyttsx3.driver.DriverProxy._driver (the espeak driver)": isinstance(
            driver, espeak.EspeakDriver
        ),
        "pyttsx3.drivers.espeak.EspeakDriver._onSynth": hasattr(espeak.EspeakDriver, "_onSynth"),
        "pyttsx3.drivers.espeak.EspeakDriver._start_synthesis": hasattr(
            espeak.EspeakDriver, "_start_synthesis"
        ),
        **{
            f"pyttsx3.drivers._espeak.{name}": hasattr(_espeak, name)
            for name in (
                "SetSynthCallback",
                "SetParameter",
                "RATE",
                "IsPlaying",
                "EVENT_WORD",
                "EVENT_LIST_TERMINATED",
            )
        },
    }
    moved = [name for name, there in needed.items() if not there]
    assert moved == [], f"pyttsx3 {version('pyttsx3')} no longer has {', '.join(moved)}"


def frames_and_seconds(path: Path) -> tuple[int, float]:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes(), wav.getnframes() / wav.getframerate()


@pytest.mark.espeak
def test_english_sentence_becomes_audio_with_word_timings(
    synthesizer: object, tmp_path: Path
) -> None:
    sentence = only(ENGLISH)
    path = tmp_path / "en.wav"
    result = synthesizer.synthesize(sentence.text, "en", rate_wpm(0), str(path))  # type: ignore[attr-defined]
    frames, seconds = frames_and_seconds(path)
    word_count = len(sentence.words)
    assert frames > 0
    assert 0.15 * word_count <= seconds <= 0.6 * word_count
    assert result.duration_ms == pytest.approx(seconds * 1000, abs=1)

    timed = timed_words(sentence, result.words)
    assert [ENGLISH[w.start : w.end] for w in timed] == ENGLISH.rstrip(".").split()
    times = [w.audio_ms for w in timed]
    assert times == sorted(set(times)) and times[0] < 100 and times[-1] < result.duration_ms


@pytest.mark.espeak
def test_every_sentence_gets_the_rate_it_asked_for(synthesizer: object, tmp_path: Path) -> None:
    # Alternating speeds: pyttsx3's runAndWait() used to lose a new rate about half the time.
    durations: dict[int, set[int]] = {rate_wpm(-2): set(), rate_wpm(2): set()}
    for turn in range(30):
        rate = rate_wpm(-2) if turn % 2 else rate_wpm(2)
        result = synthesizer.synthesize(ENGLISH, "en", rate, str(tmp_path / "r.wav"))  # type: ignore[attr-defined]
        durations[rate].add(result.duration_ms)
    slow, fast = durations[rate_wpm(-2)], durations[rate_wpm(2)]
    assert min(slow) > 1.4 * max(fast)
    assert max(slow) - min(slow) < 50 and max(fast) - min(fast) < 50


@pytest.mark.espeak
def test_spanish_with_accents_maps_timings_to_the_right_words(
    synthesizer: object, tmp_path: Path
) -> None:
    first, sentence = plan_blocks([SPANISH_BLOCK], "es")
    path = tmp_path / "es.wav"
    result = synthesizer.synthesize(sentence.text, "es", rate_wpm(0), str(path))  # type: ignore[attr-defined]
    frames, seconds = frames_and_seconds(path)
    assert frames > 0
    assert 0.15 * len(SPANISH_WORDS) <= seconds <= 0.6 * len(SPANISH_WORDS)
    # espeak counts characters, not UTF-8 bytes: each raw event lands on a whole word even
    # after "¿", "é" and "ñ" (bytes would drift right by one per accented letter before it).
    assert [sentence.text[t.start : t.end] for t in result.words] == SPANISH_WORDS
    timed = timed_words(sentence, result.words)
    assert [SPANISH_BLOCK[w.start : w.end] for w in timed] == SPANISH_WORDS
    assert timed[0].start == SPANISH_BLOCK.index("Qué") > first.span.end
    times = [w.audio_ms for w in timed]
    assert times == sorted(set(times))


@pytest.mark.espeak
def test_unknown_language_is_a_synthesis_error(synthesizer: object, tmp_path: Path) -> None:
    from kiosk.speech.synth import SynthesisError

    with pytest.raises(SynthesisError, match="no voice"):
        synthesizer.synthesize("Bonjour.", "fr", 165, str(tmp_path / "fr.wav"))  # type: ignore[attr-defined]


# The worker process, over its protocol.


@pytest.mark.espeak
def test_worker_answers_in_order_and_keeps_stdout_for_the_protocol(tmp_path: Path) -> None:
    requests = [
        Ping("p1"),
        SynthRequest("1", ENGLISH, "en", 165, str(tmp_path / "1.wav")),
        SynthRequest("2", SPANISH_BLOCK, "es", 165, str(tmp_path / "2.wav")),
        SynthRequest("3", "Bonjour.", "fr", 165, str(tmp_path / "3.wav")),
    ]
    stdin = b"".join(encode(r) for r in requests[:2]) + b"not a request\n"
    stdin += b"".join(encode(r) for r in requests[2:]) + encode(Quit())
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.speech.worker"],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=True,
    )
    # Every stdout line is a message: pyttsx3's "Audio saved to ..." went elsewhere.
    answers = [decode(line) for line in done.stdout.splitlines()]
    assert isinstance(answers[0], Ready) and set(answers[0].voices) == {"en", "es"}
    assert answers[1] == Pong("p1")
    assert isinstance(answers[2], Utterance) and answers[2].id == "1"
    assert isinstance(answers[3], Utterance) and answers[3].id == "2"
    assert isinstance(answers[4], SynthFailed) and answers[4].id == "3"
    assert len(answers) == 5
    for utterance in answers[2:4]:
        assert frames_and_seconds(Path(utterance.path))[0] > 0  # type: ignore[union-attr]
    assert b"not a request" not in done.stdout
    assert b"ignoring a line that is not a request" in done.stderr


# The service that owns the worker.


class GuiStallMeter:
    """Longest gap between 5 ms timer ticks on the GUI thread while it runs."""

    def __init__(self) -> None:
        self.longest_ms = 0
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last = 0
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = self._clock.elapsed()
        self.longest_ms = max(self.longest_ms, now - self._last)
        self._last = now

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def make_service(tmp_path: Path) -> Iterator[object]:
    services: list[ProcessSpeechService] = []

    def make(**options: object) -> ProcessSpeechService:
        options.setdefault("wav_dir", tmp_path / "wav")
        service = ProcessSpeechService(**options)  # type: ignore[arg-type]
        services.append(service)
        return service

    yield make
    for service in services:
        service.shutdown()


def read_to_the_end(
    qtbot: object, controller: ReadAloudController, player: FakeAudioPlayer
) -> None:
    """Play each sentence as soon as it is ready, until the topic is finished."""

    def step() -> bool:
        if controller.state is ReadState.PLAYING:
            player.advance(player.duration_ms)
        return controller.state is ReadState.FINISHED

    qtbot.waitUntil(step, timeout=20_000)  # type: ignore[attr-defined]


@pytest.mark.expected_logs("speech worker crashed")
@pytest.mark.espeak
def test_worker_killed_mid_topic_is_restarted_and_reading_goes_on(
    qtbot: object, make_service: object, tmp_path: Path
) -> None:
    service = make_service(restart_delays_ms=(50,))  # type: ignore[operator]
    with qtbot.waitSignal(service.engine_started, timeout=15_000) as started:  # type: ignore[attr-defined]
        service.start()
    first_pid = started.args[0]
    player = FakeAudioPlayer()
    controller = ReadAloudController(service, player)
    meter = GuiStallMeter()

    with qtbot.waitSignal(controller.sentence_started, timeout=10_000):  # type: ignore[attr-defined]
        controller.start(TOPIC, "en")
    with qtbot.waitSignal(service.engine_started, timeout=15_000) as restarted:  # type: ignore[attr-defined]
        os.kill(first_pid, signal.SIGKILL)
    assert restarted.args[0] != first_pid
    read_to_the_end(qtbot, controller, player)
    assert controller.is_available()

    # The next read-aloud works on the new worker.
    with qtbot.waitSignal(controller.finished, timeout=20_000):  # type: ignore[attr-defined]
        controller.start(TOPIC[:1], "en")
        read_to_the_end(qtbot, controller, player)
    meter.stop()
    assert meter.longest_ms < 250, "the GUI thread was blocked"
    controller.stop()
    assert not list((tmp_path / "wav").glob("*.wav"))  # every WAV was given back


@pytest.mark.expected_logs("did not answer")
@pytest.mark.espeak
def test_worker_that_stops_answering_is_replaced(qtbot: object, make_service: object) -> None:
    service = make_service(request_timeout_ms=400, restart_delays_ms=(50,))  # type: ignore[operator]
    with qtbot.waitSignal(service.engine_started, timeout=15_000) as started:  # type: ignore[attr-defined]
        service.start()
    os.kill(started.args[0], signal.SIGSTOP)  # alive, but frozen
    with qtbot.waitSignal(service.utterance_ready, timeout=15_000) as ready:  # type: ignore[attr-defined]
        request_id = service.request("Still here.", "en", 165)
    assert ready.args[0] == request_id
    assert service.process_id() not in (None, started.args[0])


@pytest.mark.expected_logs("did not answer")
@pytest.mark.espeak
def test_idle_worker_that_stops_answering_pings_is_replaced(
    qtbot: object, make_service: object
) -> None:
    service = make_service(  # type: ignore[operator]
        ping_interval_ms=100, request_timeout_ms=300, restart_delays_ms=(50,)
    )
    with qtbot.waitSignal(service.engine_started, timeout=15_000) as started:  # type: ignore[attr-defined]
        service.start()
    with qtbot.waitSignal(service.engine_started, timeout=15_000) as restarted:  # type: ignore[attr-defined]
        os.kill(started.args[0], signal.SIGSTOP)  # nobody is asking for speech: only pings notice
    assert restarted.args[0] != started.args[0]
    assert service.is_available()


def fake_pyttsx3(root: Path, init_body: str) -> dict[str, str]:
    """A pyttsx3 that shadows the real one in the worker, to act out a broken install."""
    package = root / "pyttsx3"
    (package / "drivers").mkdir(parents=True)
    (package / "__init__.py").write_text(init_body)
    (package / "drivers" / "__init__.py").write_text("")
    (package / "drivers" / "_espeak.py").write_text(
        "raise RuntimeError('This means you probably do not have eSpeak or eSpeak-ng installed!')\n"
    )
    return {"PYTHONPATH": str(root)}


@pytest.mark.parametrize(
    ("init_body", "reason_has"),
    [
        ("raise ImportError('No module named pyttsx3')\n", "pyttsx3"),
        ("def init(name=None):\n    raise AssertionError('unreachable')\n", "espeak-ng"),
    ],
    ids=["pyttsx3-missing", "libespeak-missing"],
)
@pytest.mark.expected_logs("speech engine unavailable", "read-aloud is off")
def test_missing_engine_reports_unavailable_without_restarting(
    qtbot: object, make_service: object, tmp_path: Path, init_body: str, reason_has: str
) -> None:
    env = fake_pyttsx3(tmp_path / "site", init_body)
    service = make_service(env=env)  # type: ignore[operator]
    controller = ReadAloudController(service, FakeAudioPlayer())
    with qtbot.waitSignal(controller.availability_changed, timeout=15_000) as changed:  # type: ignore[attr-defined]
        service.start()
    available, reason = changed.args
    assert not available and reason_has in reason
    assert controller.state is ReadState.UNAVAILABLE
    assert service.state == "unavailable"
    controller.start(TOPIC, "en")  # no exception, nothing happens
    assert controller.state is ReadState.UNAVAILABLE
    with qtbot.waitSignal(service.utterance_failed, timeout=5000) as failed:  # type: ignore[attr-defined]
        service.request("Hello.", "en", 165)
    assert reason_has in failed.args[1]


def test_engine_that_cannot_start_gives_up_after_repeated_failures(
    qtbot: object, make_service: object, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service(  # type: ignore[operator]
        command=["/nonexistent/python3", "-m", "kiosk.speech.worker"],
        restart_delays_ms=(10,),
        max_failures=3,
    )
    request_id = service.request("Hello.", "en", 165)
    with (
        qtbot.waitSignal(service.availability_changed, timeout=10_000) as changed,  # type: ignore[attr-defined]
        qtbot.waitSignal(service.utterance_failed, timeout=10_000) as failed,  # type: ignore[attr-defined]
    ):
        service.start()
    assert changed.args == [False, GAVE_UP_REASON]
    assert failed.args == [request_id, GAVE_UP_REASON]
    assert service.state == "gave up"
    assert sum("could not be started" in r.message for r in caplog.records) == 3
    assert any("read-aloud is off" in r.message for r in caplog.records)
    # A kiosk reset tries again, from a clean count of failures.
    with qtbot.waitSignal(service.utterance_failed, timeout=10_000):  # type: ignore[attr-defined]
        service.restart()
        service.request("Hello again.", "en", 165)
    assert sum("could not be started" in r.message for r in caplog.records) == 6
    assert service.state == "gave up"


def test_an_engine_given_up_on_is_tried_again_with_back_off_until_it_works(
    qtbot: object, make_service: object, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Five failures rest the engine; it comes back by itself, without waiting for a reset."""
    tries = tmp_path / "tries"
    # A worker that dies at start-up on its first four tries, then is the real one.
    flaky = (
        "import pathlib, runpy, sys; p = pathlib.Path(sys.argv[1]); "
        "n = int(p.read_text() or 0) if p.exists() else 0; p.write_text(str(n + 1)); "
        "sys.exit(1) if n < 4 else runpy.run_module('kiosk.speech.worker', run_name='__main__')"
    )
    service = make_service(  # type: ignore[operator]
        command=[sys.executable, "-c", flaky, str(tries)],
        restart_delays_ms=(10,),
        max_failures=2,
        retry_after_giving_up_ms=(50, 100),
    )
    with qtbot.waitSignal(  # type: ignore[attr-defined]
        service.availability_changed,
        timeout=10_000,
        check_params_cb=lambda available, _reason: not available,
    ):
        service.start()
    assert service.state == "gave up"
    assert service.retry_in_seconds() is not None
    # Gave up after tries 1-2, rested, gave up after 3-4, rested longer, then try 5 works.
    with qtbot.waitSignal(  # type: ignore[attr-defined]
        service.availability_changed,
        timeout=20_000,
        check_params_cb=lambda available, _reason: available,
    ):
        pass
    assert tries.read_text() == "5"
    assert service.is_available() and service.retry_in_seconds() is None
    assert sum("trying again in" in r.message for r in caplog.records) == 2
    with qtbot.waitSignal(service.utterance_ready, timeout=10_000):  # type: ignore[attr-defined]
        service.request("Hello again.", "en", 165)


# The QtMultimedia player (silent here: no sound card, but a real clock).


def silent_wav(path: Path, ms: int) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(22050)
        wav.writeframes(b"\0\0" * (22050 * ms // 1000))
    return path


# No sound card and no GPU here: FFmpeg's optional libraries are absent (pytest-qt matches
# the message, not the "qt.multimedia.symbolsresolver" category the project's ignore names).
@pytest.mark.qt_log_ignore(
    # No sound card and no sound server on a build machine: QtMultimedia says so, and plays
    # silently with a real clock, which is all this test needs.
    "No audio device detected",
    r"PulseAudioService: pa_context_connect\(\) failed",
    r"Couldn't (load|resolve) (pipewire-0\.3|va|va-x11|va-drm|va\(in plugin\)) (library|symbols)",
)
@pytest.mark.expected_logs("no audio output: read-aloud keeps time silently")
def test_qt_player_reports_position_and_end_and_stays_quiet_after_stop(
    qtbot: object, tmp_path: Path
) -> None:
    player = QtAudioPlayer()
    player.warm_up()
    positions: list[int] = []
    player.position_changed.connect(positions.append)
    player.set_volume(0.5)

    with qtbot.waitSignal(player.finished, timeout=5000):  # type: ignore[attr-defined]
        player.play(silent_wav(tmp_path / "a.wav", 500))
    assert positions == sorted(positions) and positions[-1] >= 300
    assert len(positions) >= 8  # fine enough for a word highlight at 3 words a second

    with qtbot.waitSignal(player.position_changed, timeout=5000):  # type: ignore[attr-defined]
        player.play(silent_wav(tmp_path / "b.wav", 3000))
    player.pause()
    held = player.position()
    with qtbot.assertNotEmitted(player.position_changed, wait=300):  # type: ignore[attr-defined]
        pass
    assert player.position() == held
    with qtbot.waitSignal(player.position_changed, timeout=5000):  # type: ignore[attr-defined]
        player.resume()
    assert player.position() >= held

    player.stop()
    with (
        qtbot.assertNotEmitted(player.finished, wait=300),  # type: ignore[attr-defined]
        qtbot.assertNotEmitted(player.position_changed),  # type: ignore[attr-defined]
    ):
        pass


@pytest.mark.expected_logs("speech worker", "read-aloud is off", "read aloud is unavailable")
def test_the_health_page_says_when_read_aloud_is_resting_and_when_it_tries_again(
    qtbot: object, make_kiosk: object, tmp_path: Path
) -> None:
    speech = ProcessSpeechService(
        command=["/nonexistent/python3", "-m", "kiosk.speech.worker"],
        wav_dir=tmp_path / "wav",
        restart_delays_ms=(10,),
        max_failures=2,
        retry_after_giving_up_ms=(60_000,),
    )
    with qtbot.waitSignal(speech.availability_changed, timeout=10_000):  # type: ignore[attr-defined]
        kiosk = make_kiosk(speech=speech)  # type: ignore[operator]
    state = kiosk.health().speech_state
    assert state.startswith(f"not available: {GAVE_UP_REASON}")
    assert "Trying again in 60 s." in state or "Trying again in 59 s." in state
