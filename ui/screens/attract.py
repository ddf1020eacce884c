"""Between visitors: an invitation to start, in every language at once.

A large button per language starts a visit in that language; a tap anywhere else starts it
in the clinic's default language. The crisis button and the not-medical-advice line stay
on screen around it, as on every screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.content.library import ContentLibrary
from ui.common.icons import IconSet
from ui.common.scrolling import KineticScrollArea
from ui.common.theme import ThemeApplier
from ui.common.widgets import label_button, set_icon, touch_button, wrapping_label
from ui.screens.attract_cards import TopicCards

CARD_MAX_WIDTH_PX = 1000  # a card, not a banner, on a wide screen


class AttractScreen(QWidget):
    start_requested = Signal(str)  # a language code, or "" for the default

    def __init__(self, icons: IconSet, theme: ThemeApplier, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "screen")
        self.setObjectName("attractScreen")
        self._icons = icons
        self._theme = theme
        self.icon = QLabel(self)
        self.icon.setObjectName("attractIcon")
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.buttons: dict[str, QPushButton] = {}
        self.titles: dict[str, QLabel] = {}
        self._library: ContentLibrary | None = None
        self._title_shown = ""  # the title the top bar shows, not repeated here
        # In large text two languages' invitations outgrow a small screen: the page scrolls.
        self.page = _TapPage()
        self.page.setProperty("role", "screen")
        # A QWidget subclass paints no stylesheet background without this (Qt's stylesheet
        # reference, "QWidget"): in high contrast the page stayed light behind white text.
        self.page.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.page.tapped.connect(lambda: self.start_requested.emit(""))
        self.icon.setParent(self.page)
        self._column = QVBoxLayout(self.page)
        self._column.setContentsMargins(48, 32, 48, 32)
        self._column.setSpacing(18)
        self._column.addStretch(1)
        self._column.addWidget(self.icon)
        # The topics, one at a time, in a slow loop: what there is to read here.
        self.cards = TopicCards(self.page)
        self.cards.setMaximumWidth(CARD_MAX_WIDTH_PX)
        self._column.addWidget(self.cards, 0, Qt.AlignmentFlag.AlignHCenter)
        self._column.addStretch(1)
        self.scroll_area = KineticScrollArea(self)
        self.scroll_area.setObjectName("attractScroll")
        self.scroll_area.setWidget(self.page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        self.retranslate()

    def show_languages(self, library: ContentLibrary) -> None:
        """One invitation per language (rebuilt only when the content itself changed)."""
        if library is self._library:
            self.refresh_style()
            return
        self._library = library
        for widget in [*self.buttons.values(), *self.titles.values()]:
            self._column.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self.buttons, self.titles = {}, {}
        self.cards.set_cards(_topic_cards(library))
        at = self._column.count() - 1  # before the bottom stretch
        for code, _name in library.languages:
            pack = library.pack(code)
            title = wrapping_label("attractTitle", self.page)
            title.setText(pack.title)
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            button = touch_button("primary", self.page, "attractStart")
            button.setProperty("language", code)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            label_button(button, pack.start_button, pack.title)
            button.clicked.connect(lambda _=False, c=code: self.start_requested.emit(c))
            self._column.insertWidget(at, title)
            self._column.insertWidget(at + 1, button)
            at += 2
            self.titles[code], self.buttons[code] = title, button
        self._hide_repeated_title()
        self.refresh_style()

    def set_title_shown(self, text: str) -> None:
        """The title above this screen (the top bar's): a language's title that says the
        same (no clinic name set) is not said twice."""
        self._title_shown = text
        self._hide_repeated_title()

    def _hide_repeated_title(self) -> None:
        for title in self.titles.values():
            title.setVisible(title.text() != self._title_shown)

    def retranslate(self) -> None:
        # The page takes the focus (arrow keys scroll it): a screen reader names it.
        self.scroll_area.setAccessibleName(self.tr("Welcome"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh_style(self) -> None:
        size = self._theme.book.sizes[self._theme.text_size]["title"] * 3
        self.icon.setPixmap(
            self._icons.pixmap(
                "book-open", self._theme.colour("heading"), size, self.devicePixelRatioF()
            )
        )
        card_icon = self._theme.book.sizes[self._theme.text_size]["title"] * 2
        colour, ratio = self._theme.colour("heading"), self.devicePixelRatioF()
        self.cards.set_icons(lambda name: self._icons.pixmap(name, colour, card_icon, ratio))
        button_size = self._theme.book.sizes[self._theme.text_size]["button"] * 2
        for button in self.buttons.values():
            set_icon(
                button,
                self._icons.icon("arrow-right", self._theme.colour("accent_text"), button_size),
                button_size,
            )


def _topic_cards(library: ContentLibrary) -> list[tuple[str, tuple[str, ...]]]:
    """Each topic of the first language, with its short title in every language that has it."""
    packs = [library.pack(code) for code, _name in library.languages]
    if not packs:
        return []
    cards = []
    for topic in packs[0].topics:
        titles = [topic.tile_title]
        for pack in packs[1:]:
            other = pack.topic(topic.id)
            if other is not None:
                titles.append(other.tile_title)
        cards.append((topic.icon, tuple(titles)))
    return cards


class _TapPage(QWidget):
    """A tap anywhere on the invitation starts, as it says; a drag only scrolls it."""

    tapped = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        # QScroller withholds the release from the page once a touch becomes a drag.
        if self.rect().contains(event.position().toPoint()):
            self.tapped.emit()
        event.accept()
