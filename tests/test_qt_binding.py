"""Guards against known-bad Qt binding releases (the kiosk runs all day: a leak is a crash)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    text = Signal(str)
    flag = Signal(bool)


def test_emitting_signals_does_not_leak_references_to_true(qtbot) -> None:
    # PySide6 6.12.0 dropped a reference to True on every emit(); after a few hundred the
    # interpreter aborted with "bool_dealloc". Here the count must not move.
    emitter = _Emitter()
    received: list[object] = []
    emitter.text.connect(received.append)
    emitter.flag.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.text.emit("x")
        emitter.flag.emit(False)
    assert len(received) == 400
    assert sys.getrefcount(True) >= before
