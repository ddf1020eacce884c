"""Text on screen that read-aloud can speak and highlight as it is heard."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Protocol

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

from ui.common.widgets import set_state


@dataclass(frozen=True, slots=True)
class HighlightColours:
    sentence: str
    word: str
    word_text: str


Span = tuple[int, int]


class Readable(Protocol):
    def reading_text(self) -> str: ...

    def highlight(
        self, sentence: Span | None, word: Span | None, colours: HighlightColours
    ) -> None: ...

    def reveal(self, position: int) -> None: ...


def scroll_to(widget: QWidget, y: int, bottom: int | None = None) -> None:
    """Scroll the nearest scroll area so that y (in widget's coordinates) is in view, and
    down to `bottom` (the end of the sentence being read) where the view is tall enough."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    page = parent.widget() if parent is not None else None
    if parent is None or page is None:
        return
    point = widget.mapTo(page, QPoint(0, y))
    view = parent.viewport().height()
    # Keep a third of the view below the line being read, so the eye can run ahead.
    parent.ensureVisible(0, point.y(), 0, view // 3)
    if bottom is None:
        return
    # And never the sentence cut off at the bottom edge (in large text a third of the view
    # is a line and a half): its last line in view with a margin, as long as the line being
    # read stays in view too.
    margin = view // 10
    end = widget.mapTo(page, QPoint(0, bottom)).y()
    bar = parent.verticalScrollBar()
    wanted = min(end + margin - view, point.y() - margin)
    if wanted > bar.value():
        bar.setValue(wanted)


class ReadableLabel(QLabel):
    """A plain-text label whose sentence and word being heard can be highlighted."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._plain = ""

    def set_plain(self, text: str) -> None:
        self._plain = text
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)
        self.setAccessibleName(text)

    def reading_text(self) -> str:
        return self._plain

    def highlight(
        self, sentence: Span | None, word: Span | None, colours: HighlightColours
    ) -> None:
        if sentence is None:
            self.setTextFormat(Qt.TextFormat.PlainText)
            self.setText(self._plain)
            return
        text = self._plain
        s0, s1 = sentence
        if word is not None and s0 <= word[0] < word[1] <= s1:
            w0, w1 = word
            inner = (
                escape(text[s0:w0]) + f'<span style="background-color:{colours.word};'
                f' color:{colours.word_text}">{escape(text[w0:w1])}</span>' + escape(text[w1:s1])
            )
        else:
            inner = escape(text[s0:s1])
        html = (
            escape(text[:s0])
            + f'<span style="background-color:{colours.sentence}">{inner}</span>'
            + escape(text[s1:])
        )
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setText(html.replace("\n", "<br>"))

    def reveal(self, position: int) -> None:
        scroll_to(self, 0, self.height())


class ReadableButton:
    """A button's label (a section title) read aloud; the whole button lights up."""

    def __init__(self, button: QAbstractButton, text: str) -> None:
        self._button = button
        self._text = text

    def reading_text(self) -> str:
        return self._text

    def highlight(
        self, sentence: Span | None, word: Span | None, colours: HighlightColours
    ) -> None:
        set_state(self._button, "reading", "true" if sentence is not None else "false")

    def reveal(self, position: int) -> None:
        scroll_to(self._button, 0)
