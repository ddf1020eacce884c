"""Run blocking work off the GUI thread and get the result back on it (Picard's run_task).

    tasks.run(lambda: stats.summary(...), on_done=self.show_summary, on_error=self.show_error)

`on_done` and `on_error` are called on the GUI thread. A caller that may be gone by then
passes `owner`: if that QObject has been deleted, the result is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

logger = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call back to this thread."""

    finished = Signal(object, object)  # callback, value


class _Job(QRunnable):
    def __init__(
        self,
        work: Callable[[], Any],
        relay: _Relay,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        super().__init__()
        self._work = work
        self._relay = relay
        self._on_done = on_done
        self._on_error = on_error

    def run(self) -> None:
        try:
            value = self._work()
        except BaseException as error:  # reported on the GUI thread, never lost
            self._relay.finished.emit(self._on_error, error)
            return
        self._relay.finished.emit(self._on_done, value)


class TaskRunner(QObject):
    """One per application, built in main.py and handed to whoever needs it."""

    def __init__(self, max_threads: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        # Checked when the result arrives rather than by connecting to owner.destroyed:
        # an owner that runs tasks all day would collect one connection per task.
        def alive() -> bool:
            return owner is None or shiboken6.isValid(owner)

        def done(value: Any) -> None:
            if alive():
                on_done(value)

        def failed(error: BaseException) -> None:
            if not alive():
                return
            if on_error is None:
                logger.error("background task failed", exc_info=error)
            else:
                on_error(error)

        self._pool.start(_Job(work, self._relay, done, failed))

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for running jobs (shutdown and tests only: it blocks)."""
        return self._pool.waitForDone(msecs)

    @Slot(object, object)
    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)
