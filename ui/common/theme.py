"""Applies a theme to the running application and loads the kiosk's font."""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.theme import STANDARD, ThemeBook

logger = logging.getLogger(__name__)

FONT_FAMILY = "Atkinson Hyperlegible"
FONT_FILES = (
    "AtkinsonHyperlegible-Regular.ttf",
    "AtkinsonHyperlegible-Bold.ttf",
    "AtkinsonHyperlegible-Italic.ttf",
    "AtkinsonHyperlegible-BoldItalic.ttf",
)


def load_fonts() -> bool:
    """Register Atkinson Hyperlegible (made for low-vision readers); False if it is missing.

    Once per process: registering the files again would add duplicate faces that every font
    lookup then has to wade through (a test run builds many kiosks in one application).
    """
    if FONT_FAMILY in QFontDatabase.families():
        return True
    try:
        folder = resources.files("fontpkg_atkinson_hyperlegible") / "files"
    except ModuleNotFoundError:
        logger.error("font package fontpkg-atkinson-hyperlegible is not installed")
        return False
    loaded = 0
    for name in FONT_FILES:
        data = (folder / name).read_bytes()
        if QFontDatabase.addApplicationFontFromData(data) >= 0:
            loaded += 1
        else:
            logger.error("could not load font file %s", name)
    return loaded == len(FONT_FILES)


class ThemeApplier:
    """Holds the theme book and re-styles the application when the theme or text size changes."""

    def __init__(self, app: QApplication, book: ThemeBook) -> None:
        self._app = app
        self.book = book
        self.theme = STANDARD
        self.text_size = STANDARD

    def apply(self, theme: str, text_size: str) -> None:
        self.theme, self.text_size = theme, text_size
        font = QFont(FONT_FAMILY)
        font.setPointSize(self.book.sizes[text_size]["body"])
        self._app.setFont(font)
        # Setting the application stylesheet re-polishes every widget, including those
        # whose dynamic properties changed.
        self._app.setStyleSheet(self.book.stylesheet(theme, text_size))

    @property
    def document_css(self) -> str:
        return self.book.document_css(self.theme)

    def colour(self, name: str) -> str:
        return self.book.colours[self.theme][name]
