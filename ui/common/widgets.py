"""Small building blocks every screen uses, patient and staff: touch buttons and style states."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QSizePolicy, QWidget

MIN_TARGET = 56  # px; WCAG 2.5.5 asks for 44, the issue for 48; fingers in a hurry get more
# Qt draws a button's icon hard against its text and the stylesheet cannot space them.
ICON_GAP = "\u2002"  # an en space
# Buttons take focus from Tab and arrow keys only: a tap must not leave a focus ring behind
# for the next visitor, while keypad users still see where they are.
FOCUS = Qt.FocusPolicy.TabFocus


def set_state(widget: QWidget, name: str, value: object) -> None:
    """Change a dynamic property the stylesheet selects on, and re-apply the style."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    repolish(widget)


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet to a widget after a property its rules select on changed."""
    # Qt does not re-evaluate property selectors when a property changes; unpolish and
    # polish to pick up the new rule (https://wiki.qt.io/Dynamic_Properties_and_Stylesheets).
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    # A label (a QFrame) takes its stylesheet border and padding into its frame width only
    # on a StyleChange event (QFrame::changeEvent); without one a new state's padding is lost.
    QApplication.sendEvent(widget, QEvent(QEvent.Type.StyleChange))
    widget.update()


# A screen area at least this big (a 1920x1080 screen) has room to spare, and text that
# matters most grows to use it (the stylesheet's [roomy="true"] rules).
ROOMY_WIDTH, ROOMY_HEIGHT = 1600, 840


def is_roomy(area: QSize) -> bool:
    return area.width() >= ROOMY_WIDTH and area.height() >= ROOMY_HEIGHT


def touch_button(
    role: str = "primary", parent: QWidget | None = None, object_name: str = ""
) -> QPushButton:
    button = QPushButton(parent)
    button.setProperty("role", role)
    if object_name:
        button.setObjectName(object_name)
    button.setMinimumSize(MIN_TARGET, MIN_TARGET)
    button.setFocusPolicy(FOCUS)
    button.setAutoDefault(False)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return button


def label_button(button: QPushButton, text: str, description: str = "") -> None:
    """Set a button's visible text and what a screen reader says for it."""
    button.setText(ICON_GAP + text if not button.icon().isNull() else text)
    button.setAccessibleName(text.replace("&", ""))
    if description:
        button.setAccessibleDescription(description)


def set_icon(button: QPushButton, icon: QIcon, size: int) -> None:
    had_icon = not button.icon().isNull()
    button.setIcon(icon)
    button.setIconSize(QSize(size, size))
    if not had_icon and button.text() and not button.text().startswith(ICON_GAP):
        button.setText(ICON_GAP + button.text())


def wrapping_label(object_name: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class LayoutButton(QPushButton):
    """A push button whose content is a layout of child widgets, so its text can wrap.

    QPushButton sizes itself from its own text and ignores a layout set on it; these
    overrides make it as big as its layout needs at the width it gets (height for width).
    """

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.sizeHint() if layout else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        return layout.minimumSize() if layout else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.totalHeightForWidth(width) if layout else -1
