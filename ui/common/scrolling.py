"""Finger scrolling: drag the page itself, with momentum, as on a phone."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QScrollArea, QScroller, QWidget

# Set on the top-level window once its first frame is on screen (see KioskWindow).
FIRST_PAINTED = "firstPainted"


def enable_kinetic_scrolling(area: QAbstractScrollArea) -> None:
    # LeftMouseButtonGesture also covers touch: Qt turns unhandled touches into mouse
    # events, and taps on child buttons still reach them (QScroller documentation).
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(area.viewport())
    properties = scroller.scrollerProperties()
    # Overshoot looks like a bug on a kiosk; stop at the edges.
    properties.setScrollMetric(
        properties.ScrollMetric.HorizontalOvershootPolicy,
        properties.OvershootPolicy.OvershootAlwaysOff,
    )
    properties.setScrollMetric(
        properties.ScrollMetric.VerticalOvershootPolicy,
        properties.OvershootPolicy.OvershootAlwaysOff,
    )
    scroller.setScrollerProperties(properties)


class KineticScrollArea(QScrollArea):
    """A vertical scroll area with finger scrolling and no sideways scrolling.

    The first QScroller in a process costs ~40 ms (Qt sets up gesture recognition), so areas
    built before the window's first frame get finger scrolling right after that frame
    (KioskWindow calls enable_kinetic); areas shown later enable it as they appear.
    """

    # The patient moved the page (finger drag, wheel, scroll bar, keys), as opposed to the
    # program scrolling it (read-aloud following the voice), which emits nothing.
    scrolled_by_user = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._kinetic = False
        # actionTriggered comes only from the user's hand (slider drag, clicks, keys):
        # QAbstractSlider::setValue, used by ensureVisible, does not emit it.
        self.verticalScrollBar().actionTriggered.connect(
            lambda _action: self.scrolled_by_user.emit()
        )

    def enable_kinetic(self) -> None:
        if not self._kinetic:
            self._kinetic = True
            enable_kinetic_scrolling(self)
            QScroller.scroller(self.viewport()).stateChanged.connect(self._scroller_state)

    def _scroller_state(self, state: QScroller.State) -> None:
        if state is QScroller.State.Dragging:  # a finger moving the page (not a tap)
            self.scrolled_by_user.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        before = self.verticalScrollBar().value()
        super().wheelEvent(event)
        if self.verticalScrollBar().value() != before:
            self.scrolled_by_user.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.window().property(FIRST_PAINTED):
            self.enable_kinetic()
