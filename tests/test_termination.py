"""`systemctl stop` (SIGTERM) quits the event loop cleanly, so pending counts are written."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject

from ui.app.termination import TerminationHandler


class FakeApp(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.exits: list[int] = []

    def exit(self, code: int) -> None:
        self.exits.append(code)


@pytest.fixture
def restore_signals() -> Iterator[None]:
    before = signal.getsignal(signal.SIGUSR1)
    yield
    signal.signal(signal.SIGUSR1, before)


def test_a_signal_quits_the_application_while_the_event_loop_is_idle(
    qtbot: Any, restore_signals: None
) -> None:
    app = FakeApp()
    handler = TerminationHandler(app, signals=(signal.SIGUSR1,))  # type: ignore[arg-type]
    os.kill(os.getpid(), signal.SIGUSR1)
    qtbot.waitUntil(lambda: app.exits == [0])
    handler.close()
