"""Kiosk mode: a patient cannot close, escape or break the kiosk; keypad users can use it;
an error in a slot is logged and the kiosk goes home instead of showing a dialog."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCloseEvent, QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from tests.conftest import ContentFolder
from ui.app.recovery import RecoveryHook
from ui.app.window import Screen, show_kiosk


@pytest.fixture
def locked(request: pytest.FixtureRequest, make_kiosk: Any, content: ContentFolder) -> Any:
    request.applymarker(pytest.mark.expected_logs("kiosk mode off"))  # said when unlocked
    kiosk = make_kiosk(content_dir=content.root)
    kiosk.lockdown.lock()
    yield kiosk
    kiosk.lockdown.unlock()


def test_closing_the_window_is_refused_while_locked(locked: Any) -> None:
    window = locked.window
    event = QCloseEvent()
    QApplication.sendEvent(window, event)
    assert not event.isAccepted()
    assert window.isVisible()
    locked.lockdown.unlock()  # staff left kiosk mode: closing works again
    event = QCloseEvent()
    QApplication.sendEvent(window, event)
    assert event.isAccepted()


def test_alt_f4_and_escape_do_nothing_to_the_window(qtbot: Any, locked: Any) -> None:
    window = locked.window
    window.open_topic("alpha")
    qtbot.keyClick(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.isVisible() and window.current is Screen.TOPIC


def test_escape_closes_a_pop_up_for_keyboard_users(qtbot: Any, locked: Any) -> None:
    locked.window.open_glossary("off-label")
    qtbot.keyClick(locked.window, Qt.Key.Key_Escape)
    assert not locked.window.overlay.isVisible()


def test_context_menus_are_swallowed(locked: Any) -> None:
    target = locked.window.topic.reader.intro.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), QPoint(5, 5))
    assert locked.lockdown.eventFilter(target, event) is True


def test_the_cursor_is_hidden_while_locked(locked: Any) -> None:
    cursor = QGuiApplication.overrideCursor()
    assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor
    locked.lockdown.unlock()
    assert QGuiApplication.overrideCursor() is None


def test_the_window_goes_back_to_full_screen(qtbot: Any, locked: Any) -> None:
    window = locked.window
    window.showFullScreen()
    qtbot.waitUntil(window.isFullScreen)
    window.showNormal()  # as a window manager or a key combination might
    qtbot.waitUntil(window.isFullScreen, timeout=3000)


def test_leaving_kiosk_mode_gives_an_ordinary_window(qtbot: Any, locked: Any) -> None:
    window = locked.window
    show_kiosk(window, windowed=False)
    qtbot.waitUntil(window.isFullScreen)
    locked._leave_kiosk_mode()
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=3000)
    flags = window.windowFlags()
    assert not flags & Qt.WindowType.FramelessWindowHint
    assert not flags & Qt.WindowType.WindowStaysOnTopHint
    assert window.isVisible() and not locked.lockdown.locked
    assert QGuiApplication.overrideCursor() is None  # the pointer is back


def test_enter_presses_the_focused_button(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    window = make_kiosk(content_dir=content.root).window
    tile = window.home.tiles[1]
    tile.setFocus(Qt.FocusReason.TabFocusReason)
    with qtbot.waitSignal(tile.clicked):
        qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert window.current is Screen.TOPIC and window.topic.topic.id == "beta"
    window.topic.home.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(window.topic.home, Qt.Key.Key_Space)  # Space, Qt's own way
    assert window.current is Screen.HOME


def test_tab_reaches_every_control_in_a_sensible_order(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    window = make_kiosk(content_dir=content.root).window
    window.setFocus()
    seen = []
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if focused in seen:
            break
        seen.append(focused)
    names = [w.objectName() for w in seen]
    tiles = [n for n in names if n.startswith("tile-")]
    assert tiles == ["tile-alpha", "tile-beta", "tile-gamma", "tile-crisis"]
    # The top bar first (crisis help among it), then the topics in reading order.
    assert names.index("crisisButton") < names.index("tile-alpha")


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_is_logged_and_the_kiosk_goes_home(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, caplog: pytest.LogCaptureFixture
) -> None:
    import sys

    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    previous = sys.excepthook
    hook = RecoveryHook(window.recover, kiosk.clock.now)
    hook.install()
    assert hook.last_recovery is None
    try:
        window.open_topic("alpha")
        window.open_glossary("off-label")

        def broken() -> None:
            raise RuntimeError("a bug in a slot")

        window.topic.next.clicked.connect(broken)
        with caplog.at_level(logging.ERROR, logger="kiosk.recovery"):
            qtbot.mouseClick(window.topic.next, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: window.current is Screen.HOME)
        assert hook.errors == 1
        assert hook.last_recovery == kiosk.clock.now()  # the fleet heartbeat reports it
        assert "a bug in a slot" in caplog.text
        assert not window.overlay.isVisible()
    finally:
        sys.excepthook = previous
        import threading

        threading.excepthook = threading.__excepthook__
