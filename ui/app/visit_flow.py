"""One visitor after another: start on a tap, notice when they have gone, start fresh.

The kiosk waits on the attract screen. A tap starts a visit (counted in the anonymous log)
in the language chosen. After a quiet spell the "Still reading?" prompt counts down, and
then everything the visitor changed is put back and the attract screen returns. Nothing
times out while speech is playing or the staff area is open, and crisis help waits much
longer before asking (`crisis_idle_ms`): a visitor may be calling 988 without touching it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from ui.app.idle import ActivityMonitor, IdleWatch
from ui.app.visit import Visit
from ui.app.window import KioskWindow, Screen
from ui.screens.overlay import IdlePromptCard

logger = logging.getLogger(__name__)


class VisitFlow(QObject):
    visitor_gone = Signal()  # after a reset: the kiosk is fresh for the next visitor

    def __init__(
        self,
        app: QApplication,
        window: KioskWindow,
        visit: Visit,
        idle_ms: int,
        countdown_ms: int,
        crisis_idle_ms: int | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._visit = visit
        self.watch = IdleWatch(idle_ms, countdown_ms, crisis_idle_ms, self)
        self.prompt = IdlePromptCard(window)
        self.prompt.hide()
        self.monitor = ActivityMonitor(self)
        app.installEventFilter(self.monitor)
        self.visiting = False

        self.monitor.activity.connect(self._activity)
        self.watch.prompt_due.connect(self._prompt)
        self.watch.countdown.connect(self.prompt.show_seconds)
        self.watch.expired.connect(self.reset)
        self.prompt.stay_requested.connect(self._activity)
        window.visit_requested.connect(self.start_visit)
        visit.narrator.state_changed.connect(self._reading_changed)
        window.staff_left.connect(self._staff_left)
        window.screen_changed.connect(self._screen_changed)

    def start_visit(self, language: str = "") -> None:
        """A visitor tapped the invitation: home screen, in the language they chose."""
        if language:
            self._window.set_language(language)
        self.visiting = True
        self._visit.start()
        self._window.show_home()
        self.watch.start()

    def reset(self) -> None:
        """The visitor has gone: leave nothing of theirs, and invite the next one."""
        # DEBUG, not INFO: the log keeps times to the millisecond, and a line per visitor
        # would record when each visit ended.
        logger.debug("resetting for the next visitor")
        self.watch.stop()
        self.visiting = False
        self._start_over()
        self.visitor_gone.emit()

    def staff_opened(self) -> None:
        """Staff taking over ends the visit: the staff area opens in the default look."""
        self.watch.hold("staff", True)
        self.visiting = False
        self._start_over()

    def _start_over(self) -> None:
        # Leave the visitor's screen first: putting the language back would otherwise
        # re-open their topic in the default language and count a view nobody made.
        self._window.start_over()
        self._visit.reset()

    def _staff_left(self) -> None:
        self.watch.hold("staff", False)
        self.reset()

    def _reading_changed(self, _state: str) -> None:
        self.watch.hold("speech", self._visit.narrator.active)

    def _screen_changed(self, screen: str) -> None:
        self.watch.wait_long(screen == Screen.CRISIS.value)

    def _activity(self) -> None:
        self._window.dismiss(self.prompt)
        if self.watch.running:
            self.watch.poke()
        else:
            # Touched without starting a visit (the crisis button, the language or text
            # size on the invitation): still put back in time for the next visitor.
            self.watch.start()

    def _prompt(self) -> None:
        if self._window.current is Screen.ATTRACT:
            self.reset()
            return
        self._window.present(self.prompt)
