"""Telling systemd that the kiosk is up, still alive, or stopping (sd_notify); silent elsewhere.

The messages go through cysystemd, a binding to libsystemd's own sd_notify(). Why that one:
- systemd-python (the systemd project's binding) publishes no wheels: every kiosk would need a
  C compiler, python3-dev, pkg-config and libsystemd-dev just to install it.
- sdnotify has had no release since 2017 and hides every error behind a bare `except:`.
- cysystemd is maintained (2.x, wheels up to Python 3.14), ships manylinux_2_34 wheels for
  x86_64 and aarch64 with libsystemd inside, so it needs no apt packages on Debian 12 or Ubuntu
  24.04 (glibc 2.36 and 2.39), and the protocol code is systemd's own rather than a rewrite.
Only 32-bit ARM has no wheel; see deploy/README.md.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cysystemd.daemon import Notification

logger = logging.getLogger(__name__)

MICROSECONDS = 1_000_000


def watchdog_usec(environ: Mapping[str, str], pid: int) -> int | None:
    """WatchdogSec= in microseconds if the watchdog is meant for process `pid`, else None.

    The same rules as libsystemd's sd_watchdog_enabled(): WATCHDOG_PID, when set, must name
    this process, so a child that inherited the environment does not think it is watched.
    """
    text = environ.get("WATCHDOG_USEC", "")
    if not (text.isascii() and text.isdigit()) or int(text) == 0:
        return None
    owner = environ.get("WATCHDOG_PID")
    if owner is not None and (not (owner.isascii() and owner.isdigit()) or int(owner) != pid):
        return None
    return int(text)


class SystemdNotifier:
    """READY=1, WATCHDOG=1, STOPPING=1 and STATUS= for the service manager.

    Without NOTIFY_SOCKET (development, tests, any start outside systemd) every call does
    nothing and cysystemd is not even imported, so the kiosk still runs where it is missing.
    """

    def __init__(self) -> None:
        self._socket = os.environ.get("NOTIFY_SOCKET") or None
        self._watchdog_usec = (
            watchdog_usec(os.environ, os.getpid()) if self._socket is not None else None
        )
        # cysystemd's notify() carries no annotations, hence the plain Callable.
        self._notify: Callable[..., object] | None = None
        self._kinds: type[Notification] | None = None
        if self._socket is not None:
            from cysystemd.daemon import Notification, notify

            self._notify = notify
            self._kinds = Notification
        self._failing = False

    @property
    def enabled(self) -> bool:
        return self._notify is not None

    def interval_seconds(self) -> float | None:
        """Seconds between pings: half of WatchdogSec=, as sd_watchdog_enabled(3) advises.

        None when there is no watchdog to ping (no systemd, no WatchdogSec=, or the watchdog
        belongs to another process).
        """
        if self._watchdog_usec is None:
            return None
        return self._watchdog_usec / MICROSECONDS / 2

    def ready(self) -> None:
        """Start-up is complete: Type=notify waits for this, then the watchdog begins."""
        self._send("READY")

    def ping(self) -> None:
        self._send("WATCHDOG")

    def stopping(self) -> None:
        self._send("STOPPING")

    def status(self, text: str) -> None:
        """A one-line status for `systemctl status`; a newline would start another field."""
        self._send("STATUS", " ".join(text.splitlines()))

    def _send(self, kind: str, value: str | None = None) -> None:
        if self._notify is None or self._kinds is None:
            return
        try:
            self._notify(self._kinds[kind], value, return_exceptions=False)
        except (RuntimeError, ValueError, OSError) as error:
            # Never fatal: if pings cannot reach systemd, its watchdog restarts the kiosk,
            # which is the right outcome. Logged once per run of failures, not every ping.
            if not self._failing:
                logger.warning("cannot notify systemd at %s: %s", self._socket, error)
            self._failing = True
            return
        if self._failing:
            logger.info("notifying systemd works again")
        self._failing = False
