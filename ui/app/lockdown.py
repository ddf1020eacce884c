"""Kiosk mode: patients cannot leave or break the app; keypad users can still work it.

While locked: no context menus, Alt+F4 and Escape do nothing to the window, the window
stays full screen, and the mouse cursor is hidden (it is a touch screen). Only the staff
area unlocks. Enter and Space press the focused button, locked or not, so a kiosk with a
keypad or switch can be used without a touch screen.
"""

from __future__ import annotations

import functools
import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent, QWindowStateChangeEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

logger = logging.getLogger(__name__)


@functools.cache
def _press_keys() -> tuple[Qt.Key, ...]:
    # On the first key press, not at import: the first use of Qt.Key makes its ~470-member
    # Python enum, milliseconds of start-up that no patient screen needs.
    return (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class Lockdown(QObject):
    def __init__(self, app: QApplication, window: QWidget) -> None:
        # Owned by the window: when it goes, so does this application-wide event filter.
        super().__init__(window)
        self._app = app
        self._window = window
        self.locked = False
        app.installEventFilter(self)

    def lock(self) -> None:
        if not self.locked:
            self.locked = True
            # Touch screens need no pointer, and a visible one invites fiddling.
            self._app.setOverrideCursor(Qt.CursorShape.BlankCursor)
            logger.info("kiosk mode on")

    def unlock(self) -> None:
        if self.locked:
            self.locked = False
            QGuiApplication.restoreOverrideCursor()
            logger.warning("kiosk mode off (staff)")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        if not self.locked:
            return False
        if kind == QEvent.Type.ContextMenu:
            return True
        if kind == QEvent.Type.Close and watched is self._window:
            # The window manager's close button, Alt+F4 handled by it, or a session request.
            event.ignore()
            return True
        if (
            kind == QEvent.Type.WindowStateChange
            and watched is self._window
            and isinstance(event, QWindowStateChangeEvent)
            and not self._window.isFullScreen()
        ):
            # Something (a window manager, a key combination) took it out of full screen.
            QTimer.singleShot(0, self._window.showFullScreen)
        return False

    def _key(self, event: QKeyEvent) -> bool:
        if event.key() in _press_keys() and not event.isAutoRepeat():
            focused = self._app.focusWidget()
            if isinstance(focused, QAbstractButton) and focused.isEnabled():
                focused.animateClick()
                return True
        if not self.locked:
            return False
        alt_f4 = (
            event.key() == Qt.Key.Key_F4 and event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        return bool(alt_f4)
