"""The staff area: PIN pad, statistics dashboard, exports and health, behind a hidden entry.

Small helpers shared by its widgets live here (touch buttons and style states come from
ui/common/widgets.py, as on the patient screens). Styling is left to assets/style.qss through
object names and the dynamic properties `role` and `state`; nothing here calls setStyleSheet.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from ui.common.widgets import touch_button

# px; the PIN pad's digits must be at least 64, and four rows of them fit 800 px high
# with large text (tests/test_staff_ui.py checks that nothing is cut off).
PIN_KEY = 88


def staff_button(
    text: str,
    object_name: str,
    role: str = "secondary",
    accessible_name: str = "",
    parent: QWidget | None = None,
) -> QPushButton:
    """A touch button (as on the patient screens) with its text, untranslated."""
    button = touch_button(role, parent, object_name)
    button.setText(text)
    button.setAccessibleName(accessible_name or text)
    return button


def choice_button(text: str, object_name: str, parent: QWidget | None = None) -> QPushButton:
    """A checkable button for one of several choices (range, format, folder)."""
    button = staff_button(text, object_name, "choice", parent=parent)
    button.setCheckable(True)
    return button


def staff_label(object_name: str, text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class ResponsiveGrid(QWidget):
    """Widgets in as many equal columns as fit, so 1920 and 1280 px screens both work.

    Columns are at least `min_width` wide and at most `max_columns`; a widget added with
    `whole_row` always takes a row of its own.
    """

    def __init__(
        self,
        object_name: str,
        min_width: int,
        max_columns: int,
        spacing: int = 16,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._min_width = min_width
        self._max_columns = max_columns
        self._items: list[tuple[QWidget, bool]] = []
        self._columns = 0
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(spacing)

    @property
    def columns(self) -> int:
        return self._columns

    def add(self, widget: QWidget, whole_row: bool = False) -> None:
        self._items.append((widget, whole_row))
        self._columns = 0
        self._arrange(self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(event.size().width())

    def _arrange(self, width: int) -> None:
        spacing = self._grid.spacing()
        # Large text makes some widgets wider than the planned column (a caption on one line).
        needed = max(
            [self._min_width]
            + [widget.minimumSizeHint().width() for widget, whole in self._items if not whole]
        )
        fit = (width + spacing) // (needed + spacing)
        columns = max(1, min(self._max_columns, fit))
        if columns == self._columns:
            return
        self._columns = columns
        for widget, _ in self._items:
            self._grid.removeWidget(widget)
        row = column = 0
        for widget, whole_row in self._items:
            if whole_row and column:
                row, column = row + 1, 0
            span = columns if whole_row else 1
            self._grid.addWidget(widget, row, column, 1, span)
            column += span
            if column >= columns:
                row, column = row + 1, 0
        for index in range(self._max_columns):
            self._grid.setColumnStretch(index, 1 if index < columns else 0)
