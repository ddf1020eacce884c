"""The topic reader: the body as one finger-scrolled page, "learn more" sections that open
with a tap, glossary words that open with a tap, and read-aloud highlighting."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleTextCursorEvent,
    QAccessibleTextSelectionEvent,
    QColor,
    QFocusEvent,
    QMouseEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.markdown import GLOSSARY_SCHEME
from kiosk.content.model import Section, Topic, TopicKind
from ui.common.icons import IconSet
from ui.common.scrolling import KineticScrollArea
from ui.common.theme import ThemeApplier
from ui.common.widgets import (
    FOCUS,
    MIN_TARGET,
    LayoutButton,
    label_button,
    set_icon,
    touch_button,
    wrapping_label,
)
from ui.read_aloud.readable import (
    HighlightColours,
    Readable,
    ReadableButton,
    ReadableLabel,
    Span,
    scroll_to,
)
from ui.screens.checklist import ChecklistView
from ui.screens.table_header import StickyTableHeader

# A finger covers ~10 mm; a glossary word may be half that tall. Accept taps this far off.
TAP_SLOP_PX = 18
# A link's words are shorter than a fingertip; a tap this tall a band around them (centred on
# the words, and only where no other link's words are) still opens it.
LINK_TARGET_PX = 48
# Further than this between press and release is a drag (scrolling), not a tap.
DRAG_DISTANCE_PX = 12
# A place put back is kept while the page settles into its new layout (fonts, wrapping).
SETTLE_MS = 400


@dataclass(frozen=True, slots=True)
class ReaderPlace:
    """Where a reader was: the sections open, and which paragraph was at the top of the view
    and how far into it. By position, not by pixels or words, so the same place is found in
    the other language or the other text size."""

    open_sections: tuple[int, ...] = ()
    paragraph: int = 0
    fraction: float = 0.0


# Where anchor_near looks around a tap, nearest first, in steps of a few pixels.
_SLOP_OFFSETS = sorted(
    (
        (dx, dy)
        for dx in range(-TAP_SLOP_PX, TAP_SLOP_PX + 1, 3)
        for dy in range(-TAP_SLOP_PX, TAP_SLOP_PX + 1, 3)
    ),
    key=lambda offset: offset[0] ** 2 + offset[1] ** 2,
)


# Lines of body text at most this many characters (WCAG 1.4.8 asks for 80): on a wide screen
# the page is a centred column, so the eye finds the start of the next line.
COLUMN_CHARS = 72
PAGE_MARGIN = 28


class BodyView(QTextBrowser):
    """A run of topic text that is exactly as tall as its content (the page scrolls, not it)."""

    link_tapped = Signal(str)
    text_tapped = Signal(int)  # a tap on the words, not a link: the position in the text

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setProperty("role", "body")
        self.setObjectName(f"body-{key}")
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # No selecting or dragging text (a kiosk has nothing to copy to); links stay
        # reachable with Tab and Enter, and taps are handled below with a generous slop.
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
        self.anchorClicked.connect(self._anchor_clicked)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._press: QPoint | None = None
        self._sentence: Span | None = None
        self._html = ""
        self.viewport().installEventFilter(self)

    def show_html(self, html: str, css: str) -> None:
        self._html = html
        self.restyle(css)

    def restyle(self, css: str) -> None:
        """Re-render with a theme's document CSS (from the source HTML: Qt's own toHtml()
        would carry the old theme's colours as inline styles)."""
        self.setExtraSelections([])
        self.document().setDefaultStyleSheet(css)
        self.setHtml(self._html)
        self._fit_height()

    def _fit_height(self) -> None:
        height = math.ceil(self.document().size().height()) + 2 * self.frameWidth() + 4
        if self.height() != height:
            self.setFixedHeight(height)

    def anchor_near(self, point: QPoint) -> str:
        """The link at a point; else the link whose 48 px tall band holds it (the nearest
        such, by its words' centre); else the nearest within a fingertip of it."""
        anchor = self.anchorAt(point)
        if anchor:
            return anchor  # on a link's own words: that one is meant
        half = LINK_TARGET_PX // 2
        banded = [
            (abs(box.center().y() - point.y()), abs(box.center().x() - point.x()), href)
            for href, box in self._link_boxes(
                point.y() - LINK_TARGET_PX, point.y() + LINK_TARGET_PX
            )
            if box.left() <= point.x() <= box.right() and abs(box.center().y() - point.y()) <= half
        ]
        if banded:
            return min(banded)[2]
        for dx, dy in _SLOP_OFFSETS:
            anchor = self.anchorAt(point + QPoint(dx, dy))
            if anchor:
                return anchor
        return ""

    def _link_boxes(self, top: int, bottom: int) -> list[tuple[str, QRect]]:
        """Each link's words, one box per line, on the lines between `top` and `bottom`
        (viewport coordinates)."""
        document = self.document()
        offset = self.verticalScrollBar().value()
        boxes: dict[tuple[str, int], QRect] = {}
        block = document.begin()
        while block.isValid():
            area = document.documentLayout().blockBoundingRect(block).translated(0, -offset)
            if area.bottom() >= top and area.top() <= bottom:
                it = block.begin()
                while not it.atEnd():
                    fragment = it.fragment()
                    href = fragment.charFormat().anchorHref()
                    start, end = fragment.position(), fragment.position() + fragment.length()
                    for position in range(start, end + 1) if href else ():
                        cursor = QTextCursor(document)
                        cursor.setPosition(position)
                        rect = self.cursorRect(cursor)
                        key = (href, rect.top())
                        boxes[key] = boxes[key].united(rect) if key in boxes else rect
                    it += 1
            block = block.next()
        return [(href, box) for (href, _top), box in boxes.items()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and isinstance(event, QMouseEvent):
            if event.type() == QEvent.Type.MouseButtonPress:
                self._press = event.position().toPoint()
            elif event.type() == QEvent.Type.MouseButtonRelease and self._press is not None:
                moved = (event.position().toPoint() - self._press).manhattanLength()
                self._press = None
                if moved <= DRAG_DISTANCE_PX:
                    anchor = self.anchor_near(event.position().toPoint())
                    if anchor:
                        self._anchor_clicked(QUrl(anchor))
                        return True
                    self._tapped(event.position().toPoint())
        return super().eventFilter(watched, event)

    def _tapped(self, point: QPoint) -> None:
        """A tap on the text itself (a tap that stops a fling never gets here: QScroller
        consumes that press)."""
        if 0 <= point.y() <= self.document().size().height():
            self.text_tapped.emit(self.cursorForPosition(point).position())

    def _anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith(GLOSSARY_SCHEME):
            self.link_tapped.emit(text[len(GLOSSARY_SCHEME) :])

    def focusNextPrevChild(self, next: bool) -> bool:
        moved = super().focusNextPrevChild(next)  # Tab: the next link in the text, if any
        self._link_focused()
        return moved

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._link_focused()

    def _link_focused(self) -> None:
        """Tab onto a link inside the text (Qt selects it): a screen reader says the link's
        words. Qt tells it nothing of a link selected by keyboard, so Orca said only "tab"."""
        cursor = self.textCursor()
        on_link = self.hasFocus() and cursor.hasSelection() and cursor.charFormat().isAnchor()
        words = cursor.selectedText().strip() if on_link else ""
        name = self.tr("{words}, link").format(words=words) if words else ""
        if name != self.accessibleName():
            self.setAccessibleName(name)
            if name:
                # Orca ignores a name change of the object it is on; a selection it hears.
                event = QAccessibleTextSelectionEvent(
                    self, cursor.selectionStart(), cursor.selectionEnd()
                )
                QAccessible.updateAccessibility(event)
                QAccessible.updateAccessibility(QAccessibleTextCursorEvent(self, cursor.position()))

    def reading_text(self) -> str:
        # Offsets into this text are positions in the document (Qt writes its paragraph
        # and table-frame separators as one "\n" each), so highlights land on the words.
        return self.toPlainText()

    def highlight(
        self, sentence: Span | None, word: Span | None, colours: HighlightColours
    ) -> None:
        """Mark the sentence (and word) being heard; None clears."""
        self._sentence = sentence
        selections: list[QTextEdit.ExtraSelection] = []
        for span, background, foreground in (
            (sentence, colours.sentence, None),
            (word, colours.word, colours.word_text),
        ):
            if span is None or span[0] < 0:
                continue
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(span[0])
            cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(background))
            if foreground:
                fmt.setForeground(QColor(foreground))
            selection.format = fmt
            selections.append(selection)
        self.setExtraSelections(selections)

    def reveal(self, position: int) -> None:
        sentence = self._sentence
        end = self.cursor_rect(sentence[1]).bottom() if sentence and sentence[1] >= 0 else None
        scroll_to(self, self.cursor_top(position), end)

    def paragraph_spans(self, page: QWidget) -> list[tuple[int, int]]:
        """The top (in `page`'s coordinates) and height of each paragraph of the text."""
        layout = self.document().documentLayout()
        origin = self.viewport().mapTo(page, QPoint(0, 0)).y()
        spans: list[tuple[int, int]] = []
        block = self.document().begin()
        while block.isValid():
            rect = layout.blockBoundingRect(block)
            spans.append((origin + round(rect.top()), max(1, round(rect.height()))))
            block = block.next()
        return spans

    def cursor_top(self, position: int) -> int:
        """The y of a character position, in this widget's coordinates."""
        return self.cursor_rect(position).top()

    def cursor_rect(self, position: int) -> QRect:
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(position, self.document().characterCount() - 1))
        return self.cursorRect(cursor)


class ExpanderButton(LayoutButton):
    """A section's title as a large button whose text wraps (long titles, large text)."""

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"expander-{index}")
        self.setProperty("role", "expander")
        self.setCheckable(True)
        self.setFocusPolicy(FOCUS)
        self.setAutoDefault(False)
        self.setMinimumHeight(MIN_TARGET)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.chevron = QLabel(self)
        self.chevron.setObjectName("expanderChevron")
        self.title = wrapping_label("expanderText", self)
        for child in (self.chevron, self.title):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 10, 18, 10)
        row.setSpacing(14)
        row.addWidget(self.chevron, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.title, 1)

    def set_title(self, text: str) -> None:
        self.title.setText(text)
        self.setAccessibleName(text)


class SectionBlock(QWidget):
    """A "learn more" section: a large button that opens and closes the text below it.

    Blocks are reused from topic to topic, and a section's text view is only built the
    first time it is opened: most sections are never opened, and a tap must feel instant.
    """

    toggled = Signal(bool)
    link_tapped = Signal(str)
    text_tapped = Signal(object, int)  # the section's BodyView, the position tapped

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.section: Section | None = None
        self.button = ExpanderButton(index, self)
        self._body: BodyView | None = None
        self._css = ""
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self._layout.addWidget(self.button)
        self.button.toggled.connect(self._toggled)

    @property
    def title(self) -> str:
        return self.section.title if self.section else ""

    @property
    def body(self) -> BodyView:
        """The section's text, built on first use."""
        if self._body is None:
            self._body = BodyView(f"section-{self.index}", self)
            self._body.link_tapped.connect(self.link_tapped)
            body = self._body
            body.text_tapped.connect(lambda position: self.text_tapped.emit(body, position))
            self._body.hide()
            self._layout.addWidget(self._body)
            if self.section is not None:
                self._body.show_html(self.section.html, self._css)
        return self._body

    def show_section(self, section: Section, css: str) -> None:
        self.button.blockSignals(True)
        self.button.setChecked(False)
        self.button.blockSignals(False)
        self.section, self._css = section, css
        self.button.set_title(section.title)
        if self._body is not None:
            self._body.hide()
            self._body.show_html(section.html, css)

    def restyle(self, css: str) -> None:
        self._css = css
        if self._body is not None and self._body.document().defaultStyleSheet() != css:
            self._body.restyle(css)

    def _toggled(self, open_: bool) -> None:
        self.body.setVisible(open_)
        self.toggled.emit(open_)

    def collapse(self) -> None:
        self.button.setChecked(False)

    def set_open(self, open_: bool) -> None:
        """Open or close without `toggled`: a place put back, not a tap (nothing counted)."""
        self.button.blockSignals(True)
        self.button.setChecked(open_)
        self.button.blockSignals(False)
        if open_ or self._body is not None:
            self.body.setVisible(open_)


class TopicReader(KineticScrollArea):
    glossary_requested = Signal(str)
    section_opened = Signal(str)
    section_toggled = Signal()
    sources_requested = Signal()
    text_tapped = Signal(object, int)  # a readable (BodyView) and the position tapped in it

    def __init__(self, icons: IconSet, theme: ThemeApplier, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self._icons = icons
        self._theme = theme
        self._page = QWidget()
        self._page.setObjectName("readerPage")
        self._layout = QVBoxLayout(self._page)
        self._layout.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 28)
        self._layout.setSpacing(16)
        self.setWidget(self._page)
        self.intro = BodyView("intro", self._page)
        self.intro.link_tapped.connect(self.glossary_requested)
        # A checklist topic's questions sit where its bullet list was, then any text after.
        self.checklist = ChecklistView(icons, theme, self._page)
        self.after_checklist = BodyView("after-checklist", self._page)
        self.after_checklist.link_tapped.connect(self.glossary_requested)
        self.can_print = False
        self._blocks: list[SectionBlock] = []
        self.care_team = ReadableLabel("careTeamPrompt", self._page)
        self.sources = touch_button("secondary", self._page, "sourcesButton")
        self.sources.clicked.connect(self.sources_requested)
        self.sources.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        for widget in (self.intro, self.checklist, self.after_checklist, self.care_team):
            self._layout.addWidget(widget)
        self._layout.addWidget(self.sources, 0, Qt.AlignmentFlag.AlignLeft)
        self._layout.addStretch(1)
        self._topic: Topic | None = None
        self._pending: ReaderPlace | None = None  # a place being put back (restore)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._settled)
        self.verticalScrollBar().rangeChanged.connect(self._apply_pending)
        for view in (self.intro, self.after_checklist):
            self._relay_taps(view)
        # A comparison table's header row stays in view while its rows scroll by.
        self.sticky_header = StickyTableHeader(self, self._text_views)
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self.sticky_header.update_position)
        bar.rangeChanged.connect(self.sticky_header.update_position)
        self.retranslate()

    def _relay_taps(self, view: BodyView) -> None:
        view.text_tapped.connect(lambda position: self.text_tapped.emit(view, position))

    def _text_views(self) -> list[BodyView]:
        views = [self.intro, self.after_checklist]
        return views + [block.body for block in self.sections if block.button.isChecked()]

    def set_heading(self, heading: QWidget) -> None:
        """A heading (the topic's title) at the top of the page, scrolling with it."""
        heading.setParent(self._page)
        self._layout.insertWidget(0, heading)

    @property
    def sections(self) -> list[SectionBlock]:
        """The section blocks of the topic shown (spare ones are hidden and not listed)."""
        count = len(self._topic.sections) if self._topic else 0
        return self._blocks[:count]

    def show_topic(self, topic: Topic, care_team_prompt: str, ticks: tuple[int, ...] = ()) -> None:
        """Show a topic from its top, every section closed (`ticks`: a checklist's ticks)."""
        self._topic = topic
        self._settled()
        # The page takes the focus (arrow keys scroll it): a screen reader names it.
        self.setAccessibleName(topic.title)
        css = self._theme.document_css
        self.intro.show_html(topic.intro.html, css)
        while len(self._blocks) < len(topic.sections):
            block = SectionBlock(len(self._blocks), self._page)
            block.link_tapped.connect(self.glossary_requested)
            block.text_tapped.connect(self.text_tapped)
            block.toggled.connect(lambda open_, b=block: self._section_toggled(b, open_))
            # Sections follow the intro, the checklist and the text after it.
            at = self._layout.indexOf(self.after_checklist) + 1 + len(self._blocks)
            self._layout.insertWidget(at, block)
            self._blocks.append(block)
        for block, section in zip(self._blocks, topic.sections, strict=False):
            block.show_section(section, css)
            block.show()
        for block in self._blocks[len(topic.sections) :]:
            block.hide()
        self.care_team.set_plain(care_team_prompt)
        is_checklist = topic.kind is TopicKind.CHECKLIST
        self.checklist.setVisible(is_checklist)
        if is_checklist:
            self.checklist.show_questions(topic.title, topic.checklist, self.can_print, ticks)
        after = topic.after_checklist
        self.after_checklist.setVisible(after is not None)
        if after is not None:
            self.after_checklist.show_html(after.html, css)
        self.verticalScrollBar().setValue(0)  # styled by TopicScreen.refresh_style

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_column()

    def _fit_column(self) -> None:
        self.intro.ensurePolished()
        column = COLUMN_CHARS * self.intro.fontMetrics().averageCharWidth()
        side = max(PAGE_MARGIN, (self.viewport().width() - column) // 2)
        margins = self._layout.contentsMargins()
        if margins.left() != side:
            self._layout.setContentsMargins(side, margins.top(), side, margins.bottom())

    def refresh_style(self) -> None:
        self._fit_column()
        css = self._theme.document_css
        size = self._theme.book.sizes[self._theme.text_size]["body"] * 2
        colour = self._theme.colour("heading")
        for view in (self.intro, self.after_checklist):
            if view.document().defaultStyleSheet() != css:
                view.restyle(css)
        self.checklist.refresh_style()
        set_icon(
            self.sources,
            self._icons.icon("book-open", self._theme.colour("secondary_text"), size),
            size,
        )
        for block in self.sections:
            block.restyle(css)
            name = "chevron-up" if block.button.isChecked() else "chevron-down"
            block.button.chevron.setPixmap(
                self._icons.pixmap(name, colour, size, self.devicePixelRatioF())
            )

    def _section_toggled(self, block: SectionBlock, open_: bool) -> None:
        self.refresh_style()
        self.section_toggled.emit()
        if open_:
            self.section_opened.emit(block.title)

    def readables(self) -> list[Readable]:
        """What read-aloud reads: the intro, each open section with its title, the prompt."""
        result: list[Readable] = [self.intro]
        if self.checklist.isVisibleTo(self):
            result += [ReadableButton(row, row.question) for row in self.checklist.rows]
        if self.after_checklist.isVisibleTo(self):
            result.append(self.after_checklist)
        for block in self.sections:
            if block.button.isChecked():
                result += [ReadableButton(block.button, block.title), block.body]
        result.append(self.care_team)
        return result

    def collapse_all(self) -> None:
        self._settled()
        for block in self.sections:
            block.collapse()
        self.verticalScrollBar().setValue(0)

    # -- the reader's place, kept across a language switch, text size or crisis help -----

    def place(self) -> ReaderPlace:
        """Where the reader is now (the place being put back, while it settles)."""
        if self._pending is not None:
            return self._pending
        top = self.verticalScrollBar().value()
        spans = self._paragraph_spans()
        index, best = 0, -1
        for n, (y, _height) in enumerate(spans):
            if best < y <= top:  # the lowest paragraph starting at or above the top
                index, best = n, y
        fraction = 0.0
        if spans:
            y, height = spans[index]
            fraction = min(1.0, max(0.0, (top - y) / height))
        opened = tuple(block.index for block in self.sections if block.button.isChecked())
        return ReaderPlace(opened, index, fraction)

    def restore(self, place: ReaderPlace) -> None:
        """Open the same sections and scroll to the same paragraph, once it is laid out."""
        for block in self.sections:
            block.set_open(block.index in place.open_sections)
        self.refresh_style()  # the chevrons
        self._pending = place
        self._settle.start()
        self._apply_pending()

    def _apply_pending(self) -> None:
        place = self._pending
        if place is None:
            return
        spans = self._paragraph_spans()
        if spans:
            y, height = spans[min(place.paragraph, len(spans) - 1)]
            self.verticalScrollBar().setValue(round(y + place.fraction * height))

    def _settled(self) -> None:
        self._settle.stop()
        self._pending = None

    def _paragraph_spans(self) -> list[tuple[int, int]]:
        """Every paragraph on the page in order, as (top, height) in the page's coordinates:
        a paragraph of a text, or a widget such as the title, a question or a section button."""
        spans: list[tuple[int, int]] = []
        for n in range(self._layout.count()):
            item = self._layout.itemAt(n)
            widget = item.widget() if item is not None else None
            if widget is not None and not widget.isHidden():
                spans += self._spans_of(widget)
        return spans

    def _spans_of(self, widget: QWidget) -> list[tuple[int, int]]:
        if isinstance(widget, BodyView):
            return widget.paragraph_spans(self._page)
        if isinstance(widget, SectionBlock):
            spans = self._spans_of(widget.button)
            if widget.button.isChecked():
                spans += widget.body.paragraph_spans(self._page)
            return spans
        if isinstance(widget, ChecklistView):
            parts = [*widget.rows, widget.hint, widget.take_home, widget.print_button]
            return [span for part in parts if not part.isHidden() for span in self._spans_of(part)]
        return [(widget.mapTo(self._page, QPoint(0, 0)).y(), max(1, widget.height()))]

    def viewportEvent(self, event: QEvent) -> bool:
        # The visitor scrolling during the settle has the last word.
        if event.type() in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
        ):
            self._settled()
        return super().viewportEvent(event)

    def retranslate(self) -> None:
        label_button(
            self.sources,
            self.tr("Sources"),
            self.tr("Where this information comes from, and its review"),
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
