"""Pinging systemd's watchdog from the GUI thread, so a frozen GUI gets the kiosk restarted."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from kiosk.watchdog import SystemdNotifier

logger = logging.getLogger(__name__)

# QTimer takes a signed 32-bit count of milliseconds.
LONGEST_INTERVAL_MS = 2**31 - 1


class WatchdogPinger(QObject):
    """Sends WATCHDOG=1 at the notifier's interval from a timer on the GUI thread.

    The timer only fires while the GUI thread runs its event loop: a slot that hangs, a dead
    lock or an endless loop stops the pings, and systemd kills and restarts the kiosk after
    WatchdogSec=. A ping from a thread of its own would go on while the screen stays frozen.
    Build it on the GUI thread (main.py does), since a QTimer fires in its object's thread.
    """

    def __init__(self, notifier: SystemdNotifier, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notifier = notifier
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._notifier.ping)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """Ping now and then at the interval; does nothing when systemd set no watchdog."""
        interval = self._notifier.interval_seconds()
        if interval is None:
            return
        milliseconds = min(max(1, int(interval * 1000)), LONGEST_INTERVAL_MS)
        logger.info("pinging the systemd watchdog every %.1f s", milliseconds / 1000)
        self._notifier.ping()
        self._timer.start(milliseconds)

    def stop(self) -> None:
        self._timer.stop()
