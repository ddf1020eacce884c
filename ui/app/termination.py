"""Quit cleanly on SIGTERM (systemctl stop) and SIGINT, so pending counts are written.

Python runs signal handlers only between bytecodes, and an idle Qt event loop runs none,
so a plain handler would wait for the next timer. signal.set_wakeup_fd writes the signal
number to a socket the moment it arrives; a QSocketNotifier turns that into app.exit(0).

Not quit(): in Qt 6 quit() first asks every window to close, and the locked kiosk refuses
(QCoreApplication::quit docs: "the request may be ignored"), so a locked kiosk kept running
until systemd's SIGKILL and lost the counts not yet written. exit() asks no window.
"""

from __future__ import annotations

import logging
import signal
import socket

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier

logger = logging.getLogger(__name__)


class TerminationHandler(QObject):
    def __init__(
        self,
        app: QCoreApplication,
        signals: tuple[signal.Signals, ...] = (signal.SIGTERM, signal.SIGINT),
    ) -> None:
        super().__init__(app)
        self._app = app
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        for number in signals:
            # A Python-level handler must exist for the wake-up byte to be written.
            signal.signal(number, lambda *_: None)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._signalled)

    def _signalled(self) -> None:
        try:
            received = self._reader.recv(64)
        except BlockingIOError:
            return
        logger.info("received %s: shutting down cleanly", ", ".join(map(_name, received)))
        self._app.exit(0)

    def close(self) -> None:
        """Stop listening (the application normally keeps this for its whole life)."""
        signal.set_wakeup_fd(-1)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()


def _name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
