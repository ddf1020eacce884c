"""What surrounds every screen: the top bar (crisis help, language, display modes) and the
footer with the not-medical-advice line."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from kiosk.files import read_regular_file
from ui.common.fitted_label import FittedLabel
from ui.common.flow_layout import FlowLayout
from ui.common.icons import IconSet
from ui.common.theme import ThemeApplier
from ui.common.widgets import (
    FOCUS,
    ICON_GAP,
    LayoutButton,
    label_button,
    set_icon,
    set_state,
    touch_button,
)

logger = logging.getLogger(__name__)

LOGO_HEIGHT = 56  # px: the height of the top bar's buttons
MAX_LOGO_BYTES = 4 * 1024 * 1024
# The clinic's name keeps at least this many characters' room before the toggles drop their
# words (icon only, the words still their accessible names).
TITLE_MIN_CHARS = 12
SPACING = 14
# The footer in large text: one line, opened to all of it with a tap. A target of at least
# 48 px (the minimum) but no taller: it is on every screen.
FOOTER_TARGET = 48


class TopBar(QWidget):
    crisis_requested = Signal()
    language_requested = Signal(str)
    large_text_toggled = Signal(bool)
    high_contrast_toggled = Signal(bool)

    def __init__(self, icons: IconSet, theme: ThemeApplier, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._icons = icons
        self._theme = theme
        self._languages: list[tuple[str, str]] = []

        self.logo = QLabel(self)
        self.logo.setObjectName("clinicLogo")
        self.logo.hide()
        # One line, or two where two fit beside the buttons; smaller type, then an ellipsis
        # (the whole name stays its accessible name): never a tall bar over the page.
        self.title = FittedLabel("clinicName", self, max_lines=2, min_scale=0.7)
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._clinic_name = ""

        self.language_buttons: dict[str, QPushButton] = {}
        self.large_text = touch_button("chrome", self, "largeTextButton")
        self.large_text.setCheckable(True)
        self.large_text.toggled.connect(self.large_text_toggled)
        self.high_contrast = touch_button("chrome", self, "highContrastButton")
        self.high_contrast.setCheckable(True)
        self.high_contrast.toggled.connect(self.high_contrast_toggled)
        self.crisis = touch_button("crisis", self, "crisisButton")
        self.crisis.clicked.connect(self.crisis_requested)

        self._controls = QWidget(self)
        self._flow = FlowLayout(self._controls, spacing=SPACING, align_right=True)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self._controls.setSizePolicy(policy)
        for button in (self.large_text, self.high_contrast, self.crisis):
            self._flow.add(button)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 6, 20, 6)
        layout.setSpacing(20)
        # The controls get their one-row width when there is room; the title takes the rest.
        # When there is not (large text), they wrap and the bar grows (height for width).
        layout.addWidget(self.logo, 0)
        layout.addWidget(self.title, 1)
        layout.addWidget(self._controls, 0)
        self.retranslate()

    def set_clinic(self, name: str, logo: Path | None) -> None:
        """The clinic's own name (shown instead of the pack title) and logo, if it set them."""
        self._clinic_name = name
        pixmap = QPixmap()
        if logo is not None:
            try:
                # Not QPixmap(path): a FIFO or a link to /dev/zero there would hang the start.
                data = read_regular_file(logo, MAX_LOGO_BYTES)
            except OSError as error:
                logger.error("cannot read the clinic logo %s: %s", logo, error.strerror or error)
            else:
                if len(data) > MAX_LOGO_BYTES:
                    logger.error("the clinic logo %s is over %d bytes", logo, MAX_LOGO_BYTES)
                elif not pixmap.loadFromData(data):
                    logger.error("cannot show the clinic logo %s (not a PNG or SVG)", logo)
        if not pixmap.isNull():
            self.logo.setPixmap(
                pixmap.scaledToHeight(LOGO_HEIGHT, Qt.TransformationMode.SmoothTransformation)
            )
            self.logo.setAccessibleName(name or "logo")
        self.logo.setVisible(not pixmap.isNull())
        if name:
            self.set_title(name)

    def set_title(self, text: str) -> None:
        """The pack title, unless the clinic's name takes its place."""
        text = self._clinic_name or text
        self.title.setText(text)
        self.title.setAccessibleName(text)
        self.title.setToolTip(text)

    def set_languages(self, languages: list[tuple[str, str]], current: str) -> None:
        """One button per other language, each labelled in its own language."""
        if languages != self._languages:
            self._languages = languages
            for button in self.language_buttons.values():
                self._flow.removeWidget(button)
                button.deleteLater()
            self.language_buttons = {}
            for code, name in languages:
                button = touch_button("chrome", self._controls, "languageButton")
                button.setProperty("language", code)
                label_button(button, name)
                button.clicked.connect(lambda _=False, c=code: self.language_requested.emit(c))
                self._flow.insert_widget(0, button)
                self.language_buttons[code] = button
        for code, button in self.language_buttons.items():
            button.setVisible(code != current)
        self._controls.updateGeometry()

    def show_modes(self, large_text: bool, high_contrast: bool) -> None:
        for button, on in ((self.large_text, large_text), (self.high_contrast, high_contrast)):
            button.blockSignals(True)
            button.setChecked(on)
            button.blockSignals(False)
            set_state(button, "active", "true" if on else "false")
        self.refresh_icons()
        self.retranslate()

    def refresh_icons(self) -> None:
        size = self._theme.book.sizes[self._theme.text_size]["chrome_icon"]
        text = self._theme.colour("secondary_text")
        active = self._theme.colour("toggle_on_text")
        for button, name in ((self.large_text, "a-large-small"), (self.high_contrast, "contrast")):
            colour = active if button.isChecked() else text
            set_icon(button, self._icons.icon(name, colour, size), size)
        set_icon(
            self.crisis,
            self._icons.icon("life-buoy", self._theme.colour("crisis_text"), size),
            size,
        )

    def retranslate(self) -> None:
        # A toggle says its state in words, to the eye and to a screen reader alike.
        large = self.large_text.isChecked()
        label_button(
            self.large_text,
            self.tr("Larger text: on") if large else self.tr("Larger text: off"),
            self.tr("Makes all text twice as large"),
        )
        contrast = self.high_contrast.isChecked()
        label_button(
            self.high_contrast,
            self.tr("High contrast: on") if contrast else self.tr("High contrast: off"),
            self.tr("Switches to white and yellow on black"),
        )
        label_button(
            self.crisis,
            self.tr("Need help now? 988"),
            self.tr("Opens crisis help: call or text 988, call 911, or tell the front desk"),
        )
        self._fit_controls()

    def _fit_controls(self) -> None:
        """The toggles show their words when the bar has room, else only their icons."""
        toggles = (self.large_text, self.high_contrast)
        words = 0  # what the words add to the bar's width
        for button in toggles:
            button.setText("")
            bare = button.sizeHint().width()
            button.setText(ICON_GAP + button.accessibleName())
            words += button.sizeHint().width() - bare
            button.setText("")
        self.title.ensurePolished()
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        needed = (
            self._controls.sizeHint().width()
            + words
            + TITLE_MIN_CHARS * self.title.fontMetrics().averageCharWidth()
            + (self.logo.sizeHint().width() + layout.spacing() if self.logo.isVisible() else 0)
            + layout.spacing()
            + margins.left()
            + margins.right()
        )
        show = needed <= self.width()
        for button in toggles:
            name = button.accessibleName()
            button.setText(ICON_GAP + name if show else "")
        self._controls.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_controls()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class Footer(QWidget):
    """The not-medical-advice line, on every screen: in large text one line (elided), and a
    tap on it shows all of it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("footer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.button = LayoutButton(self)
        self.button.setObjectName("disclaimerButton")
        self.button.setCheckable(True)
        self.button.setFocusPolicy(FOCUS)
        self.button.setAutoDefault(False)
        self.button.setMinimumHeight(FOOTER_TARGET)
        self.button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.disclaimer = FittedLabel("disclaimer", self.button, max_lines=3, grow=True)
        self.disclaimer.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        inner = QHBoxLayout(self.button)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.disclaimer)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 4, 24, 4)
        layout.addWidget(self.button)
        self._compact = False
        self.button.toggled.connect(lambda _on: self._show_lines())

    def set_text(self, text: str) -> None:
        self.disclaimer.setText(text)
        self.disclaimer.setAccessibleName(text)
        self.button.setAccessibleName(text)
        self.button.setChecked(False)
        self._show_lines()

    def set_compact(self, compact: bool) -> None:
        """Large text: the disclaimer takes one line until someone taps it."""
        self._compact = compact
        self.button.setChecked(False)
        self._show_lines()

    @property
    def expanded(self) -> bool:
        return self.button.isChecked()

    def _show_lines(self) -> None:
        lines = 20 if self.expanded else 1 if self._compact else 3
        self.disclaimer.set_fit(lines)
        self.button.setAccessibleDescription(
            self.tr("Tap to read all of it") if self._compact and not self.expanded else ""
        )
        self.button.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._show_lines()
        super().changeEvent(event)
