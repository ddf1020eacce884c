"""Kiosk core benchmarks: start-up, tap to painted topic, logging cost, memory over a day.

Every figure goes through main.build_kiosk, the code the kiosk runs. Start-up and memory are
measured in fresh processes (this module re-runs itself with a mode argument).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STARTS = 5
TAPS = 200
NAVIGATIONS = 1000
LOGGED_VIEWS = 20_000


def run() -> list[tuple[str, float, str]]:
    # A kiosk restarting (after a crash, a reboot, the watchdog) has its data folder, and so
    # its content cache; the first start after content changes parses everything again.
    data = tempfile.mkdtemp(prefix="kiosk-bench-start-")
    after_change = _child("first-frame", data)["ms"]
    starts = sorted(_child("first-frame", data)["ms"] for _ in range(STARTS))
    taps = _child("taps")
    memory = _child("navigate")
    return [
        (
            "cold start to first painted frame, median of 5 processes",
            statistics.median(starts),
            "ms",
        ),
        ("cold start, slowest of 5", starts[-1], "ms"),
        ("first start after a content change (Markdown parsed, cache written)", after_change, "ms"),
        (f"tap to painted topic page, p50 of {TAPS}", taps["p50"], "ms"),
        (f"tap to painted topic page, p95 of {TAPS}", taps["p95"], "ms"),
        ("GUI-thread time per logged view", taps["log_us"], "µs"),
        (f"peak RSS after {NAVIGATIONS} navigations", memory["peak_mb"], "MB"),
        (f"RSS growth over the last {NAVIGATIONS // 2} navigations", memory["growth_mb"], "MB"),
    ]


def _child(mode: str, data: str = "") -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    spawned_at = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "bench.bench_kiosk", mode, *([data] if data else [])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"bench child {mode} failed:\n{result.stdout}\n{result.stderr}")
    data: dict[str, Any] = json.loads(lines[-1])
    if mode == "first-frame":
        # From spawning the interpreter to the first frame painted on screen.
        data["ms"] = (data["painted_at"] - spawned_at) * 1000
    return data


def _build(app: Any) -> Any:
    import main
    from kiosk import cli
    from kiosk.clock import SystemClock

    data = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="kiosk-bench-")
    _, options = cli.parse(["--data-dir", data, "--windowed"], main.COMMANDS)
    assert options is not None
    kiosk = main.build_kiosk(options, app, SystemClock())
    assert kiosk is not None
    kiosk.window.first_painted.connect(kiosk.start_services)
    return kiosk


def _first_frame() -> None:
    """Start like main.run_kiosk; print the wall-clock time the first frame was painted."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app.window import show_kiosk

    app = QApplication([])
    kiosk = _build(app)

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched is kiosk.window:
                app.removeEventFilter(self)
                # The window's paint event is handled next; stamp the time right after it.
                QTimer.singleShot(0, report)
            return False

    def report() -> None:
        print(json.dumps({"painted_at": time.time()}), flush=True)
        kiosk.shut_down()
        os._exit(0)  # interpreter teardown is not part of start-up

    watch = PaintWatch()
    app.installEventFilter(watch)
    show_kiosk(kiosk.window, windowed=True)
    app.exec()


def _taps() -> None:
    """A tap on a tile, through Qt's event loop, until the topic page has been painted."""
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.viewlog.events import HourBucket, TopicViewed

    app = QApplication([])
    kiosk = _build(app)
    window = kiosk.window
    window.resize(1920, 1080)
    window.show()
    app.processEvents()

    class PaintSeen(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    watch = PaintSeen()
    window.topic.installEventFilter(watch)
    tiles = [t for t in window.home.tiles if t.topic_id != "crisis"]
    timings: list[float] = []
    for n in range(TAPS):
        window.show_home()
        for _ in range(3):
            app.processEvents()
        tile = tiles[n % len(tiles)]
        watch.seen = False
        started = time.perf_counter()
        QTest.mouseClick(tile, Qt.MouseButton.LeftButton)
        while not watch.seen:  # Qt paints on its next update request
            app.processEvents()
        app.processEvents()  # the paint that was announced is now done
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()

    bucket = HourBucket.of(kiosk.tracker._clock.now())
    started = time.perf_counter()
    for _ in range(LOGGED_VIEWS):
        kiosk.view_log.record(TopicViewed(bucket, "cost-and-insurance", "en", 30))
    log_us = (time.perf_counter() - started) / LOGGED_VIEWS * 1e6
    kiosk.shut_down()
    print(
        json.dumps(
            {
                "p50": timings[len(timings) // 2],
                "p95": timings[int(len(timings) * 0.95) - 1],
                "log_us": log_us,
            }
        )
    )


def _navigate() -> None:
    import gc

    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    kiosk = _build(app)
    window = kiosk.window
    window.resize(1920, 1080)
    window.show()
    topics = [t.id for t in window.pack.topics]
    halfway = 0.0
    for n in range(NAVIGATIONS):
        step = n % 6
        if step == 0:
            window.open_topic(topics[n % len(topics)])
        elif step == 1:
            window.topic.reader.sections and window.topic.reader.sections[0].button.click()
        elif step == 2:
            window.open_glossary(next(iter(window.pack.glossary)))
        elif step == 3:
            window.open_crisis()
        elif step == 4:
            window.set_language("es" if kiosk.visit.preferences.language == "en" else "en")
        else:
            window.show_home()
        app.processEvents()
        if n == NAVIGATIONS // 2:
            gc.collect()
            halfway = _rss_mb()
    gc.collect()
    app.processEvents()
    growth = _rss_mb() - halfway
    kiosk.shut_down()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mb": peak, "growth_mb": growth}))


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


if __name__ == "__main__":
    {"first-frame": _first_frame, "taps": _taps, "navigate": _navigate}[sys.argv[1]]()
