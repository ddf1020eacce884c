"""Interface strings in the patient's language, through Qt's translation system.

Sources are English; assets/i18n/kiosk_<code>.ts holds each translation, compiled to .qm by
`make` (pyside6-lrelease). Installing a translator sends LanguageChange to every widget,
and each screen's retranslate() re-reads its strings.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QTranslator

from kiosk.paths import ASSETS

logger = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
I18N = ASSETS / "i18n"


class Translations:
    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translator: QTranslator | None = None
        self.language = SOURCE_LANGUAGE

    def use(self, language: str) -> bool:
        """Switch interface strings; False (and English) if no translation is installed."""
        if language == self.language:
            return True
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        self.language = SOURCE_LANGUAGE
        if language == SOURCE_LANGUAGE:
            return True
        translator = QTranslator(self._app)
        path = I18N / f"kiosk_{language}.qm"
        if not translator.load(str(path)):
            logger.error("no interface translation for %r at %s; showing English", language, path)
            return False
        self._app.installTranslator(translator)
        self._translator = translator
        self.language = language
        return True
