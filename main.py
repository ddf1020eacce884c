"""Composition root: reads settings, builds the services, hands them to the UI, runs."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk import cli
from kiosk.content import commands as content_commands

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from kiosk.clock import Clock
    from kiosk.content.library import ContentLibrary
    from kiosk.settings import Settings
    from kiosk.viewlog.writer import ViewLog
    from kiosk.visit import VisitTracker
    from ui.main_window import KioskWindow

logger = logging.getLogger("kiosk")

COMMANDS = (content_commands.register,)


def main(argv: Sequence[str] | None = None) -> int:
    args, options = cli.parse(sys.argv[1:] if argv is None else argv, COMMANDS)
    if options is None:
        return cli.run_command(args)
    return run_kiosk(options)


@dataclass
class Kiosk:
    """Everything the running kiosk is made of, for main() and for end-to-end tests."""

    settings: Settings
    library: ContentLibrary
    view_log: ViewLog
    tracker: VisitTracker
    window: KioskWindow

    def start_services(self) -> None:
        """Background services, started once the first screen is up (not to delay it)."""
        self.view_log.start()

    def shut_down(self) -> None:
        self.tracker.topic_left()
        self.view_log.close()


def build_kiosk(options: cli.KioskOptions, app: QApplication, clock: Clock) -> Kiosk | None:
    # Qt is imported only when the kiosk itself runs: staff commands stay quick and headless.
    from kiosk.content.library import load_library
    from kiosk.content.loader import ContentLoader
    from kiosk.paths import BUNDLED_CONTENT
    from kiosk.settings import load_settings
    from kiosk.theme import ThemeBook
    from kiosk.viewlog.writer import ViewLog
    from kiosk.visit import Preferences, VisitTracker
    from ui.i18n import Translations
    from ui.icons import IconSet
    from ui.main_window import KioskWindow
    from ui.theme import ThemeApplier, load_fonts

    paths = options.paths
    settings, problems = load_settings(paths.settings_file)
    for problem in problems:
        logger.error("settings problem: %s", problem)
    load_fonts()
    theme = ThemeApplier(app, ThemeBook.load())
    icons = IconSet()
    library = load_library(
        ContentLoader(icons.names()), options.content_dir, settings, fallback=BUNDLED_CONTENT
    )
    if not library.packs:
        logger.critical("no content could be loaded at all, not even the bundled content")
        return None
    language = options.language or settings.language
    if not library.has(language):
        fallback = library.languages[0][0]
        logger.error("no content in language %r; starting in %r", language, fallback)
        language = fallback
    view_log = ViewLog(options.database_url or paths.database_url, settings.kiosk_id, clock)
    tracker = VisitTracker(view_log, clock)
    window = KioskWindow(
        library, Preferences(language=language), theme, icons, Translations(app), tracker
    )
    tracker.visit_started()
    return Kiosk(settings, library, view_log, tracker, window)


def run_kiosk(options: cli.KioskOptions) -> int:
    from PySide6.QtWidgets import QApplication

    from kiosk.clock import SystemClock
    from kiosk.logging_setup import setup_logging
    from ui.main_window import show_kiosk

    log_file = setup_logging(options.paths.log_dir)
    logger.info("starting; data in %s, log in %s", options.paths.data_dir, log_file)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("ketamine-kiosk")
    kiosk = build_kiosk(options, app, SystemClock())
    if kiosk is None:
        return 1
    kiosk.window.first_painted.connect(kiosk.start_services)
    show_kiosk(kiosk.window, options.windowed)
    app.aboutToQuit.connect(kiosk.shut_down)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
