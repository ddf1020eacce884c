"""Read-aloud benchmarks: tap to first audio, GUI-thread stalls while reading, worker memory.

`run()` returns (name, value, unit) rows for bench/__main__. It drives the real worker
process and the real QtMultimedia player (silent without a sound card, but with a real clock).
"""

from __future__ import annotations

import os
import statistics
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
READ_SECONDS = 12.0  # how long one topic is read for the stall measurement
FALLBACK_TOPICS = [
    ("en", "Ketamine therapy uses a low dose of ketamine, given slowly through a small tube."),
    ("en", "Plan for a visit of about 1 and a half to 2 hours."),
    ("es", "La terapia con ketamina usa una dosis baja, que se da despacio por un tubo pequeño."),
    ("es", "¿Qué pasa si me siento extraño durante la infusión?"),
]


def run() -> list[tuple[str, float, str]]:
    _application()
    topics = _topics()
    results: list[tuple[str, float, str]] = []
    service = ProcessSpeechService()
    player = QtAudioPlayer()
    controller = ReadAloudController(service, player)
    try:
        started = time.perf_counter()
        service.start()
        _run_until(lambda: service.process_id() is not None, 15_000)
        results.append(("speech worker start-up", _ms(started), "ms"))

        started = time.perf_counter()
        player.warm_up()
        results.append(("audio player warm-up (once, GUI thread)", _ms(started), "ms"))

        taps = [
            _tap_to_first_audio(controller, service, topics[i % len(topics)]) for i in range(TAPS)
        ]
        results.append(("tap to first audio ready p50", round(statistics.median(taps), 1), "ms"))
        results.append(("tap to first audio ready p95", _percentile(taps, 95), "ms"))
        results.append(("tap to first audio ready max", max(taps), "ms"))

        longest = max(topics, key=lambda t: sum(len(b.text) for b in t[1]))
        results.append(
            ("longest GUI-thread stall while reading", _stall(controller, longest), "ms")
        )

        pid = service.process_id()
        if pid is not None:
            import psutil

            rss = psutil.Process(pid).memory_info().rss / (1024 * 1024)
            results.append(("speech process RSS", round(rss, 1), "MB"))
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


def _run_until(done: Callable[[], bool], timeout_ms: int) -> None:
    """Run the event loop (not a busy wait) until `done()` or the timeout."""
    if done():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(2)

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


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name}: {value} {unit}")
