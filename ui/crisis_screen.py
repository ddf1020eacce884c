"""The crisis screen: 988, 911 and the front desk, reachable from every screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QSizePolicy, QVBoxLayout, QWidget

from kiosk.content.model import Crisis
from ui.icons import IconSet
from ui.scrolling import KineticScrollArea
from ui.theme import ThemeApplier
from ui.widgets import label_button, set_icon, touch_button, wrapping_label

# Cards sit side by side when each can be at least this many body-text characters wide.
CARD_MIN_CHARS = 26


class CrisisCard(QFrame):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "crisisCard")
        self.heading = wrapping_label(f"{name}Heading", self)
        self.heading.setProperty("role", "crisisHeading")
        self.text = wrapping_label(f"{name}Text", self)
        self.text.setProperty("role", "crisisText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.text, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_text(self, heading: str, text: str) -> None:
        self.heading.setText(heading)
        self.text.setText(text)
        self.setAccessibleName(heading)
        self.setAccessibleDescription(text)


class CrisisScreen(QWidget):
    back_requested = Signal()

    def __init__(self, icons: IconSet, theme: ThemeApplier, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "screen")
        self.setObjectName("crisisScreen")
        self._icons = icons
        self._theme = theme
        self.crisis: Crisis | None = None

        self.title = wrapping_label("crisisTitle", self)
        self.intro = wrapping_label("crisisIntro", self)
        self.intro.setProperty("role", "crisisText")
        self.lifeline = CrisisCard("lifelineCard")
        self.emergency = CrisisCard("emergencyCard")
        self.front_desk = CrisisCard("frontDeskCard")
        self.closing = wrapping_label("crisisClosing", self)
        self.closing.setProperty("role", "crisisText")
        self.back = touch_button("secondary", self, "crisisBackButton")
        self.back.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.back.clicked.connect(self.back_requested)

        page = QWidget()
        page.setProperty("role", "screen")
        self._cards = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._cards.setSpacing(20)
        for card in (self.lifeline, self.emergency, self.front_desk):
            self._cards.addWidget(card, 1)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(18)
        column.addWidget(self.title)
        column.addWidget(self.intro)
        column.addLayout(self._cards)
        column.addWidget(self.closing)
        column.addStretch(1)
        self.scroll = KineticScrollArea(self)
        self.scroll.setWidget(page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.back)
        self.retranslate()

    def show_crisis(self, crisis: Crisis) -> None:
        self.crisis = crisis
        self.title.setText(crisis.title)
        self.title.setAccessibleName(crisis.title)
        self.intro.setText(crisis.intro)
        self.lifeline.set_text(crisis.lifeline_heading, crisis.lifeline_text)
        self.emergency.set_text(crisis.emergency_heading, crisis.emergency_text)
        self.front_desk.set_text(crisis.front_desk_heading, crisis.front_desk_text)
        self.closing.setText(crisis.closing)
        self.refresh_style()

    def refresh_style(self) -> None:
        size = self._theme.book.sizes[self._theme.text_size]["button"] * 2
        set_icon(
            self.back,
            self._icons.icon("arrow-left", self._theme.colour("secondary_text"), size),
            size,
        )
        self._arrange()

    def retranslate(self) -> None:
        label_button(self.back, self.tr("Back"), self.tr("Close crisis help"))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _arrange(self) -> None:
        self.intro.ensurePolished()
        needed = 3 * CARD_MIN_CHARS * self.intro.fontMetrics().averageCharWidth() + 2 * 20
        wide = self.scroll.viewport().width() >= needed
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._cards.direction() != direction:
            self._cards.setDirection(direction)
