"""The staff area: PIN pad, statistics dashboard, exports and health, behind a hidden entry.

Small helpers shared by its widgets live here. Styling is left to assets/style.qss through
object names and the dynamic properties `role` and `state`; nothing here calls setStyleSheet.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

MIN_TARGET = 56  # px; the issue asks for 48, and a hurried finger on a kiosk gets more
PIN_KEY = 96  # px; the PIN pad's digits must be at least 64


def staff_button(
    text: str,
    object_name: str,
    role: str = "secondary",
    accessible_name: str = "",
    parent: QWidget | None = None,
) -> QPushButton:
    """A touch-sized push button with an object name, a `role` and an accessible name."""
    button = QPushButton(text, parent)
    button.setObjectName(object_name)
    button.setProperty("role", role)
    button.setAccessibleName(accessible_name or text)
    button.setMinimumSize(MIN_TARGET, MIN_TARGET)
    button.setAutoDefault(False)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
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


def set_state(widget: QWidget, value: str) -> None:
    """Change the `state` property the stylesheet selects on, and re-apply the style."""
    if widget.property("state") == value:
        return
    widget.setProperty("state", value)
    # Qt does not re-evaluate property selectors when a property changes; unpolish and
    # polish to pick up the new rule (https://wiki.qt.io/Dynamic_Properties_and_Stylesheets).
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()
