"""The kiosk window: the top bar and footer around the current screen, and navigation."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.content.library import ContentLibrary
from kiosk.content.markdown import glossary_ids
from kiosk.content.model import CRISIS_TOPIC_ID, Pack, Reliability
from kiosk.content.review import ReviewCalendar
from kiosk.theme import HIGH_CONTRAST, LARGE, STANDARD
from kiosk.viewlog.events import Interaction
from kiosk.visit import Preferences
from ui.app.visit import Visit
from ui.common.i18n import Translations
from ui.common.icons import IconSet
from ui.common.printer import Printer
from ui.common.scrolling import FIRST_PAINTED, KineticScrollArea
from ui.common.theme import ThemeApplier
from ui.common.widgets import label_button
from ui.read_aloud.bar import ReadAloudBar
from ui.read_aloud.wiring import ReadAloudWiring
from ui.screens.attract import AttractScreen
from ui.screens.checklist import QrCard
from ui.screens.chrome import Footer, TopBar
from ui.screens.crisis import CrisisScreen
from ui.screens.home import HomeScreen
from ui.screens.overlay import GlossaryCard, MessageCard, Overlay
from ui.screens.reader import ReaderPlace
from ui.screens.topic import TopicScreen

logger = logging.getLogger(__name__)


class Screen(StrEnum):
    ATTRACT = "attract"
    HOME = "home"
    TOPIC = "topic"
    CRISIS = "crisis"


class KioskWindow(QWidget):
    """The screens around one visit; every navigation goes through `_go`."""

    screen_changed = Signal(str)
    visit_requested = Signal(str)  # the invitation was tapped: a language code, or ""
    staff_left = Signal()
    first_painted = Signal()

    def __init__(
        self,
        library: ContentLibrary,
        visit: Visit,
        theme: ThemeApplier,
        icons: IconSet,
        translations: Translations,
        printer: Printer,
        review: ReviewCalendar,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # The window itself holds focus until someone uses Tab, so no button starts ringed.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._library = library
        self._visit = visit
        self._theme = theme
        self._translations = translations
        self._printer = printer
        self.current = Screen.ATTRACT  # a fresh kiosk waits for its first visitor
        self._painted = False
        self.staff: QWidget | None = None
        # Where crisis help was opened from, to go back to the same place in the same topic.
        self._before_crisis: tuple[Screen, str, ReaderPlace | None] = (Screen.HOME, "", None)

        self.top_bar = TopBar(icons, theme, self)
        self.footer = Footer(self)
        self.attract = AttractScreen(icons, theme)
        self.home = HomeScreen(icons, theme)
        self.topic = TopicScreen(icons, theme, review)
        self.crisis = CrisisScreen(icons, theme)
        self.screens = QStackedWidget(self)
        self.screens.setObjectName("screens")
        for screen in (self.attract, self.home, self.topic, self.crisis):
            self.screens.addWidget(screen)
        self.overlay = Overlay(self, below=self.top_bar)
        # Pop-up cards belong to the window from the start (the overlay shows one at a time);
        # a parentless widget would never be deleted with the window.
        self.glossary = GlossaryCard(ReadAloudBar(icons, theme, compact=True), self)
        self.qr = QrCard(self)
        self.sources = MessageCard("sourcesCard", self)
        for card in (self.glossary, self.qr, self.sources):
            card.hide()
        self._sources_close = self.sources.add_button("sourcesClose")
        self._sources_close.clicked.connect(self.overlay.dismiss)
        self.topic.reader.can_print = printer.available

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.screens, 1)
        layout.addWidget(self.footer)

        self.attract.start_requested.connect(self.visit_requested)
        self.top_bar.crisis_requested.connect(self.open_crisis)
        self.top_bar.language_requested.connect(self.set_language)
        self.top_bar.large_text_toggled.connect(visit.set_large_text)
        self.top_bar.high_contrast_toggled.connect(visit.set_high_contrast)
        self.home.topic_requested.connect(self.open_topic)
        self.topic.home_requested.connect(self.show_home)
        self.topic.topic_requested.connect(self.open_topic)
        self.crisis.back_requested.connect(self.close_crisis)
        reader = self.topic.reader
        reader.glossary_requested.connect(self.open_glossary)
        reader.section_opened.connect(lambda _title: visit.count(Interaction.SECTION_OPENED))
        reader.section_toggled.connect(visit.stop_reading)
        reader.sources_requested.connect(self.open_sources)
        reader.checklist.take_home_requested.connect(self.open_qr)
        reader.checklist.print_requested.connect(self.print_list)
        reader.checklist.ticks_changed.connect(self._ticked)
        visit.ticks_changed.connect(self._show_ticks)
        self.glossary.close_requested.connect(self.overlay.dismiss)
        self.qr.close_requested.connect(self.overlay.dismiss)
        self.overlay.closed.connect(lambda: visit.stop_reading("glossary"))
        self.read_aloud = ReadAloudWiring(
            visit,
            {
                "topic": (self.topic.read_bar, self.topic.readables),
                "crisis": (self.crisis.read_bar, self.crisis.readables),
                "glossary": (self.glossary.read_bar, self.glossary.readables),
            },
            self,
            steerable={"topic": self.topic},
        )
        visit.preferences_changed.connect(self._show_preferences)
        self._show_preferences(None, visit.preferences)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # After this paint reaches the screen, not during it.
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        # Work that may wait until the patient can see something (see KineticScrollArea).
        self.setProperty(FIRST_PAINTED, True)
        for area in self.findChildren(KineticScrollArea):
            area.enable_kinetic()
        self.first_painted.emit()

    # -- what is shown ---------------------------------------------------------------------

    @property
    def pack(self) -> Pack:
        return self._library.pack(self._visit.preferences.language)

    def _go(
        self, screen: Screen, view: str = "", prepare: Callable[[], None] | None = None
    ) -> None:
        """Every navigation: speech stops, pop-ups close, the view left is recorded and the
        one opened (`view`, a topic id) begins; `prepare` fills the screen before it shows."""
        self._visit.stop_reading()
        self.overlay.dismiss()
        self._visit.view_ended()
        if prepare is not None:
            prepare()
        if view:
            self._visit.view_started(view)
        self.current = screen
        widget = {
            Screen.ATTRACT: self.attract,
            Screen.HOME: self.home,
            Screen.TOPIC: self.topic,
            Screen.CRISIS: self.crisis,
        }[screen]
        self.screens.setCurrentWidget(widget)
        self.screen_changed.emit(screen.value)

    def show_home(self) -> None:
        self._go(Screen.HOME)

    def show_attract(self) -> None:
        """Between visitors: the invitation to start, in every language."""
        self._go(Screen.ATTRACT)

    def open_topic(self, topic_id: str, place: ReaderPlace | None = None) -> None:
        """Show a topic from its top, or at `place` (the same topic again: another language,
        or back from crisis help) with the same sections open."""
        if topic_id == CRISIS_TOPIC_ID:
            self.open_crisis()
            return
        pack = self.pack
        topic = pack.topic(topic_id)
        if topic is None:
            logger.warning("asked for unknown topic %r; going home", topic_id)
            self.show_home()
            return
        ticks = self._visit.ticks(topic.id)
        self._go(Screen.TOPIC, topic.id, lambda: self.topic.show_topic(pack, topic, ticks))
        if place is not None:
            self.topic.reader.restore(place)

    def open_crisis(self) -> None:
        if self.current is not Screen.CRISIS:
            topic_id = self.topic.topic.id if self.topic.topic else ""
            place = self.topic.reader.place() if self.current is Screen.TOPIC else None
            self._before_crisis = (self.current, topic_id, place)
        crisis = self.pack.crisis
        self._go(Screen.CRISIS, CRISIS_TOPIC_ID, lambda: self.crisis.show_crisis(crisis))

    def close_crisis(self) -> None:
        screen, topic_id, place = self._before_crisis
        if screen is Screen.TOPIC and topic_id:
            self.open_topic(topic_id, place)
        elif screen is Screen.ATTRACT:
            self.show_attract()
        else:
            self.show_home()

    def recover(self) -> None:
        """After an unexpected error: close what is open and go somewhere known to work."""
        if self.current is Screen.ATTRACT:
            self.show_attract()
        else:
            self.show_home()

    def start_over(self) -> None:
        """For the next visitor: the invitation, every section closed, every page at its top.
        (What the visitor chose is the visit's to put back: Visit.reset.)"""
        self.show_attract()
        self.qr.clear()
        self.topic.reader.collapse_all()
        self.home.scroll_area.verticalScrollBar().setValue(0)
        self.crisis.scroll_area.verticalScrollBar().setValue(0)

    # -- pop-ups -----------------------------------------------------------------------------

    def present(self, card: QWidget, counted: Interaction | None = None) -> None:
        """Every pop-up: speech stops and the card shows (and is counted, if it is counted)."""
        self._visit.stop_reading()
        self.overlay.present(card)
        if counted is not None:
            self._visit.count(counted)

    def dismiss(self, card: QWidget) -> None:
        """Close `card` if it is the pop-up on screen."""
        if self.overlay.content is card:
            self.overlay.dismiss()

    def open_glossary(self, link: str) -> None:
        """A glossary link's words: one term, or the terms of adjacent words joined as one."""
        terms = []
        for term_id in glossary_ids(link):
            term = self.pack.glossary.get(term_id)
            if term is None:
                logger.warning(
                    "glossary term %r is missing from the %s pack", term_id, self.pack.language
                )
                continue  # the link's other words still explain themselves
            terms.append((term.term, term.definition))
        if not terms:
            self.dismiss(self.glossary)  # not the other language's card left open
            return
        self.glossary.show_terms(link, terms)
        self.present(self.glossary, Interaction.GLOSSARY_OPENED)

    def open_qr(self, heading: str, questions: tuple[str, ...]) -> None:
        """The ticked questions as a QR code (counted; never which questions)."""
        self.present(self.qr)
        self.qr.show_questions(heading, questions, self.pack.language, self.overlay.room())
        self._visit.count(Interaction.QR_SHOWN)

    def print_list(self, title: str, text: str) -> None:
        self._printer.print_text(title, text)
        self._visit.count(Interaction.LIST_PRINTED)

    def open_sources(self) -> None:
        """Where this topic's information comes from, and whether a clinician reviewed it."""
        topic = self.topic.topic
        if topic is None:
            return
        lines = [self.topic.review.text(), ""]
        # Never a commercial source, whatever the topic cites (Pack.patient_sources).
        for n, source in enumerate(self.pack.patient_sources(topic), 1):
            lines.append(f"{n}. {source.citation}")
            if source.url:
                lines.append(f"   {source.url}")
            if source.reliability is Reliability.SECONDARY:
                lines.append("   " + self.tr("We read this second-hand, in a report or summary."))
        self.sources.set_text(self.tr("Where this information comes from"), "\n".join(lines))
        label_button(self._sources_close, self.tr("Close"))
        self.present(self.sources, Interaction.SOURCES_OPENED)

    def set_clinic(self, name: str, logo: Path | None) -> None:
        """The clinic's name (in place of the pack title) and logo, at the top of every screen."""
        self.top_bar.set_clinic(name, logo)
        self.attract.set_title_shown(self.top_bar.title.text())

    # -- preferences -------------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        if self._library.has(language):
            self._visit.set_language(language)

    # -- staff -----------------------------------------------------------------------------

    def show_staff(self, area: QWidget) -> None:
        """Cover the patient screens with the staff area (it asks for the PIN first)."""
        self._visit.stop_reading()
        self.overlay.dismiss()
        self._visit.view_ended()
        self.staff = area
        area.setParent(self)
        area.setGeometry(self.rect())
        area.show()
        area.raise_()

    def hide_staff(self) -> None:
        """Staff are done: the kiosk goes back to patients (VisitFlow resets it)."""
        if self.staff is not None:
            self.staff.hide()
        self.staff = None
        self.staff_left.emit()

    @property
    def library(self) -> ContentLibrary:
        return self._library

    def set_library(self, library: ContentLibrary) -> None:
        """New content (staff reloaded it): show it from the start."""
        self._library = library
        visit = self._visit
        if not library.has(visit.preferences.language):
            visit.defaults = visit.defaults.with_(language=library.languages[0][0])
        visit.change(visit.defaults, anew=True)
        self.show_attract()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.staff is not None:
            self.staff.setGeometry(self.rect())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Escape closes a pop-up for keyboard users; it never leaves the kiosk.
        if event.key() == Qt.Key.Key_Escape and self.overlay.isVisible():
            if self.overlay.dismissable:
                self.overlay.dismiss()
            return
        super().keyPressEvent(event)

    def _ticked(self, places: tuple[int, ...]) -> None:
        if self.topic.topic is not None:
            self._visit.set_ticks(self.topic.topic.id, places)

    def _show_ticks(self, topic_id: str, places: tuple[int, ...]) -> None:
        if self.topic.topic is not None and self.topic.topic.id == topic_id:
            self.topic.reader.checklist.show_ticks(places)

    def _show_preferences(self, old: Preferences | None, new: Preferences) -> None:
        """The screens follow the visitor's language, text size and contrast; a topic being
        read stays at the same place."""
        language_changed = old is None or old.language != new.language
        style_changed = old is None or (old.large_text, old.high_contrast) != (
            new.large_text,
            new.high_contrast,
        )
        place = None
        if (language_changed or style_changed) and self.current is Screen.TOPIC:
            place = self.topic.reader.place()  # before the text changes under it
        if language_changed:
            self._translations.use(new.language)
        if style_changed:
            self._theme.apply(
                HIGH_CONTRAST if new.high_contrast else STANDARD,
                LARGE if new.large_text else STANDARD,
            )
        self.top_bar.show_modes(new.large_text, new.high_contrast)
        self.footer.set_compact(new.large_text)
        if language_changed:
            self._show_pack(place)
        elif style_changed:
            for screen in (self.attract, self.home, self.topic, self.crisis):
                screen.refresh_style()
            if place is not None:
                self.topic.reader.restore(place)

    def _show_pack(self, place: ReaderPlace | None = None) -> None:
        pack = self.pack
        # What a screen reader says as the window comes up, in the visitor's language.
        self.setWindowTitle(pack.title)
        self.top_bar.set_languages(self._library.languages, pack.language)
        self.top_bar.set_title(pack.title)
        self.footer.set_text(pack.disclaimer)
        self.attract.show_languages(self._library)
        self.attract.set_title_shown(self.top_bar.title.text())
        self.home.show_pack(pack)
        if self.current is Screen.TOPIC and self.topic.topic is not None:
            # The same topic at the same place in the new language (the same view).
            self.open_topic(self.topic.topic.id, place)
        elif self.current is Screen.CRISIS:
            self.open_crisis()
        if self.overlay.content is self.glossary:
            self.open_glossary(self.glossary.term_id)
        elif self.overlay.content is self.sources:
            self.open_sources()


def show_kiosk(window: QWidget, windowed: bool) -> None:
    """Full screen and on top, also without a window manager; or a normal window."""
    if windowed:
        # Also on the way out of kiosk mode: a normal, framed window that others can cover.
        window.setWindowFlags(Qt.WindowType.Window)
        window.resize(1280, 800)
        window.showNormal()
        window.setFocus()
        return
    window.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        # Without a window manager showFullScreen() may not resize the window.
        window.setGeometry(screen.geometry())
    window.showFullScreen()
    window.setFocus()
