"""The crisis screen: 988, 911 and the front desk, reachable from every screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.model import Crisis
from ui.common.icons import IconSet
from ui.common.scrolling import KineticScrollArea
from ui.common.theme import ThemeApplier
from ui.common.widgets import is_roomy, label_button, repolish, set_icon, touch_button
from ui.read_aloud.bar import ReadAloudBar
from ui.read_aloud.readable import Readable, ReadableLabel

# Two cards sit side by side when each can be at least this many body-text characters wide.
CARD_MIN_CHARS = 30
# Lines of crisis text at most this many characters long (WCAG 1.4.8 asks for 80): on a wide
# screen the cards sit in a centred column instead of lines of 140 characters.
COLUMN_CHARS = 72


class CrisisCard(QFrame):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "crisisCard")
        self.heading = ReadableLabel(f"{name}Heading", self)
        self.heading.setProperty("role", "crisisHeading")
        self.text = ReadableLabel(f"{name}Text", self)
        self.text.setProperty("role", "crisisText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 10, 22, 12)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.text, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_text(self, heading: str, text: str) -> None:
        self.heading.set_plain(heading)
        self.text.set_plain(text)
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

        self.title = ReadableLabel("crisisTitle", self)
        self.intro = ReadableLabel("crisisIntro", self)
        self.intro.setProperty("role", "crisisText")
        self.lifeline = CrisisCard("lifelineCard", self)
        self.emergency = CrisisCard("emergencyCard", self)
        self.front_desk = CrisisCard("frontDeskCard", self)
        self.closing = ReadableLabel("crisisClosing", self)
        self.closing.setProperty("role", "crisisText")
        self.back = touch_button("secondary", self, "crisisBackButton")
        self.back.setProperty("chrome", "compact")
        self.back.clicked.connect(self.back_requested)
        self.read_bar = ReadAloudBar(icons, theme, compact=True, parent=self)

        page = QWidget()
        page.setProperty("role", "screen")
        # 988 across the top, where the eye lands first; 911 and the front desk below it,
        # side by side when there is room (stacked in large text on a small screen).
        self._cards = QGridLayout()
        self._cards.setSpacing(14)
        heading = QHBoxLayout()
        heading.setSpacing(20)
        heading.addWidget(self.title, 1)
        heading.addWidget(self.read_bar, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(self.back, 0, Qt.AlignmentFlag.AlignTop)
        self._column = column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        column.addLayout(heading)
        column.addWidget(self.intro)
        column.addLayout(self._cards)
        column.addWidget(self.closing)
        column.addStretch(1)
        self.scroll_area = KineticScrollArea(self)
        self.scroll_area.setWidget(page)
        # Cards go side by side when the width they really get allows it.
        self.scroll_area.viewport().installEventFilter(self)
        self._page = page
        page.installEventFilter(self)
        self._side_by_side: bool | None = None
        self._fitted_to: tuple[int, int, str, str] | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 10, 24, 8)
        layout.addWidget(self.scroll_area, 1)
        self.retranslate()

    def show_crisis(self, crisis: Crisis) -> None:
        self.crisis = crisis
        self.title.set_plain(crisis.title)
        self.scroll_area.setAccessibleName(crisis.title)  # it takes the focus to scroll
        self.intro.set_plain(crisis.intro)
        self.lifeline.set_text(crisis.lifeline_heading, crisis.lifeline_text)
        self.emergency.set_text(crisis.emergency_heading, crisis.emergency_text)
        self.front_desk.set_text(crisis.front_desk_heading, crisis.front_desk_text)
        self.closing.set_plain(crisis.closing)
        self.refresh_style()

    def readables(self) -> list[Readable]:
        cards = (self.lifeline, self.emergency, self.front_desk)
        return [
            self.title,
            self.intro,
            *(part for card in cards for part in (card.heading, card.text)),
            self.closing,
        ]

    def refresh_style(self) -> None:
        size = self._theme.book.sizes[self._theme.text_size]["chrome_icon"]
        set_icon(
            self.back,
            self._icons.icon("arrow-left", self._theme.colour("secondary_text"), size),
            size,
        )
        self.read_bar.refresh_icons()
        self._arrange()

    def retranslate(self) -> None:
        label_button(self.back, self.tr("Back"), self.tr("Close crisis help"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            self._arrange()
        elif (
            watched is self._page
            and event.type() == QEvent.Type.Resize
            and not self.property("tight")
            and self._page.height() > self.scroll_area.viewport().height()
        ):
            # The estimate before layout said it fitted and the layout says not: tighten.
            self._set_tight(True)
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _arrange(self) -> None:
        area = self.scroll_area.size()
        roomy = is_roomy(area)
        if bool(self.property("roomy")) != roomy:
            # On a big screen 988 is shown at its largest (the stylesheet's roomy rule).
            self.setProperty("roomy", roomy)
            repolish(self.lifeline.heading)
        key = (area.width(), area.height(), self._theme.text_size, self.intro.text())
        if key == self._fitted_to:
            return
        self._fitted_to = key
        # Every way to get help in view without scrolling: if the cards do not all fit at
        # the mode's sizes, the tight sizes (assets/themes.toml) take over.
        self._set_tight(False)
        if self._needed_height(area.width()) > area.height():
            self._set_tight(True)

    def _set_tight(self, tight: bool) -> None:
        if bool(self.property("tight")) != tight or self.property("tight") is None:
            self.setProperty("tight", tight)
            for label in (self.title, self.intro, self.closing, *self._card_labels()):
                repolish(label)
        self._place_cards(self.scroll_area.width())

    def _card_labels(self) -> list[ReadableLabel]:
        cards = (self.lifeline, self.emergency, self.front_desk)
        return [part for card in cards for part in (card.heading, card.text)]

    def _needed_height(self, width: int) -> int:
        for layout in (*(card.layout() for card in self._all_cards()), self._cards, self._column):
            if layout is not None:
                layout.invalidate()
        return self._column.totalHeightForWidth(width)  # the column's margins included

    def _all_cards(self) -> tuple[CrisisCard, ...]:
        return (self.lifeline, self.emergency, self.front_desk)

    def _side_margin(self, width: int) -> int:
        self.intro.ensurePolished()
        card = self.lifeline.layout()
        padding = 0 if card is None else card.contentsMargins().left() * 2 + 8
        column = COLUMN_CHARS * self.intro.fontMetrics().averageCharWidth() + padding
        return max(0, (width - column) // 2)

    def _place_cards(self, width: int) -> None:
        margin = self._side_margin(width)
        self._column.setContentsMargins(margin, 0, margin, 0)
        needed = 2 * CARD_MIN_CHARS * self.intro.fontMetrics().averageCharWidth() + 20
        side_by_side = width - 2 * margin >= needed
        if side_by_side == self._side_by_side:
            return
        self._side_by_side = side_by_side
        for card in self._all_cards():
            self._cards.removeWidget(card)
        self._cards.addWidget(self.lifeline, 0, 0, 1, 2 if side_by_side else 1)
        if side_by_side:
            self._cards.addWidget(self.emergency, 1, 0)
            self._cards.addWidget(self.front_desk, 1, 1)
        else:
            self._cards.addWidget(self.emergency, 1, 0)
            self._cards.addWidget(self.front_desk, 2, 0)
