"""Composition root: reads settings, builds the services, hands them to the UI, runs."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import APP_DISPLAY_NAME, APP_NAME, cli
from kiosk.content.model import CRISIS_TOPIC_ID

if TYPE_CHECKING:
    import argparse

    from PySide6.QtWidgets import QApplication

    from kiosk.clock import Clock
    from kiosk.content.bundle import ContentStore
    from kiosk.content.library import ContentLibrary
    from kiosk.content.review import ReviewCalendar
    from kiosk.content.updates import BundleOffer
    from kiosk.fleet.heartbeat import KioskFacts
    from kiosk.fleet.push import Heartbeat
    from kiosk.fleet.pusher import FleetPusher
    from kiosk.settings import Settings
    from kiosk.staff.pin import PinStore
    from kiosk.viewlog.writer import ViewLog
    from kiosk.visit import VisitTracker
    from ui.app.lockdown import Lockdown
    from ui.app.recovery import RecoveryHook
    from ui.app.visit import Visit
    from ui.app.visit_flow import VisitFlow
    from ui.app.window import KioskWindow
    from ui.common.tasks import TaskRunner
    from ui.read_aloud.audio_devices import AudioDevices
    from ui.read_aloud.narrator import Narrator
    from ui.read_aloud.player import AudioPlayer
    from ui.read_aloud.speech import SpeechService
    from ui.staff.area import StaffArea
    from ui.staff.content import ContentPanel, TopicReviewRow
    from ui.staff.health import HealthReport

logger = logging.getLogger("kiosk")


# The subcommands' modules are imported only when the command line has a subcommand (or
# asks for help): the kiosk's own start needs none of them.
def _content_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from kiosk.content import commands

    commands.register(sub)


def _stats_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from kiosk.stats import commands

    commands.register(sub)


def _staff_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from kiosk.staff import commands

    commands.register(sub)


def _fleet_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from kiosk.fleet import commands

    commands.register(sub)


COMMANDS = (_content_commands, _stats_commands, _staff_commands, _fleet_commands)


def main(argv: Sequence[str] | None = None) -> int:
    args, options = cli.parse(sys.argv[1:] if argv is None else argv, COMMANDS)
    if options is None:
        return cli.run_command(args)
    return run_kiosk(options)


@dataclass
class Kiosk:
    """Everything the running kiosk is made of, for main() and for end-to-end tests."""

    options: cli.KioskOptions
    clock: Clock
    settings: Settings
    library: ContentLibrary
    view_log: ViewLog
    tracker: VisitTracker
    visit: Visit
    window: KioskWindow
    speech: SpeechService
    player: AudioPlayer
    narrator: Narrator
    tasks: TaskRunner
    flow: VisitFlow
    lockdown: Lockdown
    staff: StaffArea | None = field(default=None)
    pin_store: PinStore | None = field(default=None)
    fleet: FleetPusher | None = field(default=None)
    review: ReviewCalendar | None = field(default=None)
    # The health facts the fleet heartbeat sends: taken on the GUI thread (they read Qt
    # timers), handed to the pusher's thread as one immutable object.
    fleet_facts: HealthReport | None = field(default=None)
    kiosk_facts: KioskFacts | None = field(default=None)
    recovery: RecoveryHook | None = field(default=None)
    # The system's sound outputs; looked at on the GUI thread once QtMultimedia is loaded.
    audio_devices: AudioDevices | None = field(default=None)
    _content_tried: Path | None = field(default=None)
    # New content that arrived while a patient was mid-visit: shown once they have gone.
    _waiting_library: ContentLibrary | None = field(default=None)

    def start_services(self) -> None:
        """Background services, started once the first screen is up (not to delay it)."""
        from PySide6.QtCore import QTimer

        self.view_log.start()
        self.speech.start()
        if self.fleet is not None:
            from PySide6.QtCore import QTimer

            self._take_fleet_facts(audio=False)  # QtMultimedia is not loaded yet
            # Again just after the player's warm-up has loaded it.
            QTimer.singleShot(1500, self._take_fleet_facts)
            self._facts_timer = QTimer(self.window)
            self._facts_timer.setInterval(60_000)
            self._facts_timer.timeout.connect(self._take_fleet_facts)
            self._facts_timer.start()
            self.fleet.start()
        # Loading QtMultimedia takes ~50 ms on the GUI thread: do it before the first
        # "Read aloud" tap rather than during it, but after the first screen is up.
        QTimer.singleShot(1000, self._warm_up_audio)

    def _warm_up_audio(self) -> None:
        self.player.warm_up()
        if self.audio_devices is not None:
            self.audio_devices.outputs()  # for the health page: what patients could hear

    def open_staff(self) -> None:
        """The hidden entry was held: show the PIN pad (built on first use, off start-up)."""
        if self.staff is None:
            self.staff = self._build_staff_area()
        self.flow.staff_opened()
        self.window.show_staff(self.staff)
        self.staff.open()

    def _build_staff_area(self) -> StaffArea:
        from kiosk.staff.pin import PinStore
        from kiosk.stats.queries import Statistics
        from ui.staff.area import StaffArea

        url = self.options.database_url
        self.pin_store = PinStore(self.options.paths.data_dir, self.clock)
        area = StaffArea(
            pin_store=self.pin_store,
            statistics=Statistics.from_url(url),
            tasks=self.tasks,
            settings=self.settings,
            clock=self.clock,
            health=self.health,
            topic_name=self._topic_name,
            content=self._build_content_panel(),
        )
        area.closed.connect(self.window.hide_staff)
        area.exit_kiosk_requested.connect(self._leave_kiosk_mode)
        area.reload_content_requested.connect(self.reload_content)
        return area

    def _build_content_panel(self) -> ContentPanel:
        from ui.staff.content import ContentPanel

        panel = ContentPanel(self._review_rows, self.tasks, self._find_bundles, self._install)
        panel.content_installed.connect(lambda _version: self.reload_content())
        return panel

    def _review_rows(self) -> list[TopicReviewRow]:
        from kiosk.content.review import ReviewState
        from ui.staff.content import TopicReviewRow

        if self.review is None:
            return []
        states = {
            ReviewState.REVIEWED: "ok",
            ReviewState.DRAFT: "warning",
            ReviewState.OVERDUE: "error",
            ReviewState.EXPIRED: "error",
        }
        rows = []
        for language, pack in self.library.packs.items():
            for topic in pack.topics:
                state = self.review.state(topic)
                due = self.review.next_review(topic)
                text = f"{language} · {topic.tile_title} — {state.value}"
                if due is not None:
                    text += (
                        f", checked {topic.last_reviewed} by {topic.reviewed_by}, next check {due}"
                    )
                rows.append(TopicReviewRow(f"{text} (version {topic.version})", states[state]))
        return rows

    def _content_store(self) -> ContentStore:
        from kiosk.content.bundle import ContentStore
        from kiosk.content.commands import CONTENT_STORE

        return ContentStore(self.options.paths.data_dir / CONTENT_STORE)

    def _find_bundles(self) -> list[BundleOffer]:
        """On a worker thread: bundles on the drives (the export panel's list of drives)."""
        from kiosk.content.updates import find_bundles
        from kiosk.paths import bundled_content_key
        from kiosk.stats.export import export_folders

        installed = self._content_store().current
        shown = installed.folder if installed else self.library.source
        folders = [f.path for f in export_folders(self.settings.export_folder)]
        version = installed.version if installed else None
        keys = self.settings.trusted_content_keys(bundled_content_key())
        return find_bundles(folders, keys, shown, version)

    def _install(self, bundle: Path) -> int:
        """On a worker thread: verify and install; BundleRefused says why not."""
        from kiosk.content.commands import examine
        from kiosk.paths import bundled_content_key

        keys = self.settings.trusted_content_keys(bundled_content_key())
        return self._content_store().install(bundle, keys, examine).version

    def health(self) -> HealthReport:
        """Cached state only: the staff panel calls this on the GUI thread every few seconds."""
        from kiosk.viewlog.store import sqlite_file
        from ui.staff.health import HealthReport

        status = self.view_log.status
        path = sqlite_file(self.options.database_url)
        try:
            size = path.stat().st_size if path is not None else None
        except OSError:
            size = None
        from kiosk.audio import NO_OUTPUT, can_be_heard, describe_outputs

        outputs = self.audio_devices.last_seen() if self.audio_devices else None
        if self.speech.is_available():
            # espeak making speech is not enough: something has to play it to the patient.
            speech = NO_OUTPUT if outputs is not None and not can_be_heard(outputs) else "working"
        else:
            speech = f"not available: {self.speech.unavailable_reason() or 'unknown'}"
            retry = self.speech.retry_in_seconds()
            if retry is not None:
                speech += f" Trying again in {retry} s."
        report = HealthReport(
            database_bytes=size,
            last_write=status.last_write,
            pending_counters=status.pending_counters,
            dropped_events=status.dropped_events,
            storage_problem=status.problem,
            staff_pin_problem=self.pin_store.storage_problem if self.pin_store else None,
            speech_state=speech,
            audio_output=describe_outputs(outputs),
            content_errors=tuple(str(p) for p in self.library.problems),
            review_due=tuple(self.review.needing_review(self.library)) if self.review else (),
        )
        if self.fleet is None:
            return report
        link = self.fleet.status
        return replace(
            report,
            fleet_server=link.server,
            fleet_last_push=link.last_success,
            fleet_hours_waiting=link.hours_waiting,
            fleet_problem=link.problem,
        )

    def _take_fleet_facts(self, audio: bool = True) -> None:
        from kiosk.audio import can_be_heard
        from kiosk.fleet.heartbeat import KioskFacts

        report = self.fleet_facts = self.health()
        before = self.kiosk_facts
        devices = self.audio_devices
        if audio and devices is not None:
            heard: bool | None = can_be_heard(devices.outputs())
        else:
            heard = before.audio_output if before else None
        self.kiosk_facts = KioskFacts(
            audio_output=heard,
            last_recovery=self.recovery.last_recovery if self.recovery else None,
            topics_overdue=report.review_due,
        )

    def fleet_heartbeat(self) -> Heartbeat:
        """Called on the pusher's thread: reads only the facts taken on the GUI thread."""
        from dataclasses import asdict

        from kiosk.fleet.heartbeat import KioskFacts, content_version, heartbeat
        from kiosk.paths import BUNDLED_CONTENT

        options = self.options
        version = content_version(options.paths.data_dir, options.content_dir, BUNDLED_CONTENT)
        report, extra = self.fleet_facts, self.kiosk_facts or KioskFacts()
        if report is None:
            return heartbeat(self.settings.fleet.site, version, {}, [])
        facts = {k: v for k, v in asdict(report).items() if not k.startswith("fleet_")}
        if report.last_write is not None:
            # To the hour: the minute of the last write is the minute the last visitor left.
            facts["last_write"] = report.last_write.replace(minute=0, second=0, microsecond=0)
        facts.update(extra.as_facts(), content_version=version)
        from kiosk.audio import NO_OUTPUT

        # No output is said once, by the facts' own problem ("no audio output ...").
        quiet = report.speech_state in ("working", NO_OUTPUT)
        speech = None if quiet else f"speech {report.speech_state}"
        content = (
            f"{len(report.content_errors)} content problems" if report.content_errors else None
        )
        review = f"{len(report.review_due)} topics need review" if report.review_due else None
        candidates = (report.storage_problem, report.staff_pin_problem, speech, content, review)
        problems = [p for p in candidates if p] + extra.problems()
        return heartbeat(self.settings.fleet.site, version, facts, problems)

    def reload_content(self) -> None:
        """Read the content folder again, off the GUI thread, and show it from the start."""
        from ui.common.icons import IconSet

        icons = IconSet().names()
        options, settings = self.options, self.settings
        self.tasks.run(
            lambda: load_content(options, settings, icons), self._content_loaded, owner=self.window
        )

    def show_installed_content(self) -> None:
        """Between visitors: show a bundle installed meanwhile (the fleet fetched one)."""
        from kiosk.paths import BUNDLED_CONTENT

        if self.options.content_dir != BUNDLED_CONTENT:
            return  # --content: a folder of its own, never an installed bundle
        installed = self._content_store().current
        if installed is None or installed.folder in (self.library.source, self._content_tried):
            return
        # Remembered: a bundle that fails to load would otherwise be reloaded every visit.
        self._content_tried = installed.folder
        logger.info("content version %d was installed; showing it", installed.version)
        self.reload_content()

    def apply_review_dates(self) -> None:
        """Hide (or bring back) topics whose review state changed since they were shown."""
        if self.review is None:
            return
        shown = self.review.visible(self.library)
        if _topic_ids(shown) != _topic_ids(self.window.library):
            logger.info("topics shown to patients changed with the review dates")
            self._show_library(shown)

    def _content_loaded(self, library: ContentLibrary) -> None:
        if not library.packs:
            logger.error("reloaded content has no usable pack; keeping what is shown")
            return
        self.library = library
        self._show_library(self.review.visible(library) if self.review else library)
        logger.info("content reloaded from %s: %d problems", library.source, len(library.problems))

    def _show_library(self, library: ContentLibrary) -> None:
        """New content, shown between visitors: content loads in the background and may
        arrive after a patient has tapped in, who would otherwise be sent back to the
        invitation in the default language with their visit cut in two."""
        if self.flow.visiting:
            self._waiting_library = library
            return
        self._waiting_library = None
        self.window.set_library(library)

    def show_waiting_library(self) -> None:
        """After a visit: the content that arrived during it (VisitFlow.visitor_gone)."""
        if self._waiting_library is not None:
            self._show_library(self._waiting_library)

    def _topic_name(self, topic_id: str) -> str:
        pack = self.library.pack(self.settings.language)
        if topic_id == CRISIS_TOPIC_ID:
            return pack.crisis.title
        topic = pack.topic(topic_id)
        return topic.tile_title if topic else topic_id

    def _leave_kiosk_mode(self) -> None:
        from ui.app.window import show_kiosk

        self.lockdown.unlock()
        show_kiosk(self.window, windowed=True)

    def shut_down(self) -> None:
        # Qt can still deliver a queued tap after aboutToQuit (seen on xcb): it must not
        # open a topic whose view could no longer be written.
        self.window.setEnabled(False)
        self.visit.stop_reading()
        self.visit.view_ended()
        self.tracker.visit_ended()  # the views of the visit cut short are kept
        self.speech.shutdown()
        self.tasks.wait(5000)
        self.view_log.close()
        if self.fleet is not None:
            self.fleet.stop()


def _topic_ids(library: ContentLibrary) -> dict[str, list[str]]:
    return {code: [t.id for t in pack.topics] for code, pack in library.packs.items()}


def load_content(
    options: cli.KioskOptions, settings: Settings, icons: Collection[str]
) -> ContentLibrary:
    """Every language, from the content cache when nothing it was built from has changed.

    Without --content, the newest installed signed bundle is shown if there is one; if it
    does not load, the kiosk rolls back to the bundle before it, and then to the bundled
    content, so a bad bundle never leaves it with nothing to show.
    """
    from types import MappingProxyType

    from kiosk.content.bundle import ContentStore, verify_folder
    from kiosk.content.cache import CACHE_FILE, cached_library
    from kiosk.content.commands import CONTENT_STORE
    from kiosk.content.library import ContentLibrary, load_library
    from kiosk.paths import BUNDLED_CONTENT, bundled_content_key

    store = ContentStore(options.paths.data_dir / CONTENT_STORE)
    installed = store.current if options.content_dir == BUNDLED_CONTENT else None
    root = installed.folder if installed is not None else options.content_dir
    keys = settings.trusted_content_keys(bundled_content_key())

    def signed(folder: Path) -> bool:
        """With require_signed, a folder is shown only if a trusted key signed exactly it."""
        if not settings.require_signed:
            return True
        problem = verify_folder(folder, keys)
        if problem is not None:
            logger.error("content not shown, its signature does not hold: %s", problem)
        return problem is None

    def parse() -> ContentLibrary:
        from kiosk.content.loader import ContentLoader

        loader = ContentLoader(icons)
        if installed is not None:
            if signed(installed.folder):
                library = load_library(loader, installed.folder, settings)
                if library.packs:
                    return library
            back = store.roll_back()
            logger.error(
                "installed content version %d cannot be shown; rolled back to %s",
                installed.version,
                f"version {back.version}" if back else "the bundled content",
            )
            if back is not None and signed(back.folder):
                return load_library(loader, back.folder, settings, fallback=BUNDLED_CONTENT)
        for folder in dict.fromkeys((options.content_dir, BUNDLED_CONTENT)):
            if signed(folder):
                return load_library(loader, folder, settings, fallback=BUNDLED_CONTENT)
        return ContentLibrary(MappingProxyType({}), (), options.content_dir)

    parsed: list[ContentLibrary] = []

    def parse_once() -> ContentLibrary:
        parsed.append(parse())
        return parsed[-1]

    roots = (root, BUNDLED_CONTENT)
    library = cached_library(
        options.paths.data_dir / CACHE_FILE, roots, settings, icons, parse_once
    )
    # The cache goes by file sizes and times, so what it returns is checked against its
    # signature as the files are now (a fresh parse has checked it already).
    if settings.require_signed and not parsed and library.packs and not signed(library.source):
        return parse()
    return library


def build_kiosk(
    options: cli.KioskOptions,
    app: QApplication,
    clock: Clock,
    speech: SpeechService | None = None,
    player: AudioPlayer | None = None,
    audio_devices: AudioDevices | None = None,
) -> Kiosk | None:
    """Build the kiosk's services and window. Tests pass a fake speech engine and player,
    and the sound outputs the system has."""
    # Qt is imported only when the kiosk itself runs: staff commands stay quick and headless.
    from kiosk.settings import load_settings
    from kiosk.theme import ThemeBook
    from kiosk.viewlog.writer import ViewLog
    from kiosk.visit import VOLUME_STEPS, Preferences, VisitTracker
    from ui.app.lockdown import Lockdown
    from ui.app.visit import Visit
    from ui.app.visit_flow import VisitFlow
    from ui.app.window import KioskWindow
    from ui.common.hidden_entry import HiddenEntry
    from ui.common.i18n import Translations
    from ui.common.icons import IconSet
    from ui.common.printer import Printer
    from ui.common.tasks import TaskRunner
    from ui.common.theme import ThemeApplier, load_fonts
    from ui.read_aloud.audio_devices import QtAudioDevices
    from ui.read_aloud.controller import ReadAloudController
    from ui.read_aloud.narrator import Narrator
    from ui.read_aloud.qt_player import QtAudioPlayer
    from ui.read_aloud.speech_process import ProcessSpeechService

    paths = options.paths
    settings, problems = load_settings(paths.settings_file)
    for problem in problems:
        logger.error("settings problem: %s", problem)
    load_fonts()
    theme = ThemeApplier(app, ThemeBook.load())
    icons = IconSet()
    library = load_content(options, settings, icons.names())
    if not library.packs:
        logger.critical("no content could be loaded at all, not even the bundled content")
        return None
    language = options.language or settings.language
    if not library.has(language):
        fallback = library.languages[0][0]
        logger.error("no content in language %r; starting in %r", language, fallback)
        language = fallback
    view_log = ViewLog(options.database_url, settings.kiosk_id, clock)
    tracker = VisitTracker(view_log, clock)
    # A fixed folder, so a run that crashed mid-sentence leaves no WAV files behind for
    # good: the next start clears it.
    speech = speech or ProcessSpeechService(wav_dir=paths.data_dir / "speech", parent=app)
    devices = audio_devices if audio_devices is not None else QtAudioDevices(parent=app)
    player = player or QtAudioPlayer(devices, parent=app)
    controller = ReadAloudController(speech, player, parent=app)
    narrator = Narrator(controller, theme, parent=app)
    start = Preferences(language=language, volume=VOLUME_STEPS[settings.start_volume - 1])
    visit = Visit(tracker, narrator, start, parent=app)
    printer = Printer(settings.printer, parent=app)
    from kiosk.content.review import ReviewCalendar, policy_from

    review = ReviewCalendar(policy_from(settings), lambda: clock.now().date())
    window = KioskWindow(
        review.visible(library), visit, theme, icons, Translations(app), printer, review
    )
    tasks = TaskRunner(parent=app)
    flow = VisitFlow(
        app,
        window,
        visit,
        settings.idle_timeout_seconds * 1000,
        settings.idle_countdown_seconds * 1000,
        settings.crisis_idle_timeout_seconds * 1000,
    )
    # A speech engine given up on gets another chance with every new visitor.
    flow.visitor_gone.connect(speech.restart)
    # The screens not built for the first frame are built while nobody touches the kiosk.
    flow.monitor.activity.connect(window.postpone_preparing)
    kiosk = Kiosk(
        options,
        clock,
        settings,
        library,
        view_log,
        tracker,
        visit,
        window,
        speech,
        player,
        narrator,
        tasks,
        flow,
        Lockdown(app, window),
        review=review,
    )
    kiosk.audio_devices = devices
    # A review can fall due overnight: between visitors, show what may be shown today.
    flow.visitor_gone.connect(kiosk.show_waiting_library)
    flow.visitor_gone.connect(kiosk.apply_review_dates)
    # A bundle the fleet installed in the background: shown to the next visitor, never
    # changed under the eyes of the one reading.
    flow.visitor_gone.connect(kiosk.show_installed_content)
    if settings.fleet.enabled:
        kiosk.fleet = build_fleet(options, settings, clock, kiosk.fleet_heartbeat)
    # The staff entry: hold the clinic name in the top bar for three seconds. Nothing on
    # screen hints at it, and a short tap does nothing.
    for target in (window.top_bar.title, window.top_bar.logo):
        HiddenEntry(target).triggered.connect(kiosk.open_staff)
    window.set_clinic(
        settings.clinic_name, Path(settings.clinic_logo) if settings.clinic_logo else None
    )
    window.read_aloud.show_headphones(settings.headphones)
    window.attract.cards.set_motion(not settings.reduce_motion)
    window.set_clinic_contact(
        settings.clinic_name, settings.clinic_phone, lambda: clock.now().date()
    )
    return kiosk


def build_fleet(
    options: cli.KioskOptions,
    settings: Settings,
    clock: Clock,
    heartbeat: Callable[[], Heartbeat],
) -> FleetPusher | None:
    """The fleet pusher, if the settings name a server (docs/fleet.md)."""
    from kiosk.content.commands import CONTENT_STORE, examine
    from kiosk.fleet.content import BundleFetcher
    from kiosk.fleet.pusher import FleetLink, FleetPusher
    from kiosk.paths import BUNDLED_CONTENT, bundled_content_key
    from kiosk.viewlog.store import sqlite_file

    if sqlite_file(options.database_url) is None:
        logger.error("the fleet needs the kiosk's own SQLite view log; fleet push is off")
        return None
    link = FleetLink(
        settings.fleet,
        settings.kiosk_id,
        options.database_url,
        options.paths.data_dir,
        clock,
        heartbeat,
        # With --content the kiosk shows that folder, never a bundle: nothing to fetch.
        content=BundleFetcher(
            options.paths.data_dir / CONTENT_STORE,
            options.paths.data_dir,
            settings.fleet.site,
            settings.trusted_content_keys(bundled_content_key()),
            examine,
        )
        if options.content_dir == BUNDLED_CONTENT
        else None,
    )
    logger.info("fleet push to %s every %d s", link.status.server, settings.fleet.interval_seconds)
    return FleetPusher(link)


def keep_collections_short(window: KioskWindow) -> None:
    """Once every screen is built: collect, then freeze what is alive (gc.freeze), so a
    full garbage collection, whenever Python runs one during the day, no longer walks the
    ~80,000 objects of the start-up (Qt wrappers, modules, content) that live as long as
    the kiosk: about 30 ms, two frames, instead of under 1 ms (`python -m bench kiosk`).
    Only objects that later die in reference cycles are kept alive by this, and those of
    the start-up live all day anyway."""
    import gc

    def freeze() -> None:
        gc.collect()
        gc.freeze()
        logger.info(
            "start-up done: %d objects set aside from garbage collection", gc.get_freeze_count()
        )

    window.prepared.connect(freeze)


def run_kiosk(options: cli.KioskOptions, on_running: Callable[[Kiosk], None] | None = None) -> int:
    """The kiosk as it runs in a clinic. `on_running` lets the fault tests drive the real thing."""
    from PySide6.QtWidgets import QApplication

    import ui  # noqa: F401  # the first after Qt's: it stops PySide6 keeping module sources
    from kiosk.clock import SystemClock
    from kiosk.logging_setup import setup_logging
    from kiosk.watchdog import SystemdNotifier
    from ui.app.recovery import RecoveryHook
    from ui.app.termination import TerminationHandler
    from ui.app.watchdog import WatchdogPinger
    from ui.app.window import show_kiosk

    log_file = setup_logging(options.paths.log_dir)
    logger.info("starting; data in %s, log in %s", options.paths.data_dir, log_file)
    app = QApplication(sys.argv[:1])
    # A screen reader (AT-SPI) names the application by Qt's applicationName: a name people
    # say, not "ketamine-kiosk" or "main.py". (No applicationDisplayName: Qt would add it
    # to the window title, which a screen reader says in the visitor's language.) The
    # desktop file name is the machine's name for it (the Wayland app id under cage).
    app.setApplicationName(APP_DISPLAY_NAME)
    app.setDesktopFileName(APP_NAME)
    kiosk = build_kiosk(options, app, SystemClock())
    if kiosk is None:
        return 1
    # systemd (deploy/): READY=1 once the first screen is up, then a watchdog ping from a
    # GUI-thread timer, so a frozen screen gets the kiosk restarted. No-ops without systemd.
    notifier = SystemdNotifier()
    pinger = WatchdogPinger(notifier, parent=app)
    kiosk.window.first_painted.connect(kiosk.start_services)
    keep_collections_short(kiosk.window)
    kiosk.window.first_painted.connect(notifier.ready)
    kiosk.window.first_painted.connect(pinger.start)
    TerminationHandler(app)
    # A slot that raises is logged and the kiosk goes home (never a dialog for a patient).
    kiosk.recovery = RecoveryHook(kiosk.window.recover, kiosk.clock.now)
    kiosk.recovery.install()
    if not options.windowed:
        kiosk.lockdown.lock()
    show_kiosk(kiosk.window, options.windowed)
    app.aboutToQuit.connect(notifier.stopping)
    app.aboutToQuit.connect(kiosk.shut_down)
    if on_running is not None:
        on_running(kiosk)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
