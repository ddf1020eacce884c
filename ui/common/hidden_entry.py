"""The staff area's hidden way in: a long press on the clinic name, with no hint on screen.

Kept apart from the staff area itself so the kiosk can install it at start-up without
loading the dashboard, its charts and the database code.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

HOLD_MS = 3000


class HiddenEntry(QObject):
    """Emits `triggered` when a widget is held down for `hold_ms`; short taps do nothing.

    Installed as an event filter, so the widget (a logo) needs no code of its own and shows
    no hint. Events pass through untouched: a tap on the logo still does what it did.
    """

    triggered = Signal()

    def __init__(self, target: QWidget, hold_ms: int = HOLD_MS) -> None:
        super().__init__(target)
        self._target = target
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(hold_ms)
        self.timer.timeout.connect(self.triggered)
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.timer.start()
        elif kind in (
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.TouchEnd,
            QEvent.Type.TouchCancel,
            QEvent.Type.Leave,
            QEvent.Type.Hide,
        ):
            self.timer.stop()
        return False
