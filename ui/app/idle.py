"""Noticing that a visitor has gone, so the next one starts fresh.

After `idle_ms` without a touch, tap or key, `prompt_due` asks "Still reading?"; a countdown
of `countdown_ms` follows (WCAG 2.2.1 asks for at least 20 s to answer), ticking once a
second, and then `expired` resets the kiosk. Any input restarts the wait. While something
holds it (speech playing, the staff area open) nothing fires at all. On crisis help the wait
is `long_idle_ms` instead: someone may be on the phone to 988, with nothing to touch.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_INPUT = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class ActivityMonitor(QObject):
    """Emits `activity` for any touch, mouse press or key anywhere in the application."""

    activity = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT:
            self.activity.emit()
        return False


class IdleWatch(QObject):
    prompt_due = Signal()
    countdown = Signal(int)  # whole seconds left
    expired = Signal()

    def __init__(
        self,
        idle_ms: int,
        countdown_ms: int,
        long_idle_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._idle_ms = idle_ms
        self._long_idle_ms = idle_ms if long_idle_ms is None else long_idle_ms
        self._long = False
        self._countdown_ms = countdown_ms
        self._holds: set[str] = set()
        self._left_ms = 0
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_ms)
        self.idle_timer.timeout.connect(self._idle)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(min(1000, countdown_ms))
        self.tick_timer.timeout.connect(self._tick)
        self.running = False

    def set_timing(
        self,
        idle_ms: int,
        countdown_ms: int,
        tick_ms: int = 1000,
        long_idle_ms: int | None = None,
    ) -> None:
        """Change the waits (tests use milliseconds instead of the clinic's minutes)."""
        self._idle_ms = idle_ms
        if long_idle_ms is not None:
            self._long_idle_ms = long_idle_ms
        self.idle_timer.setInterval(self._long_idle_ms if self._long else idle_ms)
        self._countdown_ms = countdown_ms
        self.tick_timer.setInterval(min(tick_ms, countdown_ms))

    def wait_long(self, long: bool) -> None:
        """Use the long wait (crisis help on screen) or the normal one, counted from now."""
        if long != self._long:
            self._long = long
            self.idle_timer.setInterval(self._long_idle_ms if long else self._idle_ms)
            if self.idle_timer.isActive():
                self.idle_timer.start()

    @property
    def prompting(self) -> bool:
        return self.tick_timer.isActive()

    def start(self) -> None:
        self.running = True
        self.poke()

    def stop(self) -> None:
        self.running = False
        self.idle_timer.stop()
        self.tick_timer.stop()

    def poke(self) -> None:
        """Someone is here: cancel any countdown and wait the full time again."""
        self.tick_timer.stop()
        if self.running and not self._holds:
            self.idle_timer.start()
        else:
            self.idle_timer.stop()

    def hold(self, reason: str, held: bool) -> None:
        """Keep the kiosk from resetting while `reason` lasts (speech, the staff area)."""
        if held:
            self._holds.add(reason)
        else:
            self._holds.discard(reason)
        self.poke()

    def _idle(self) -> None:
        self._left_ms = self._countdown_ms
        self.tick_timer.start()
        self.prompt_due.emit()
        self.countdown.emit(math.ceil(self._left_ms / 1000))

    def _tick(self) -> None:
        self._left_ms -= self.tick_timer.interval()
        if self._left_ms <= 0:
            self.tick_timer.stop()
            self.expired.emit()
        else:
            self.countdown.emit(math.ceil(self._left_ms / 1000))
