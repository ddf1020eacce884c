"""Pop-ups drawn inside the kiosk window (no separate windows: there may be no window manager
to place them). A dimmed backdrop covers the screen below the top bar (the crisis button
stays in reach); a tap outside the card closes it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.common.scrolling import KineticScrollArea
from ui.common.widgets import label_button, touch_button
from ui.read_aloud.bar import ReadAloudBar
from ui.read_aloud.readable import Readable, ReadableLabel


class Overlay(QWidget):
    """A backdrop over the window, below `below` (the top bar), holding one card at a time."""

    closed = Signal()
    # The card takes 6/8 of the width, with an eighth of backdrop each side.
    CARD_STRETCH, SIDE_STRETCH = 6, 1

    def __init__(self, parent: QWidget, below: QWidget | None = None) -> None:
        super().__init__(parent)
        self._below = below
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.card = QFrame(self)
        self.card.setObjectName("popupCard")
        self.card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.card_layout = QVBoxLayout(self.card)
        self.card_layout.setContentsMargins(32, 28, 32, 28)
        self.card_layout.setSpacing(18)
        self._host = parent
        self._outer = layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(self.SIDE_STRETCH)
        row.addWidget(self.card, self.CARD_STRETCH)
        row.addStretch(self.SIDE_STRETCH)
        layout.addLayout(row, 10)
        layout.addStretch(1)
        self._content: QWidget | None = None
        self._return_focus: QWidget | None = None
        self.dismissable = True
        parent.installEventFilter(self)
        if below is not None:
            below.installEventFilter(self)  # its height changes with the text size
        self.hide()

    def present(self, content: QWidget, dismissable: bool = True) -> None:
        if self._content is not None and self._content is not content:
            self._content.hide()
            self.card_layout.removeWidget(self._content)
        self._content = content
        self.dismissable = dismissable
        content.setParent(self.card)
        self.card_layout.addWidget(content)
        content.show()
        # Buttons only take focus from the keyboard, so a focused one means the patient is
        # using keys: move them into the pop-up. A tap leaves no focus ring behind.
        focused = QApplication.focusWidget()
        keyboard = isinstance(focused, QAbstractButton) or (
            focused is not None and focused.focusPolicy() == Qt.FocusPolicy.TabFocus
        )
        self._return_focus = focused if keyboard else None
        self._cover()
        self.raise_()
        self.show()
        first = content.findChild(QPushButton)
        if keyboard and first is not None:
            first.setFocus(Qt.FocusReason.PopupFocusReason)

    @property
    def content(self) -> QWidget | None:
        return self._content if self.isVisible() else None

    def dismiss(self) -> None:
        if self.isVisible():
            self.hide()
            if self._return_focus is not None and self._return_focus.isVisible():
                self._return_focus.setFocus(Qt.FocusReason.PopupFocusReason)
            self._return_focus = None
            self.closed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.dismissable and not self.card.geometry().contains(event.position().toPoint()):
            self.dismiss()
        event.accept()

    def room(self) -> QSize:
        """The most a card's content can have: the covered area less the margins."""
        margins = self._outer.contentsMargins()
        card = self.card_layout.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        width = width * self.CARD_STRETCH // (self.CARD_STRETCH + 2 * self.SIDE_STRETCH)
        return QSize(
            width - card.left() - card.right(),
            self.height() - margins.top() - margins.bottom() - card.top() - card.bottom(),
        )

    def _cover(self) -> None:
        area = self._host.rect()
        if self._below is not None:
            area.setTop(self._below.geometry().bottom() + 1)
        self.setGeometry(area)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched in (self._host, self._below) and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.Move,
        ):
            self._cover()
        return super().eventFilter(watched, event)


class MessageCard(QWidget):
    """A title, some text (scrolling if long) and a row of large buttons."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.title = ReadableLabel("popupTitle", self)
        self.text = ReadableLabel("popupText", self)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._scroll = KineticScrollArea(self)
        self._scroll.setObjectName("popupScroll")
        holder = QWidget()
        holder.setObjectName("popupTextHolder")
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.text)
        inner.addStretch(1)
        self._scroll.setWidget(holder)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(20)
        # The text column, with room on its left for a picture (the QR card's code).
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(32)
        column = QVBoxLayout()
        column.setSpacing(18)
        column.addWidget(self.title)
        column.addWidget(self._scroll, 1)
        column.addLayout(self.buttons)
        self.row.addLayout(column, 1)

    def set_text(self, title: str, text: str) -> None:
        self.title.set_plain(title)
        self.text.set_plain(text)
        self._scroll.setAccessibleName(title)  # it takes the focus to scroll
        self._scroll.verticalScrollBar().setValue(0)

    def add_button(self, name: str, role: str = "primary") -> QPushButton:
        button = touch_button(role, self, name)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.buttons.addWidget(button)
        return button


class GlossaryCard(MessageCard):
    """A glossary word's plain definition, closed with one tap."""

    close_requested = Signal()

    def __init__(self, read_bar: ReadAloudBar, parent: QWidget | None = None) -> None:
        super().__init__("glossaryCard", parent)
        self.term_id = ""
        self.read_bar = read_bar
        self.buttons.addWidget(read_bar)
        self.close_button = self.add_button("glossaryClose")
        self.close_button.clicked.connect(self.close_requested)
        self.retranslate()

    def show_term(self, term_id: str, term: str, definition: str) -> None:
        self.term_id = term_id
        self.set_text(term, definition)

    def show_terms(self, link: str, terms: Sequence[tuple[str, str]]) -> None:
        """The words of one link, each with its definition ("IV infusion": IV, infusion)."""
        if len(terms) == 1:
            self.show_term(link, *terms[0])
            return
        self.term_id = link
        names = [term for term, _ in terms]
        title = self.tr("{words} and {last}").format(words=", ".join(names[:-1]), last=names[-1])
        self.set_text(title, "\n\n".join(f"{term}: {definition}" for term, definition in terms))

    def readables(self) -> list[Readable]:
        return [self.title, self.text]

    def retranslate(self) -> None:
        label_button(self.close_button, self.tr("Close"), self.tr("Close this explanation"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class IdlePromptCard(MessageCard):
    """Still reading? A countdown before the kiosk starts over for the next person."""

    stay_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("idlePromptCard", parent)
        self.stay_button = self.add_button("idleStayButton")
        self.stay_button.clicked.connect(self.stay_requested)
        self.seconds = 0
        self.retranslate()

    def show_seconds(self, seconds: int) -> None:
        self.seconds = seconds
        self.retranslate()

    def retranslate(self) -> None:
        # Whole words for the count ("1 second", "30 seconds"), never "1 seconds".
        if self.seconds == 1:
            time = self.tr("1 second")
        else:
            time = self.tr("{n} seconds").format(n=self.seconds)
        self.set_text(
            self.tr("Still reading?"),
            self.tr(
                "This screen will start over for the next person in {time}. "
                "Tap anywhere to keep reading."
            ).format(time=time),
        )
        label_button(
            self.stay_button, self.tr("I'm still here"), self.tr("Keep reading where you are")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
