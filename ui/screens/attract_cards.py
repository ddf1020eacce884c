"""The attract screen's slow loop of topic cards: one topic at a time, in every language,
fading into the next every few seconds.

It invites a tap with what the kiosk can tell (not only "Tap to start"), and a screen that is
on all day never shows the same picture for long. It runs only while it is on screen: hidden,
its timer and animation stop and it costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    Property,
    QEasingCurve,
    QPropertyAnimation,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QHideEvent, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui.common.widgets import wrapping_label

HOLD_MS = 5000  # each card stays this long...
FADE_MS = 900  # ...then fades out and the next fades in: 13 topics make a loop of ~90 s


class TopicCards(QFrame):
    """One card: a topic's icon and its title in each language, in a slow loop."""

    advanced = Signal(int)  # the index of the card now shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attractCard")
        # A tap on the card is a tap on the invitation: the page below handles it.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.icon = QLabel(self)
        self.icon.setObjectName("attractCardIcon")
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._titles_layout = QVBoxLayout()
        self._titles_layout.setSpacing(6)
        self.titles: list[QLabel] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(28, 18, 28, 18)
        row.setSpacing(24)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(self._titles_layout, 1)
        self._cards: list[tuple[str, tuple[str, ...]]] = []
        self.index = 0
        self.motion = True
        self.hold_ms, self.fade_ms = HOLD_MS, FADE_MS
        self._effect = QGraphicsOpacityEffect(self)
        self._effect.setOpacity(1.0)
        self.setGraphicsEffect(self._effect)
        self._fade = QPropertyAnimation(self, b"opacity", self)
        self._fade.setEasingCurve(QEasingCurve.Type.InOutSine)
        self._fade.finished.connect(self._faded)
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self._fade_out)
        self._pixmap_for: Callable[[str], QPixmap] | None = None

    # Opacity as a Qt property, for the animation (the effect itself is not a QObject
    # property of this widget).
    def _get_opacity(self) -> float:
        return self._effect.opacity()

    def _set_opacity(self, value: float) -> None:
        self._effect.setOpacity(value)

    opacity = Property(float, _get_opacity, _set_opacity)

    @property
    def running(self) -> bool:
        return self._hold.isActive() or self._fade.state() == QPropertyAnimation.State.Running

    def set_cards(self, cards: Sequence[tuple[str, tuple[str, ...]]]) -> None:
        """Each card: an icon name and the topic's title in each language."""
        self._cards = list(cards)
        self.index = 0
        self._show_card()
        self._restart()

    def set_motion(self, on: bool) -> None:
        """Off: one card, still (for a clinic that wants no movement on screen)."""
        self.motion = on
        self._restart()

    def current(self) -> tuple[str, tuple[str, ...]] | None:
        return self._cards[self.index] if self._cards else None

    def set_icons(self, pixmap_for: Callable[[str], QPixmap]) -> None:
        """How to draw an icon by name (again whenever the theme changes)."""
        self._pixmap_for = pixmap_for
        self._show_icon()

    def _show_icon(self) -> None:
        card = self.current()
        if self._pixmap_for is not None and card is not None:
            self.icon.setPixmap(self._pixmap_for(card[0]))

    def _show_card(self) -> None:
        card = self.current()
        titles = card[1] if card else ()
        while len(self.titles) < len(titles):
            label = wrapping_label("attractCardTitle", self)
            label.setProperty("first", "true" if not self.titles else "false")
            self._titles_layout.addWidget(label)
            self.titles.append(label)
        for label, text in zip(self.titles, titles, strict=False):
            label.setText(text)
        for n, label in enumerate(self.titles):
            label.setVisible(n < len(titles))
        self.setVisible(card is not None)
        self._show_icon()

    def _restart(self) -> None:
        self._stop()
        if self.motion and len(self._cards) > 1 and self.isVisible():
            self._hold.start(self.hold_ms)

    def _stop(self) -> None:
        self._hold.stop()
        self._fade.stop()
        self._effect.setOpacity(1.0)

    def _fade_out(self) -> None:
        self._fade.setDuration(self.fade_ms)
        self._fade.setStartValue(1.0)
        self._fade.setEndValue(0.0)
        self._fade.start()

    def _faded(self) -> None:
        if self._fade.endValue() == 0.0:
            self.index = (self.index + 1) % len(self._cards)
            self._show_card()
            self.advanced.emit(self.index)
            self._fade.setStartValue(0.0)
            self._fade.setEndValue(1.0)
            self._fade.start()
        else:
            self._hold.start(self.hold_ms)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.running:
            self._restart()

    def hideEvent(self, event: QHideEvent) -> None:
        # Hidden (a visitor started, or staff): no timer, no animation, no repaints.
        self._stop()
        super().hideEvent(event)
