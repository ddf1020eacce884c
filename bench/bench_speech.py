"""Read-aloud benchmarks: tap to first audio, GUI-thread stalls while reading, worker memory.

`run()` returns (name, value, unit, goal) rows for bench/__main__. It drives the real worker
process and the real player. "Tap to first audio" taps the Read aloud button of the real
kiosk, in a child process whose sound goes to a private PulseAudio null sink
(bench/null_sink.py), and stops the clock when the first frame leaves the player for the
sound server (QAudioSink.processedUSecs moves); the sound server's own latency, which comes
after that, is reported beside it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, Qt, QTimer

from kiosk.content.markdown import make_parser, render_body
from kiosk.paths import BUNDLED_CONTENT
from ui.read_aloud.controller import ReadAloudController, ReadState, TextBlock
from ui.read_aloud.qt_player import QtAudioPlayer
from ui.read_aloud.speech_process import ProcessSpeechService

TAPS = 40
AUDIO_TAPS = 24
FIRST_AUDIO_GOAL_MS = 150
ROOT = Path(__file__).resolve().parent.parent
READ_SECONDS = 12.0  # how long one topic is read for the stall measurement
FALLBACK_TOPICS = [
    ("en", "Ketamine therapy uses a low dose of ketamine, given slowly through a small tube."),
    ("en", "Plan for a visit of about 1 and a half to 2 hours."),
    ("es", "La terapia con ketamina usa una dosis baja, que se da despacio por un tubo pequeño."),
    ("es", "¿Qué pasa si me siento extraño durante la infusión?"),
]


def run() -> list[tuple[str, float, str, str]]:
    results = _tap_to_audio_rows()
    _application()
    topics = _topics()
    service = ProcessSpeechService()
    player = QtAudioPlayer()
    controller = ReadAloudController(service, player)
    try:
        started = time.perf_counter()
        service.start()
        _run_until(lambda: service.process_id() is not None, 15_000)
        results.append(("speech worker start-up", _ms(started), "ms", "-"))

        started = time.perf_counter()
        player.warm_up()
        results.append(("audio player warm-up (once, GUI thread)", _ms(started), "ms", "-"))

        taps = [
            _tap_to_first_audio(controller, service, topics[i % len(topics)]) for i in range(TAPS)
        ]
        median = round(statistics.median(taps), 1)
        results.append(("start() to audio handed to the player, p50", median, "ms", "-"))
        results.append(
            ("start() to audio handed to the player, p95", _percentile(taps, 95), "ms", "-")
        )

        longest = max(topics, key=lambda t: sum(len(b.text) for b in t[1]))
        results.append(
            ("longest GUI-thread stall while reading", _stall(controller, longest), "ms", "-")
        )

        pid = service.process_id()
        if pid is not None:
            import psutil

            rss = psutil.Process(pid).memory_info().rss / (1024 * 1024)
            results.append(("speech process RSS", round(rss, 1), "MB", "-"))
    finally:
        controller.stop()
        service.shutdown()
    return results


def _tap_to_first_audio(
    controller: ReadAloudController,
    service: ProcessSpeechService,
    topic: tuple[str, list[TextBlock]],
) -> float:
    """From start() to the first sentence's audio handed to the player, with an idle engine."""
    language, blocks = topic
    heard: list[float] = []
    record = lambda index, _count: heard.append(time.perf_counter())  # noqa: E731
    controller.sentence_started.connect(record)
    started = time.perf_counter()
    controller.start(blocks, language)
    _run_until(lambda: bool(heard), 10_000)
    controller.sentence_started.disconnect(record)
    controller.stop()
    _run_until(lambda: not service.busy, 10_000)  # taps are seconds apart in the waiting room
    return round((heard[0] - started) * 1000, 1)


def _stall(controller: ReadAloudController, topic: tuple[str, list[TextBlock]]) -> float:
    """The longest gap between ticks of a 5 ms timer while a topic is read in real time."""
    clock = QElapsedTimer()
    clock.start()
    last = [0]
    longest = [0]

    def tick() -> None:
        now = clock.elapsed()
        longest[0] = max(longest[0], now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(5)
    timer.timeout.connect(tick)
    language, blocks = topic
    timer.start()
    controller.start(blocks, language)
    _run_until(
        lambda: controller.state is ReadState.FINISHED or clock.elapsed() > READ_SECONDS * 1000,
        int(READ_SECONDS * 1000) + 5000,
    )
    timer.stop()
    controller.stop()
    return float(longest[0])


def _topics() -> list[tuple[str, list[TextBlock]]]:
    """Every bundled topic as read-aloud blocks (title, intro, each section), both languages."""
    parser = make_parser()
    topics: list[tuple[str, list[TextBlock]]] = []
    for language in ("en", "es"):
        for path in sorted((BUNDLED_CONTENT / language).glob("*.md")):
            body = _body(path)
            if body is None:
                continue
            rendered = render_body(parser, body)
            texts = [rendered.intro.text]
            for section in rendered.sections:
                texts += [section.title, section.text]
            blocks = [TextBlock(t, i) for i, t in enumerate(texts) if t.strip()]
            if blocks:
                topics.append((language, blocks))
    return topics or [(lang, [TextBlock(text, 0)]) for lang, text in FALLBACK_TOPICS]


def _body(path: Path) -> str | None:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("+++"):
        return None
    _, _, rest = text[3:].partition("\n+++")
    return rest.lstrip("\n") or None


def _application() -> QCoreApplication:
    existing = QCoreApplication.instance()
    if existing is not None:
        return existing
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication([])


def _run_until(done: Callable[[], bool], timeout_ms: int, poll_ms: int = 2) -> None:
    """Run the event loop (not a busy wait) until `done()` or the timeout."""
    if done():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setTimerType(Qt.TimerType.PreciseTimer)
    poll.setInterval(poll_ms)

    def check() -> None:
        if done():
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    poll.stop()
    if not done():
        raise TimeoutError(f"gave up after {timeout_ms} ms")


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _tap_to_audio_rows() -> list[tuple[str, float, str, str]]:
    from bench.null_sink import null_sink

    with null_sink() as env:
        if env is None:
            print("  (no pulseaudio: tap to first audio not measured; scripts/system-deps.sh test)")
            return []
        child = subprocess.run(
            [sys.executable, "-m", "bench.bench_speech", "tap-to-audio"],
            cwd=ROOT,
            env=dict(env, QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM", "offscreen")),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
    if child.returncode != 0 or not lines:
        raise RuntimeError(f"tap-to-audio child failed:\n{child.stdout}\n{child.stderr}")
    got = json.loads(lines[-1])
    out, handed = got["first_frame_ms"], got["handed_ms"]
    goal = f"<= {FIRST_AUDIO_GOAL_MS} ms"
    n = len(out)
    return [
        (
            f"tap on Read aloud to first audio frame out, p50 of {n}",
            statistics.median(out),
            "ms",
            goal,
        ),
        (
            f"tap on Read aloud to first audio frame out, p95 of {n}",
            _percentile(out, 95),
            "ms",
            goal,
        ),
        (
            "  of which: tap to audio handed to the player, p50",
            statistics.median(handed),
            "ms",
            "-",
        ),
        (
            "  Qt's ring buffer (cut off by a stop; no wait for the first frame)",
            got["qt_buffer_ms"],
            "ms",
            "-",
        ),
        ("  after it, PulseAudio stream buffer latency (pactl)", got["pa_buffer_ms"], "ms", "-"),
        ("  after it, null sink's own latency (pactl, varies)", got["pa_sink_ms"], "ms", "-"),
    ]


def _child_tap_to_audio() -> None:
    """In a child whose PulseAudio is the null sink: tap Read aloud on topic after topic."""
    import tempfile

    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import main
    from bench.null_sink import stream_latency_ms
    from kiosk import cli
    from kiosk.clock import SystemClock

    app = QApplication([])
    data = tempfile.mkdtemp(prefix="kiosk-bench-audio-")
    _, options = cli.parse(["--data-dir", data, "--windowed"], main.COMMANDS)
    assert options is not None
    kiosk = main.build_kiosk(options, app, SystemClock())
    assert kiosk is not None
    window, player, speech = kiosk.window, kiosk.player, kiosk.speech
    window.resize(1280, 800)
    window.show()
    kiosk.start_services()
    kiosk.flow.start_visit()
    _run_until(lambda: speech.is_available() and getattr(speech, "process_id", lambda: 1)(), 15_000)
    kiosk._warm_up_audio()  # as a second after start-up
    topics = [t.id for t in window.pack.topics]
    handed: list[float] = []
    kiosk.narrator.controller.sentence_started.connect(
        lambda _i, _n: handed.append(time.perf_counter())
    )
    first_frame: list[float] = []
    handed_ms: list[float] = []
    latencies: list[tuple[float, float]] = []
    for n in range(AUDIO_TAPS):
        window.open_topic(topics[n % len(topics)])
        _run_until(lambda: window.topic.read_bar.read.isVisible(), 5000)
        handed.clear()
        started = time.perf_counter()
        QTest.mouseClick(window.topic.read_bar.read, Qt.MouseButton.LeftButton)
        _run_until(lambda: player.frames_out_ms() > 0, 10_000, poll_ms=1)
        first_frame.append((time.perf_counter() - started) * 1000)
        handed_ms.append((handed[0] - started) * 1000)
        if n % 4 == 0:
            measured = stream_latency_ms(dict(os.environ))
            if measured is not None:
                latencies.append(measured)
        buffer_ms = player.sink_buffer_ms()
        kiosk.narrator.stop()
        _run_until(lambda: not getattr(speech, "busy", False), 10_000)
    print(
        json.dumps(
            {
                "first_frame_ms": first_frame,
                "handed_ms": handed_ms,
                "qt_buffer_ms": buffer_ms,
                "pa_buffer_ms": statistics.median(b for b, _ in latencies) if latencies else -1,
                "pa_sink_ms": statistics.median(s for _, s in latencies) if latencies else -1,
            }
        ),
        flush=True,
    )
    kiosk.shut_down()
    os._exit(0)


if __name__ == "__main__":
    if sys.argv[1:] == ["tap-to-audio"]:
        _child_tap_to_audio()
    else:
        for name, value, unit, goal in run():
            print(f"{name}: {value} {unit} (goal: {goal})")
