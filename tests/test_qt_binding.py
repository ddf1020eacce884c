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


def test_modules_imported_after_qt_leave_no_source_in_memory(tmp_path, monkeypatch) -> None:
    # PySide6's feature hook read each new module's whole source (inspect.getsource), and
    # linecache kept it: ~15 MB of a kiosk's memory, most of it SQLAlchemy.
    import linecache

    from ui.app.binding import stop_source_reads_on_import

    assert stop_source_reads_on_import()  # the hook exists in the pinned PySide6
    module = tmp_path / "freshly_imported_module.py"
    module.write_text("VALUE = 1  # a module like any other\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    imported = __import__("freshly_imported_module")  # through the hooked __import__
    assert imported.VALUE == 1
    assert str(module) not in linecache.cache


def test_sources_read_before_the_hook_was_replaced_are_let_go(tmp_path) -> None:
    # What the hook read before it was replaced (modules imported between PySide6 and ui):
    # dropped too; a traceback reads the file again when it needs a line.
    import linecache

    from ui.app.binding import stop_source_reads_on_import

    early = tmp_path / "imported_before_the_hook.py"
    early.write_text("VALUE = 1\n", encoding="utf-8")
    assert linecache.getline(str(early), 1) == "VALUE = 1\n"
    assert str(early) in linecache.cache
    assert stop_source_reads_on_import()
    assert str(early) not in linecache.cache
    assert linecache.getline(str(early), 1) == "VALUE = 1\n"  # still there when needed
