"""The floor the kiosk's start is measured against: a bare PySide6 window, one text view
showing the same topic, nothing else. Prints the wall-clock time its first frame was painted,
as bench.bench_kiosk's first-frame mode does.

Usage: python bench/bare_window.py TOPIC.html full|windowed [rest]
With `rest` it stays up, at rest, until SIGTERM (for the memory benchmark).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTextBrowser


def main(html_file: str, how: str, rest: bool) -> None:
    app = QApplication([])
    view = QTextBrowser()
    with open(html_file, encoding="utf-8") as f:
        view.setHtml(f.read())

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched is view:
                app.removeEventFilter(self)
                QTimer.singleShot(0, report)
            return False

    def report() -> None:
        print(json.dumps({"painted_at": time.time()}), flush=True)
        if not rest:
            os._exit(0)

    watch = PaintWatch()
    app.installEventFilter(watch)
    if how == "full":
        screen = app.primaryScreen()
        view.setGeometry(screen.geometry())
        view.showFullScreen()
    else:
        view.resize(1280, 800)
        view.show()
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    wake = QTimer()  # lets Python run the signal handler while Qt waits
    wake.start(100)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "rest" in sys.argv[3:])
