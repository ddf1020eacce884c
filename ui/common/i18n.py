"""Interface strings in the patient's language, through Qt's translation system.

Sources are English; assets/i18n/kiosk_<code>.ts holds each translation, compiled to .qm by
`make` (pyside6-lrelease). Installing a translator sends LanguageChange to every widget,
and each screen's retranslate() re-reads its strings.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QTranslator

from kiosk.paths import ASSETS

logger = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
I18N = ASSETS / "i18n"


class Translations:
    """The application's interface language. There is one at a time, whichever instance set
    it: a new instance starts in English, even if an earlier one (an earlier kiosk window in
    the same application, as in tests) left a translation installed."""

    _installed: ClassVar[QTranslator | None] = None

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        # Each translation is read once: the kiosk switches back and forth with every visitor.
        self._loaded: dict[str, QTranslator] = {}
        self._reported: set[str] = set()  # missing translations already logged
        self.language = SOURCE_LANGUAGE
        self._uninstall()

    def use(self, language: str) -> bool:
        """Switch interface strings; False (and English) if no translation is installed."""
        if language == self.language:
            return True
        self._uninstall()
        self.language = SOURCE_LANGUAGE
        if language == SOURCE_LANGUAGE:
            return True
        translator = self._load(language)
        if translator is None:
            return False
        self._app.installTranslator(translator)
        Translations._installed = translator
        self.language = language
        return True

    def _uninstall(self) -> None:
        if Translations._installed is not None:
            self._app.removeTranslator(Translations._installed)
            Translations._installed = None

    def _load(self, language: str) -> QTranslator | None:
        translator = self._loaded.get(language)
        if translator is not None:
            return translator
        translator = QTranslator()
        path = I18N / f"kiosk_{language}.qm"
        if not translator.load(str(path)):
            if language not in self._reported:  # once, not at every switch
                self._reported.add(language)
                logger.error(
                    "no interface translation for %r at %s; showing English", language, path
                )
            return None
        self._loaded[language] = translator
        return translator
