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
    from ui.audio_player import AudioPlayer
    from ui.main_window import KioskWindow
    from ui.narrator import Narrator
    from ui.speech_service import SpeechService

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
    speech: SpeechService
    player: AudioPlayer
    narrator: Narrator

    def start_services(self) -> None:
        """Background services, started once the first screen is up (not to delay it)."""
        from PySide6.QtCore import QTimer

        self.view_log.start()
        self.speech.start()
        warm_up = getattr(self.player, "warm_up", None)
        if warm_up is not None:
            # Loading QtMultimedia takes ~50 ms on the GUI thread: do it before the first
            # "Read aloud" tap rather than during it, but after the first screen is up.
            QTimer.singleShot(1000, warm_up)

    def shut_down(self) -> None:
        self.narrator.stop()
        self.tracker.topic_left()
        self.speech.shutdown()
        self.view_log.close()


def build_kiosk(
    options: cli.KioskOptions,
    app: QApplication,
    clock: Clock,
    speech: SpeechService | None = None,
    player: AudioPlayer | None = None,
) -> Kiosk | None:
    """Build the kiosk's services and window. Tests pass a fake speech engine and player."""
    # Qt is imported only when the kiosk itself runs: staff commands stay quick and headless.
    from kiosk.content.library import load_library
    from kiosk.content.loader import ContentLoader
    from kiosk.paths import BUNDLED_CONTENT
    from kiosk.settings import load_settings
    from kiosk.theme import ThemeBook
    from kiosk.viewlog.writer import ViewLog
    from kiosk.visit import DEFAULT_VOLUME, Preferences, VisitTracker
    from ui.audio_player import QtAudioPlayer
    from ui.i18n import Translations
    from ui.icons import IconSet
    from ui.main_window import KioskWindow
    from ui.narrator import Narrator
    from ui.read_aloud import ReadAloudController
    from ui.speech_service import ProcessSpeechService
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
    speech = speech or ProcessSpeechService(parent=app)
    player = player or QtAudioPlayer(parent=app)
    controller = ReadAloudController(speech, player, default_volume=DEFAULT_VOLUME, parent=app)
    narrator = Narrator(controller, theme, parent=app)
    window = KioskWindow(
        library, Preferences(language=language), theme, icons, Translations(app), tracker, narrator
    )
    tracker.visit_started()
    return Kiosk(settings, library, view_log, tracker, window, speech, player, narrator)


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
