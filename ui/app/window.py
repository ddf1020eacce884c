"""The kiosk window: the top bar and footer around the current screen, and navigation."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

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
from ui.read_aloud.wiring import ReadAloudWiring
from ui.screens.attract import AttractScreen
from ui.screens.chrome import Footer, TopBar
from ui.screens.overlay import MessageCard, Overlay

if TYPE_CHECKING:
    # Built on first use (or when idle after the first frame), and imported then: the
    # topic screen brings the reader and the checklist, the QR card segno.
    from ui.screens.checklist import QrCard
    from ui.screens.crisis import CrisisScreen
    from ui.screens.home import HomeScreen
    from ui.screens.overlay import GlossaryCard
    from ui.screens.reader import ReaderPlace
    from ui.screens.topic import TopicScreen

logger = logging.getLogger(__name__)


# After the first frame, the screens and cards not built yet are built one at a time once
# the patient has left the screen alone this long (a tap restarts the wait): never under a
# finger, and all of them long before a patient has read the invitation.
PREPARE_AFTER_MS = 250
PREPARED = ("home", "topic", "crisis", "glossary", "sources", "qr")


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
    prepared = Signal()  # every screen and card is built (some time after the first frame)

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

        self._icons = icons
        self._review = review
        self._clinic: tuple[str, str, Callable[[], date]] | None = None
        self.top_bar = TopBar(icons, theme, self)
        self.footer = Footer(self)
        # Only what the first frame shows is built here; the other screens and the pop-up
        # cards are built on first use through their properties (`home`, `topic`, ...),
        # and ahead of it when the patient has left the screen alone (_prepare_next).
        self.attract = AttractScreen(icons, theme)
        self._home: HomeScreen | None = None
        self._topic: TopicScreen | None = None
        self._crisis: CrisisScreen | None = None
        self._glossary: GlossaryCard | None = None
        self._qr: QrCard | None = None
        self._sources: MessageCard | None = None
        self.screens = QStackedWidget(self)
        self.screens.setObjectName("screens")
        self.screens.addWidget(self.attract)
        self.overlay = Overlay(self, below=self.top_bar)
        # The window's own timer (not QTimer.singleShot): it dies with the window.
        self._prepare = QTimer(self)
        self._prepare.setSingleShot(True)
        self._prepare.setInterval(PREPARE_AFTER_MS)
        self._prepare.timeout.connect(self._prepare_next)

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
        self.overlay.closed.connect(lambda: visit.stop_reading("glossary"))
        self.read_aloud = ReadAloudWiring(visit, {}, self)
        visit.preferences_changed.connect(self._show_preferences)
        self._show_preferences(None, visit.preferences)

    # -- screens and cards, built on first use -------------------------------------------------

    @property
    def home(self) -> HomeScreen:
        if self._home is None:
            from ui.screens.home import HomeScreen

            home = self._home = HomeScreen(self._icons, self._theme)
            self.screens.addWidget(home)
            home.topic_requested.connect(self.open_topic)
            home.show_pack(self.pack)
            self._built(home)
        return self._home

    @property
    def topic(self) -> TopicScreen:
        if self._topic is None:
            from ui.screens.topic import TopicScreen

            visit = self._visit
            topic = self._topic = TopicScreen(self._icons, self._theme, self._review)
            self.screens.addWidget(topic)
            topic.home_requested.connect(self.show_home)
            topic.topic_requested.connect(self.open_topic)
            reader = topic.reader
            reader.can_print = self._printer.available
            reader.glossary_requested.connect(self.open_glossary)
            reader.section_opened.connect(lambda _title: visit.count(Interaction.SECTION_OPENED))
            reader.section_toggled.connect(visit.stop_reading)
            reader.sources_requested.connect(self.open_sources)
            reader.checklist.take_home_requested.connect(self.open_qr)
            reader.checklist.print_requested.connect(self.print_list)
            reader.checklist.ticks_changed.connect(self._ticked)
            visit.ticks_changed.connect(self._show_ticks)
            self.read_aloud.add("topic", (topic.read_bar, topic.readables), topic)
            self._built(topic)
        return self._topic

    @property
    def crisis(self) -> CrisisScreen:
        if self._crisis is None:
            from ui.screens.crisis import CrisisScreen

            crisis = self._crisis = CrisisScreen(self._icons, self._theme)
            self.screens.addWidget(crisis)
            crisis.back_requested.connect(self.close_crisis)
            self.read_aloud.add("crisis", (crisis.read_bar, crisis.readables))
            self._built(crisis)
        return self._crisis

    # Pop-up cards belong to the window (the overlay shows one at a time); a parentless
    # widget would never be deleted with the window.
    @property
    def glossary(self) -> GlossaryCard:
        if self._glossary is None:
            from ui.read_aloud.bar import ReadAloudBar
            from ui.screens.overlay import GlossaryCard

            bar = ReadAloudBar(self._icons, self._theme, compact=True)
            glossary = self._glossary = GlossaryCard(bar, self)
            glossary.hide()
            glossary.close_requested.connect(self.overlay.dismiss)
            self.read_aloud.add("glossary", (glossary.read_bar, glossary.readables))
            self._built(glossary)
        return self._glossary

    @property
    def qr(self) -> QrCard:
        if self._qr is None:
            from ui.screens.checklist import QrCard

            qr = self._qr = QrCard(self)
            qr.hide()
            qr.close_requested.connect(self.overlay.dismiss)
            if self._clinic is not None:
                qr.set_clinic(*self._clinic)
            self._built(qr)
        return self._qr

    @property
    def sources(self) -> MessageCard:
        if self._sources is None:
            sources = self._sources = MessageCard("sourcesCard", self)
            sources.hide()
            self._sources_close = sources.add_button("sourcesClose")
            self._sources_close.clicked.connect(self.overlay.dismiss)
            self._built(sources)
        return self._sources

    def _built(self, widget: QWidget) -> None:
        """A screen or card built after the first frame scrolls like the others."""
        if self.property(FIRST_PAINTED):  # else _after_first_paint enables them
            for area in widget.findChildren(KineticScrollArea):
                area.enable_kinetic()

    def _built_screens(self) -> list[AttractScreen | HomeScreen | TopicScreen | CrisisScreen]:
        found = (self.attract, self._home, self._topic, self._crisis)
        return [screen for screen in found if screen is not None]

    def _prepare_next(self) -> None:
        """When the patient leaves the screen alone after the first frame: build the next
        screen or card not built yet, one per turn, so a tap waits for one build at most."""
        for name in PREPARED:
            if getattr(self, "_" + name) is None:
                getattr(self, name)
                self._prepare.start()
                return
        self.prepared.emit()

    @property
    def is_prepared(self) -> bool:
        return all(getattr(self, "_" + name) is not None for name in PREPARED)

    def postpone_preparing(self) -> None:
        """The patient is doing something: build nothing under their finger for a while."""
        if self._prepare.isActive():
            self._prepare.start()

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
        self._prepare.start()

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
        widget: QWidget = getattr(self, screen.value)  # a screen is built on first use
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
            shown = self._topic.topic if self._topic is not None else None
            topic_id = shown.id if shown else ""
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
        if self._qr is not None:
            self._qr.clear()
        if self._topic is not None:
            self._topic.reader.collapse_all()
        for screen in (self._home, self._crisis):
            if screen is not None:
                screen.scroll_area.verticalScrollBar().setValue(0)

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
            if self._glossary is not None:
                self.dismiss(self._glossary)  # not the other language's card left open
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

    def set_clinic_contact(self, name: str, phone: str, today: Callable[[], date]) -> None:
        """What the take-home QR code says of the clinic (its card is built on first use)."""
        self._clinic = (name, phone, today)
        if self._qr is not None:
            self._qr.set_clinic(name, phone, today)

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
        shown = self._topic.topic if self._topic is not None else None
        if shown is not None and shown.id == topic_id:
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
            for screen in self._built_screens():
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
        if self._home is not None:  # else shown as it is built
            self._home.show_pack(pack)
        if self.current is Screen.TOPIC and self.topic.topic is not None:
            # The same topic at the same place in the new language (the same view).
            self.open_topic(self.topic.topic.id, place)
        elif self.current is Screen.CRISIS:
            self.open_crisis()
        content = self.overlay.content
        if content is not None and content is self._glossary:
            self.open_glossary(self._glossary.term_id)
        elif content is not None and content is self._sources:
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
