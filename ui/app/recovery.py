"""When something goes wrong in a slot: log it and take the kiosk home, never a dialog.

PySide passes an exception raised in a Python slot to sys.excepthook and carries on; the
default hook prints it and leaves the screen in whatever half-done state the slot reached.
This hook logs it with its traceback and asks the window to recover on the next turn of the
event loop (not inside the failing call). Background threads only log.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from types import TracebackType

from PySide6.QtCore import QTimer

logger = logging.getLogger("kiosk.recovery")


class RecoveryHook:
    def __init__(
        self, recover: Callable[[], None], now: Callable[[], datetime] = datetime.now
    ) -> None:
        self._recover = recover
        self._now = now
        self._recovering = False
        self.errors = 0
        self.last_recovery: datetime | None = None  # for the fleet heartbeat

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = self._thread_error

    def handle(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        self.errors += 1
        logger.error(
            "unexpected error; returning to the home screen", exc_info=(kind, error, trace)
        )
        if not self._recovering:
            QTimer.singleShot(0, self._run_recovery)

    def _run_recovery(self) -> None:
        self._recovering = True
        self.last_recovery = self._now()
        try:
            self._recover()
        except Exception:
            # A broken recovery must not loop; the watchdog restarts a kiosk that is stuck.
            logger.exception("could not recover the screen after an error")
        finally:
            self._recovering = False

    def _thread_error(self, args: threading.ExceptHookArgs) -> None:
        logger.error(
            "unexpected error in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=args.exc_value,  # carries its traceback; None logs none
        )
