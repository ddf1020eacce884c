"""Finger scrolling: drag the page itself, with momentum, as on a phone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QScrollArea, QScroller, QWidget


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
    """A vertical scroll area with finger scrolling and no sideways scrolling."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        enable_kinetic_scrolling(self)
