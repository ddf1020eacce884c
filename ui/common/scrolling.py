"""Finger scrolling: drag the page itself, with momentum, as on a phone."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QScrollArea,
    QScrollBar,
    QScroller,
    QWidget,
)

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

    The scroll bar a patient sees is not Qt's own but `scroll_bar`, a twin of it kept in
    step, drawn in a margin beside the viewport. Qt's accessibility bridge counts a scroll
    area's children as its viewport plus each scroll bar that is visible, so the count
    changes whenever the bar comes or goes, and the whole page hides with its screen too;
    a screen reader that asked for the count and then for the last child (Orca and AT-SPI
    ask in two D-Bus calls) reached past the end of Qt's list
    (QAccessibleAbstractScrollArea::child does not check the index) and the kiosk crashed
    (SIGSEGV in QAccessibleCache::idForObject). With Qt's bars always off the area has one
    accessible child, its viewport, whatever shows.
    """

    # The patient moved the page (finger drag, wheel, scroll bar, keys), as opposed to the
    # program scrolling it (read-aloud following the voice), which emits nothing.
    scrolled_by_user = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._kinetic = False
        own = self.verticalScrollBar()  # still the one that scrolls, and that code moves
        self.scroll_bar = QScrollBar(Qt.Orientation.Vertical, self)
        self.scroll_bar.setObjectName("pageScrollBar")
        self.scroll_bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrow keys scroll the page
        self.scroll_bar.hide()
        own.rangeChanged.connect(self._follow_range)
        own.valueChanged.connect(self.scroll_bar.setValue)
        self.scroll_bar.valueChanged.connect(own.setValue)
        # actionTriggered comes only from the user's hand (slider drag, clicks, keys):
        # QAbstractSlider::setValue, used by ensureVisible, does not emit it.
        for bar in (own, self.scroll_bar):
            bar.actionTriggered.connect(lambda _action: self.scrolled_by_user.emit())

    def _follow_range(self, minimum: int, maximum: int) -> None:
        own = self.verticalScrollBar()
        self.scroll_bar.setPageStep(own.pageStep())
        self.scroll_bar.setSingleStep(own.singleStep())
        self.scroll_bar.setRange(minimum, maximum)
        self.scroll_bar.setValue(own.value())
        # Shown as needed: narrowing the page only makes it taller, so this settles.
        self.scroll_bar.setVisible(maximum > minimum)
        self._place_scroll_bar()

    def _place_scroll_bar(self) -> None:
        width = self.scroll_bar.sizeHint().width() if not self.scroll_bar.isHidden() else 0
        if self.viewportMargins().right() != width:
            self.setViewportMargins(0, 0, width, 0)
        area = self.contentsRect()
        self.scroll_bar.setGeometry(area.right() - width + 1, area.top(), width, area.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_scroll_bar()

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
