"""Kiosk core benchmarks: taps to painted topic pages, navigation memory, logging cost.

Every figure goes through main.build_kiosk, the code the kiosk runs, in a fresh process
(this module re-runs itself with a mode argument), and inside a real event loop
(`app.exec()` driven by timers), so deleteLater() runs as it does in the kiosk and widgets
that pile up show in the live-widget counts. Taps run on a real X server (Xvfb, xcb) when
there is one, offscreen otherwise (the row says which). Start-up and memory against the
peers: bench/bench_start.py.
"""

from __future__ import annotations

# Only what every mode needs: the first-frame child is timed from its spawn, and the bare
# window it is compared with imports nothing of the bench.
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TAPS_PER_TOPIC = int(os.environ.get("BENCH_TAPS_PER_TOPIC", "10"))
SIZES = ((1920, 1080), (1280, 800))
FRAME_MS = 16.7  # one 60 Hz frame
NAVIGATIONS = 1000
LOGGED_VIEWS = 20_000

Row = tuple[str, float, str, str]


def run() -> list[Row]:
    import tempfile

    from bench.procs import xvfb

    # The first start after content changes parses everything again (and writes the cache).
    data = tempfile.mkdtemp(prefix="kiosk-bench-start-")
    after_change = _child("first-frame", data)["ms"]
    rows: list[Row] = [
        (
            "first start after a content change (Markdown parsed, cache written)",
            after_change,
            "ms",
            "-",
        )
    ]
    with xvfb() as display:
        where = "Xvfb (xcb)" if display else "offscreen"
        env = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display} if display else {}
        taps = _child("taps", env=env)
    for config, found in taps["configs"].items():
        slowest = max(found["per_topic"], key=lambda t: found["per_topic"][t])
        what = f"tap to painted topic page, {where} {config}"
        n = found["taps"]
        rows += [
            (f"{what}, p50 of {n}", found["p50"], "ms", "-"),
            (f"{what}, p95 of {n}", found["p95"], "ms", f"<= {FRAME_MS} ms"),
            (f"{what}, p99 of {n}", found["p99"], "ms", "-"),
            (
                f"{what}, p95 of the slowest topic ({slowest}, {TAPS_PER_TOPIC} taps)",
                found["per_topic"][slowest],
                "ms",
                f"<= {FRAME_MS} ms",
            ),
        ]
    rows.append(
        (
            "live widgets gained over the timed taps (after one visit to every topic)",
            taps["widgets_after"] - taps["widgets_before"],
            "widgets",
            "<= 0 widgets",
        )
    )
    rows.append(
        ("GUI-thread time per logged view (visit tracker and queue)", taps["log_us"], "µs", "-")
    )
    # A kiosk's first start parses its content and creates its database; every later start
    # finds both in place. Both are measured.
    memory = _child("navigate")
    restarted = _child("navigate", data)  # the first start above left cache and database
    rows += [
        (
            f"peak RSS after {NAVIGATIONS} navigations, first start (database created)",
            memory["peak_mb"],
            "MB",
            "<= 110 MB",
        ),
        (
            f"peak RSS after {NAVIGATIONS} navigations, a restart (database in place)",
            restarted["peak_mb"],
            "MB",
            "<= 110 MB",
        ),
        (
            f"one full garbage collection after {NAVIGATIONS} navigations, what one costs "
            "whenever Python runs it (it ran "
            f"{memory['full_collections']} by itself, longest {memory['longest_full_ms']:.1f} ms)",
            memory["full_ms"],
            "ms",
            f"<= {FRAME_MS} ms",
        ),
        (f"PSS after {NAVIGATIONS} navigations", memory["pss_mb"], "MB", "-"),
        (f"USS after {NAVIGATIONS} navigations", memory["uss_mb"], "MB", "-"),
        (
            f"RSS growth over the last {NAVIGATIONS // 2} navigations",
            memory["growth_mb"],
            "MB",
            "-",
        ),
        (
            f"live widgets gained over the last {NAVIGATIONS // 2} navigations",
            memory["widgets_after"] - memory["widgets_halfway"],
            "widgets",
            "<= 0 widgets",
        ),
    ]
    return rows


def _child(mode: str, data: str = "", env: dict[str, str] | None = None) -> dict[str, Any]:
    import subprocess

    environment = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    environment.update(env or {})
    spawned_at = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "bench.bench_kiosk", mode, *([data] if data else [])],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"bench child {mode} failed:\n{result.stdout}\n{result.stderr}")
    found: dict[str, Any] = json.loads(lines[-1])
    if mode == "first-frame":
        # From spawning the interpreter to the first frame painted on screen.
        found["ms"] = (found["painted_at"] - spawned_at) * 1000
    return found


def _build(app: Any) -> Any:
    import tempfile

    import main
    from kiosk import cli
    from kiosk.clock import SystemClock

    data = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="kiosk-bench-")
    _, options = cli.parse(["--data-dir", data, "--windowed"], main.COMMANDS)
    assert options is not None
    kiosk = main.build_kiosk(options, app, SystemClock())
    assert kiosk is not None
    kiosk.window.first_painted.connect(kiosk.start_services)
    main.keep_collections_short(kiosk.window)  # as main.run_kiosk does
    return kiosk


def _first_frame() -> None:
    """Start like main.run_kiosk; print the wall-clock time the first frame was painted.

    Arguments after the data folder: `full` (full screen, as in a clinic) or `windowed`, and
    `rest` to stay up, services started, until SIGTERM (the memory benchmark)."""
    import signal

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app.window import show_kiosk

    full, rest = "full" in sys.argv[3:], "rest" in sys.argv[3:]
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
        if not rest:
            kiosk.shut_down()
            os._exit(0)  # interpreter teardown is not part of start-up

    watch = PaintWatch()
    app.installEventFilter(watch)
    show_kiosk(kiosk.window, windowed=not full)
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    wake = QTimer()  # lets Python run the signal handler while Qt waits
    wake.start(100)
    app.exec()
    kiosk.shut_down()


class _Steps:
    """Runs steps inside app.exec(): each step returns the next one (None to quit), and the
    loop runs in between, so paints, timers and deleteLater() happen as in the kiosk."""

    def __init__(self, app: Any, first: Callable[[], Any]) -> None:
        from PySide6.QtCore import QTimer

        self._app, self._next = app, first
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._step)

    def run(self) -> None:
        self._timer.start(0)
        self._app.exec()

    def later(self, step: Callable[[], Any]) -> None:
        self._next = step
        self._timer.start(0)

    def _step(self) -> None:
        step = self._next()
        if step is None:
            self._app.quit()
        elif callable(step):
            self.later(step)


def _prepared(window: Any) -> None:
    """Run the event loop until the window has built every screen and card, as a kiosk has
    long before its first patient (the taps below are not input events: they would not
    hold the building back, which would then land in the middle of the timed taps)."""
    from PySide6.QtCore import QEventLoop

    if not window.is_prepared:
        loop = QEventLoop()
        window.prepared.connect(loop.quit)
        loop.exec()


def _taps() -> None:
    """Taps on every tile through Qt's event loop, each timed until the topic page has been
    painted; at two window sizes, with normal and large text."""
    import statistics

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from bench.procs import percentile

    app = QApplication([])
    kiosk = _build(app)
    window = kiosk.window
    window.show()
    _prepared(window)
    window.show_home()

    class PaintSeen(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.then: Callable[[], None] | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.then is not None:
                then, self.then = self.then, None
                QTimer.singleShot(0, then)  # right after this paint (and its flush)
            return False

    configs = [(size, large) for size in SIZES for large in (False, True)]
    plan: list[tuple[int, int, bool, int]] = []  # (config, tile index, timed, repeat)
    tiles = [n for n, t in enumerate(window.home.tiles) if t.topic_id != "crisis"]
    for c in range(len(configs)):
        plan += [(c, n, False, 0) for n in tiles]  # one untimed visit to every topic
        plan += [(c, n, True, r) for r in range(TAPS_PER_TOPIC) for n in tiles]
    timings: dict[int, dict[str, list[float]]] = {c: {} for c in range(len(configs))}
    counts: dict[str, int] = {}
    seen = PaintSeen()
    steps = _Steps(app, lambda: None)
    state = {"i": 0, "config": -1}

    def home() -> Any:
        if state["i"] >= len(plan):
            counts["after"] = len(app.allWidgets())
            return None
        c, _n, timed, _r = plan[state["i"]]
        if c != state["config"]:
            state["config"] = c
            (width, height), large = configs[c]
            window.resize(width, height)
            kiosk.visit.set_large_text(large)
        if timed and "before" not in counts:
            counts["before"] = len(app.allWidgets())
        window.show_home()
        seen.then = lambda: steps.later(tap)
        window.home.update()
        return False  # wait for the paint

    def tap() -> Any:
        c, n, timed, _r = plan[state["i"]]
        tile = window.home.tiles[n]
        started = time.perf_counter()

        def painted() -> None:
            elapsed = (time.perf_counter() - started) * 1000
            if timed:
                timings[c].setdefault(tile.topic_id, []).append(elapsed)
            state["i"] += 1
            steps.later(home)

        seen.then = painted
        # The tile's own click (pressed, released, clicked), not QTest's synthetic mouse
        # events: the kinetic scroller over the tiles takes some of those for the start of
        # a drag in a real event loop (a press and release with no finger travel, yet the
        # tap is lost), and this measures the page, not QScroller's gesture recognition.
        tile.click()
        if window.current != "topic":
            raise RuntimeError(f"the tap on {tile.topic_id} opened nothing")
        return False

    app.installEventFilter(seen)
    steps.later(home)
    steps.run()
    app.removeEventFilter(seen)

    tracker = kiosk.tracker
    preferences = kiosk.visit.preferences
    started = time.perf_counter()
    for _ in range(LOGGED_VIEWS):
        tracker.topic_shown("cost-and-insurance", preferences)
        tracker.topic_left()
    log_us = (time.perf_counter() - started) / LOGGED_VIEWS * 1e6
    kiosk.shut_down()
    found = {}
    for c, per_topic in timings.items():
        (width, height), large = configs[c]
        every = [ms for values in per_topic.values() for ms in values]
        found[f"{width}x{height} {'large' if large else 'normal'} text"] = {
            "taps": len(every),
            "p50": statistics.median(every),
            "p95": percentile(every, 95),
            "p99": percentile(every, 99),
            "per_topic": {t: percentile(v, 95) for t, v in per_topic.items()},
        }
    print(
        json.dumps(
            {
                "configs": found,
                "widgets_before": counts["before"],
                "widgets_after": counts["after"],
                "log_us": log_us,
            }
        )
    )


def _navigate() -> None:
    """A day's worth of navigation, one step per turn of the event loop."""
    import gc
    import resource

    from PySide6.QtWidgets import QApplication

    from bench.procs import tree_memory

    app = QApplication([])
    kiosk = _build(app)
    window = kiosk.window
    window.resize(1920, 1080)
    window.show()
    _prepared(window)
    topics = [t.id for t in window.pack.topics]
    found: dict[str, float] = {}
    counter = {"n": 0}
    # Full collections Python runs by itself while patients navigate (not the two below).
    full_ms: list[float] = []
    collecting = {"since": 0.0, "forced": False}

    def timed(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2 or collecting["forced"]:
            return
        if phase == "start":
            collecting["since"] = time.perf_counter()
        else:
            full_ms.append((time.perf_counter() - collecting["since"]) * 1000)

    def collect() -> None:
        collecting["forced"] = True
        gc.collect()
        collecting["forced"] = False

    gc.callbacks.append(timed)

    def navigate() -> Any:
        n = counter["n"]
        if n == NAVIGATIONS:
            started = time.perf_counter()
            collect()
            found["full_ms"] = (time.perf_counter() - started) * 1000
            found["growth_mb"] = _rss_mb() - found["halfway_mb"]
            found["widgets_after"] = len(app.allWidgets())
            return None
        step = n % 6
        if step == 0:
            window.open_topic(topics[n % len(topics)])
        elif step == 1:
            sections = window.topic.reader.sections
            if sections:
                sections[0].button.click()
        elif step == 2:
            window.open_glossary(next(iter(window.pack.glossary)))
        elif step == 3:
            window.open_crisis()
        elif step == 4:
            window.set_language("es" if kiosk.visit.preferences.language == "en" else "en")
        else:
            window.show_home()
        counter["n"] += 1
        if n == NAVIGATIONS // 2:
            collect()
            found["halfway_mb"] = _rss_mb()
            found["widgets_halfway"] = len(app.allWidgets())
        return navigate

    steps = _Steps(app, navigate)
    steps.run()
    gc.callbacks.remove(timed)
    found["full_collections"] = len(full_ms)
    found["longest_full_ms"] = max(full_ms, default=0.0)
    memory = tree_memory(os.getpid())
    kiosk.shut_down()
    found["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found["pss_mb"], found["uss_mb"] = memory.pss, memory.uss
    print(json.dumps(found))


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


if __name__ == "__main__":
    {"first-frame": _first_frame, "taps": _taps, "navigate": _navigate}[sys.argv[1]]()
