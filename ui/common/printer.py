"""Printing the questions list on the clinic's printer, without blocking the screen.

The list is plain text, so CUPS's `lp` prints it as it is; it runs as a child process
(QProcess) and reports back by signal. No printer configured means no print button.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QProcess, Signal

logger = logging.getLogger(__name__)


class Printer(QObject):
    finished = Signal(bool)  # True if the job was accepted by the print system

    def __init__(self, queue: str, command: str = "lp", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.queue = queue
        self._command = command
        self._jobs: list[QProcess] = []
        self._finished: list[QProcess] = []

    @property
    def available(self) -> bool:
        return bool(self.queue)

    def print_text(self, title: str, text: str) -> None:
        if not self.available:
            return
        # Finished jobs are deleted here, not in their own finished() handler: deleting a
        # QProcess from its own signal and then its parent crashed (SIGBUS) in testing.
        for old in self._finished:
            old.deleteLater()
        self._finished.clear()
        job = QProcess(self)
        job.finished.connect(lambda code, status, j=job: self._done(j, code, status))
        job.errorOccurred.connect(lambda error, j=job: self._failed(j, error))
        job.start(self._command, ["-d", self.queue, "-t", title])
        job.write(text.encode("utf-8"))
        job.closeWriteChannel()
        self._jobs.append(job)

    def _done(self, job: QProcess, code: int, status: QProcess.ExitStatus) -> None:
        ok = status == QProcess.ExitStatus.NormalExit and code == 0
        if not ok:
            error = bytes(job.readAllStandardError().data()).decode(errors="replace").strip()
            logger.error("printing on %r failed (exit %s): %s", self.queue, code, error)
        self._finish(job, ok)

    def _failed(self, job: QProcess, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            logger.error(
                "cannot print: %r could not be started (is CUPS installed?)", self._command
            )
            self._finish(job, False)

    def _finish(self, job: QProcess, ok: bool) -> None:
        if job in self._jobs:
            self._jobs.remove(job)
            self._finished.append(job)
            self.finished.emit(ok)
