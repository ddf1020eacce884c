"""A table's header row that stays at the top of the page while the rest of the table
scrolls under it, so a patient reading row seven still sees which column is which.

Qt's rich text has no sticky rows, so the reader shows a picture of the header row (drawn by
the text view itself, in the theme's colours) pinned to the top of its viewport.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QTextCursor, QTextTable
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QTextEdit


def tables(view: QTextEdit) -> list[QTextTable]:
    """The tables in a text view's document, top to bottom."""
    return [f for f in view.document().rootFrame().childFrames() if isinstance(f, QTextTable)]


def header_rect(view: QTextEdit, table: QTextTable) -> QRect:
    """Where the table's first row is drawn, in the view's viewport coordinates."""
    document = view.document()
    frame = document.documentLayout().frameBoundingRect(table).toAlignedRect()
    if table.rows() < 2:
        return frame
    # The header ends where the second row's cells begin (less their top padding).
    padding = round(table.format().cellPadding())
    tops = []
    for column in range(table.columns()):
        cursor = QTextCursor(table.cellAt(1, column).firstCursorPosition())
        tops.append(view.cursorRect(cursor).top() - padding)
    offset = view.verticalScrollBar().value()
    return QRect(frame.left(), frame.top() - offset, frame.width(), min(tops) - frame.top())


class StickyTableHeader(QLabel):
    """Pinned to the top of `area`'s viewport while a table's header row is scrolled past."""

    def __init__(self, area: QAbstractScrollArea, views: Callable[[], Iterable[QTextEdit]]) -> None:
        super().__init__(area.viewport())
        self.setObjectName("stickyTableHeader")
        # A picture of words already on the page: taps go to the page below it.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self._area = area
        self._views = views
        self._key: tuple[object, ...] = ()
        self.table: QTextTable | None = None  # the table whose header is pinned, if any
        self.hide()

    def update_position(self) -> None:
        """Show the header of the table crossing the viewport's top edge, if one does."""
        viewport = self._area.viewport()
        for view in self._views():
            if not view.isVisibleTo(self._area):
                continue
            for table in tables(view):
                header = header_rect(view, table)
                origin = view.viewport().mapTo(viewport, QPoint(0, 0))
                table_rect = (
                    view.document().documentLayout().frameBoundingRect(table).toAlignedRect()
                )
                top = origin.y() + table_rect.top()
                bottom = origin.y() + table_rect.bottom()
                if top < 0 and bottom > header.height():
                    self._pin(view, table, header, origin.x())
                    return
        self.table = None
        self.hide()

    def _pin(self, view: QTextEdit, table: QTextTable, header: QRect, left: int) -> None:
        key = (id(view), table.firstPosition(), view.document().revision(), header)
        if key != self._key:
            self._key = key
            self.setPixmap(view.viewport().grab(header))
            self.resize(header.size())
        self.table = table
        self.move(left + header.left(), 0)
        self.show()
        self.raise_()
