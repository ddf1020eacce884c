"""A scripted visitor inside a real kiosk process: the fault tests' way to drive the real thing.

Run as `python tests/faults/visitor.py [kiosk arguments]`. The kiosk is main.run_kiosk, locked
unless --windowed is given, with real signals and the real view log; the visitor taps the real
widgets. It reports on stdout, one line each, flushed at once (a kill -9 can come any time):

    UP                 the first frame is painted and the services are started
    VIEW n             the visitor has opened its n-th topic (each in a visit of its own)
    ACK n              the view log has committed the first n views (durable on disk)
    STALL ms           the longest GUI-thread stall of the last second
    READING            a topic is being read aloud (with VISITOR_READ=1)
    DONE               VISITOR_TAPS topics were opened

VISITOR_TAPS (default 0: for ever), VISITOR_INTERVAL_MS (default 30) and VISITOR_READ
(1: press Read aloud on each topic and wait for speech to start) steer it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import main
from kiosk import cli
from kiosk.content.model import CRISIS_TOPIC_ID

STALL_TICK_MS = 20


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Visitor:
    def __init__(self, kiosk: Any, taps: int, interval_ms: int, read: bool) -> None:
        from PySide6.QtCore import QTimer

        self.kiosk = kiosk
        self.window = kiosk.window
        self.taps = taps
        self.read = read
        self.opened = 0
        self.left = 0
        self._acking = threading.Lock()
        self._step = QTimer(self.window)
        self._step.setInterval(interval_ms)
        self._step.timeout.connect(self.step)
        self._tick = QTimer(self.window)
        self._tick.setInterval(STALL_TICK_MS)
        self._tick.timeout.connect(self._measure)
        self._last = time.monotonic()
        self._worst = 0.0
        self._reported = time.monotonic()
        self._waiting_for_speech = False
        self.window.first_painted.connect(self._up)

    def _up(self) -> None:
        say("UP")
        self._tick.start()
        self._step.start()

    def _measure(self) -> None:
        now = time.monotonic()
        self._worst = max(self._worst, (now - self._last) * 1000 - STALL_TICK_MS)
        self._last = now
        if now - self._reported >= 1.0:
            say(f"STALL {max(0.0, self._worst):.0f}")
            self._worst, self._reported = 0.0, now

    def step(self) -> None:
        window = self.window
        current = window.screens.currentWidget()
        if current is window.attract:
            self._tap(next(iter(window.attract.buttons.values())))
        elif current is window.home:
            if self.taps and self.opened >= self.taps:
                self._step.stop()
                say("DONE")
                return
            # Topics only: the crisis tile is counted apart from topic views.
            tiles = [t for t in window.home.tiles if t.topic_id != CRISIS_TOPIC_ID]
            tile = tiles[self.opened % len(tiles)]
            window.home.scroll_area.ensureWidgetVisible(tile)  # as a patient scrolls to it
            self._tap(tile)
            if window.screens.currentWidget() is window.topic:  # a tap can be too quick
                self.opened += 1
                say(f"VIEW {self.opened}")
        elif current is window.topic:
            if self.read and not self._reading():
                if not self._waiting_for_speech:
                    self._waiting_for_speech = True
                    self._tap(window.topic.read_bar.read)
                return
            if self.read:
                say("READING")
            self._waiting_for_speech = False
            self._tap(window.topic.home)
            # One topic per visitor: a view is recorded as its visit ends (docs/counting.md),
            # so the visitor leaves, the way the idle reset ends a visit, and the next taps in.
            self.kiosk.flow.reset()
            self.left += 1
            self._acknowledge(self.left)
        else:  # the crisis screen: back home the way the kiosk's own reset goes
            window.show_home()

    def _reading(self) -> bool:
        from ui.read_aloud.controller import ReadState

        return bool(self.kiosk.narrator.state is ReadState.PLAYING)

    def _tap(self, widget: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())

    def _acknowledge(self, count: int) -> None:
        """Say ACK once the view log has committed every view left so far (off the GUI thread)."""

        def wait() -> None:
            if self.kiosk.view_log.flush(timeout=30):
                with self._acking:
                    say(f"ACK {count}")

        threading.Thread(target=wait, daemon=True).start()


def run(argv: list[str]) -> int:
    _, options = cli.parse(argv, main.COMMANDS)
    assert options is not None, "the visitor drives the kiosk, not a command"
    taps = int(os.environ.get("VISITOR_TAPS", "0"))
    interval = int(os.environ.get("VISITOR_INTERVAL_MS", "30"))
    read = os.environ.get("VISITOR_READ") == "1"
    visitors: list[Visitor] = []
    return main.run_kiosk(
        options, on_running=lambda kiosk: visitors.append(Visitor(kiosk, taps, interval, read))
    )


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
