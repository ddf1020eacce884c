"""The staff area with pytest-qt: PIN pad, idle timeout, dashboard figures, export, health."""

from __future__ import annotations

import csv
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QFrame,
    QLabel,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, insert
from sqlalchemy.exc import OperationalError

from kiosk.clock import ManualClock
from kiosk.settings import Settings
from kiosk.staff.pin import FREE_ATTEMPTS, PinStore, ScryptCost
from kiosk.stats.export import ExportFolder, ExportResult, statistics_noise
from kiosk.stats.kinds import Grouping
from kiosk.stats.onscreen import DashboardFigures, ShownDashboard
from kiosk.stats.queries import Dashboard, DateRange, Statistics
from kiosk.theme import ThemeBook, contrast_ratio
from kiosk.viewlog.schema import visit_counts
from kiosk.viewlog.store import open_database
from tests.helpers.counters import store_rows
from ui.common.hidden_entry import HiddenEntry
from ui.common.tasks import TaskRunner
from ui.common.theme import ThemeApplier, load_fonts
from ui.staff.area import StaffArea
from ui.staff.dashboard import TopicTableModel
from ui.staff.health import HealthPanel, HealthReport
from ui.staff.pin_pad import NOT_SET_TEXT, PinPad

# The offscreen platform says this whenever a top-level window is shown; it means nothing.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CHEAP = ScryptCost(n=2**8, r=8, p=1)
PIN = "402917"
TODAY = date(2026, 11, 20)
TOPIC_VIEWS = {  # topic -> (views per day on each of the last 7 days, seconds per view)
    "what-is-ketamine": (9, 40),
    "side-effects": (5, 70),
    "after-infusion": (2, 30),
}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 20, 9, 30))


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    assert runner.wait(10_000)


def test_a_result_for_a_deleted_owner_is_dropped(qtbot: QtBot, tasks: TaskRunner) -> None:
    from PySide6.QtCore import QObject

    release = threading.Event()
    delivered: list[str] = []
    owner, survivor = QObject(), QObject()
    tasks.run(lambda: release.wait(5) and "late", delivered.append, owner=owner)
    tasks.run(lambda: release.wait(5) and "kept", delivered.append, owner=survivor)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    release.set()
    qtbot.waitUntil(lambda: delivered == ["kept"])
    assert tasks.wait(5000)


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> PinStore:
    pins = PinStore(tmp_path / "data", clock, CHEAP)
    pins.set_pin(PIN)
    return pins


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine, _ = open_database(f"sqlite:///{tmp_path / 'kiosk.db'}", datetime(2026, 11, 20))
    rows = []
    for offset in range(7):
        day = TODAY - timedelta(days=offset)
        for topic, (views, seconds) in TOPIC_VIEWS.items():
            rows.append(
                {
                    "day": day,
                    "hour": 10 + offset % 3,
                    "kiosk_id": "kiosk-1",
                    "topic_id": topic,
                    "language": "es" if topic == "side-effects" else "en",
                    "read_aloud": topic == "after-infusion",
                    "large_text": False,
                    "high_contrast": False,
                    "views": views,
                    "seconds_total": views * seconds,
                }
            )
    # Outside the last 7 days: must not be counted.
    rows.append({**rows[0], "day": TODAY - timedelta(days=40), "views": 500})
    store_rows(engine, rows)
    with engine.begin() as connection:
        connection.execute(
            insert(visit_counts),
            [
                {"day": TODAY - timedelta(days=d), "hour": 10, "kiosk_id": "k", "visits": 3}
                for d in range(7)
            ],
        )
    yield engine
    engine.dispose()


def _health() -> HealthReport:
    return HealthReport(
        database_bytes=3 * 1024 * 1024,
        last_write=datetime(2026, 11, 20, 9, 29, 40),
        pending_counters=4,
        speech_state="ready (espeak-ng)",
        content_errors=("content/en/cost.md line 3: missing title",),
    )


@pytest.fixture
def threshold() -> int:
    """staff.small_count_threshold; a test that wants exact figures on screen sets it to 0."""
    return Settings().small_count_threshold


@pytest.fixture
def area(
    qtbot: QtBot,
    store: PinStore,
    engine: Engine,
    tasks: TaskRunner,
    clock: ManualClock,
    tmp_path: Path,
    threshold: int,
) -> StaffArea:
    exports = tmp_path / "exports"
    exports.mkdir()
    widget = StaffArea(
        pin_store=store,
        statistics=Statistics(engine),
        tasks=tasks,
        settings=Settings(small_count_threshold=threshold),
        clock=clock,
        health=_health,
        list_folders=lambda: [ExportFolder(exports, "Clinic folder", False)],
        timeout_ms=60_000,
    )
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def _type(qtbot: QtBot, pad: PinPad, pin: str) -> None:
    for digit in pin:
        qtbot.mouseClick(pad.keys[int(digit)], Qt.MouseButton.LeftButton)


def _ready(qtbot: QtBot, pad: PinPad) -> None:
    qtbot.waitUntil(lambda: pad.keys[0].isEnabled())


def _unlock(qtbot: QtBot, area: StaffArea) -> ShownDashboard:
    area.open()
    _ready(qtbot, area.pin_pad)
    _type(qtbot, area.pin_pad, PIN)
    with qtbot.waitSignal(area.dashboard.figures_shown, timeout=10_000) as shown:
        qtbot.mouseClick(area.pin_pad.ok_key, Qt.MouseButton.LeftButton)
    figures = shown.args[0]
    assert isinstance(figures, ShownDashboard)
    return figures


# --- PIN pad ---


@pytest.mark.expected_logs("wrong staff PIN")
def test_pin_pad_rejects_a_wrong_pin_and_accepts_the_right_one(
    qtbot: QtBot, area: StaffArea
) -> None:
    pad = area.pin_pad
    area.open()
    _ready(qtbot, pad)
    assert not area.unlocked
    _type(qtbot, pad, "402918")
    assert pad.display.text() == " ".join("\u25cf" * 6)  # masked, never the digits
    with qtbot.assertNotEmitted(pad.unlocked, wait=0):
        qtbot.mouseClick(pad.ok_key, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: pad.property("state") == "error", timeout=10_000)
    assert "not right" in pad.message.text()
    assert not area.unlocked
    assert pad.entered == 0

    _type(qtbot, pad, PIN)
    with qtbot.waitSignal(pad.unlocked, timeout=10_000):
        qtbot.mouseClick(pad.ok_key, Qt.MouseButton.LeftButton)
    assert area.unlocked


def test_delete_and_the_minimum_length(qtbot: QtBot, area: StaffArea) -> None:
    pad = area.pin_pad
    area.open()
    _ready(qtbot, pad)
    _type(qtbot, pad, "40291")
    assert not pad.ok_key.isEnabled()
    _type(qtbot, pad, "77")
    qtbot.mouseClick(pad.delete_key, Qt.MouseButton.LeftButton)
    assert pad.entered == 6
    qtbot.mouseClick(pad.delete_key, Qt.MouseButton.LeftButton)
    _type(qtbot, pad, "7")
    with qtbot.waitSignal(pad.unlocked, timeout=10_000):
        qtbot.mouseClick(pad.ok_key, Qt.MouseButton.LeftButton)


def test_no_pin_set_says_so(
    qtbot: QtBot, tasks: TaskRunner, clock: ManualClock, tmp_path: Path
) -> None:
    pad = PinPad(PinStore(tmp_path / "empty", clock, CHEAP), tasks, clock)
    qtbot.addWidget(pad)
    pad.show()
    pad.reset()
    qtbot.waitUntil(lambda: pad.property("state") == "notSet")
    assert pad.message.text().startswith(NOT_SET_TEXT)
    assert f"--data-dir {tmp_path / 'empty'}" in pad.message.text()
    assert "No staff PIN is set up" in pad.message.text()
    assert not any(key.isEnabled() for key in pad.keys)
    # Only the message and a way out: no keypad, no PIN field, no title asking for one.
    assert pad.keypad.isHidden() and pad.display.isHidden() and pad.title.isHidden()
    assert pad.cancel_button.isVisible() and pad.cancel_button.text() == "Close"


@pytest.mark.expected_logs("wrong staff PIN")
def test_pin_pad_shows_the_wait_after_too_many_failures(
    qtbot: QtBot, store: PinStore, tasks: TaskRunner, clock: ManualClock
) -> None:
    for _ in range(FREE_ATTEMPTS):
        store.verify("999990")
    # A new pad, as after a restart: the wait comes from the file.
    pad = PinPad(store, tasks, clock)
    qtbot.addWidget(pad)
    pad.show()
    pad.reset()
    qtbot.waitUntil(lambda: pad.property("state") == "throttled")
    assert "30 s" in pad.message.text()
    assert not any(key.isEnabled() for key in pad.keys)
    clock.advance(25)
    pad.countdown.timeout.emit()
    assert "5 s" in pad.message.text()
    clock.advance(5)
    pad.countdown.timeout.emit()
    qtbot.waitUntil(lambda: pad.property("state") == "ready")
    assert all(key.isEnabled() for key in pad.keys)


def test_touch_targets_and_accessible_names(qtbot: QtBot, area: StaffArea) -> None:
    _unlock(qtbot, area)
    qtbot.waitUntil(lambda: bool(area.export_panel.folder_buttons))
    buttons = area.findChildren(QPushButton)
    assert len(buttons) > 30
    for button in buttons:
        assert button.minimumWidth() >= 48 and button.minimumHeight() >= 48, button.objectName()
        assert button.accessibleName(), button.objectName()
        assert button.objectName(), button.text()
    for key in [*area.pin_pad.keys, area.pin_pad.delete_key, area.pin_pad.ok_key]:
        assert key.minimumWidth() >= 64 and key.minimumHeight() >= 64


# --- closing itself ---


def test_staff_area_closes_itself_after_the_timeout(qtbot: QtBot, area: StaffArea) -> None:
    _unlock(qtbot, area)
    assert area.unlocked
    area.idle_timer.setInterval(50)
    area.idle_timer.start()
    with qtbot.waitSignal(area.closed, timeout=5_000):
        pass
    assert not area.unlocked  # locked again: the next person needs the PIN
    assert area.pin_pad.entered == 0


def test_activity_restarts_the_idle_timer(qtbot: QtBot, area: StaffArea) -> None:
    _unlock(qtbot, area)
    assert area.idle_timer.isActive()
    # A second gone, so a restart shows even if showing the health page takes a while.
    qtbot.waitUntil(lambda: area.idle_timer.remainingTime() < 59_000, timeout=5_000)
    qtbot.mouseClick(area.nav_buttons["health"], Qt.MouseButton.LeftButton)
    assert area.idle_timer.remainingTime() > 59_000
    assert area.sections.currentWidget() is area.health


def test_close_button_and_cancel_leave(qtbot: QtBot, area: StaffArea) -> None:
    _unlock(qtbot, area)
    with qtbot.waitSignal(area.closed):
        qtbot.mouseClick(area.close_button, Qt.MouseButton.LeftButton)
    assert not area.idle_timer.isActive()
    area.open()
    _ready(qtbot, area.pin_pad)
    with qtbot.waitSignal(area.closed):
        qtbot.mouseClick(area.pin_pad.cancel_button, Qt.MouseButton.LeftButton)


# --- hidden entry ---


def test_hidden_entry_ignores_short_taps_and_opens_on_a_long_press(qtbot: QtBot) -> None:
    logo = QLabel("Clinic")
    logo.setObjectName("clinicLogo")
    qtbot.addWidget(logo)
    logo.show()
    entry = HiddenEntry(logo, hold_ms=200)
    with qtbot.assertNotEmitted(entry.triggered, wait=0):
        qtbot.mouseClick(logo, Qt.MouseButton.LeftButton)
    assert not entry.timer.isActive()
    with qtbot.waitSignal(entry.triggered, timeout=5_000):
        qtbot.mousePress(logo, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.mouseRelease(logo, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))


# --- dashboard ---


@pytest.mark.parametrize("threshold", [0])  # exact counts: small-count rule off
def test_dashboard_shows_the_figures_of_the_seeded_database(qtbot: QtBot, area: StaffArea) -> None:
    figures = _unlock(qtbot, area)
    assert figures.span == DateRange(TODAY - timedelta(days=6), TODAY)
    expected = {topic: views * 7 for topic, (views, _) in TOPIC_VIEWS.items()}
    model = area.dashboard.model
    shown = {
        model.index(row, TopicTableModel.COLUMN_TOPIC).data(): int(
            model.index(row, TopicTableModel.COLUMN_VIEWS).data()
        )
        for row in range(model.rowCount())
    }
    assert shown == expected
    first = model.index(0, TopicTableModel.COLUMN_TOPIC).data()
    assert first == "what-is-ketamine"  # most viewed first
    averages = {
        model.index(row, TopicTableModel.COLUMN_TOPIC).data(): model.index(
            row, TopicTableModel.COLUMN_AVERAGE
        ).data()
        for row in range(model.rowCount())
    }
    assert averages == {topic: str(seconds) for topic, (_, seconds) in TOPIC_VIEWS.items()}
    headline = area.dashboard.headline
    assert headline["visits"].text() == "21"
    assert headline["visits"].accessibleName() == "Visits: 21"
    assert headline["views"].accessibleName() == f"Topic views: {sum(expected.values())}"
    read_aloud = 100 * expected["after-infusion"] / sum(expected.values())
    assert headline["read_aloud"].text() == f"{read_aloud:.0f}%"
    assert headline["read_aloud"].accessibleName() == f"Read aloud: {read_aloud:.0f}%"
    topics_chart = area.dashboard.charts["topics"].accessibleDescription()
    assert "what-is-ketamine: 63" in topics_chart and "side-effects: 35" in topics_chart
    languages = area.dashboard.charts["languages"].accessibleDescription()
    assert "en: 77" in languages and "es: 35" in languages
    days = area.dashboard.charts["days"].accessibleDescription()
    assert f"{TODAY.isoformat()}: 16" in days


@pytest.mark.parametrize("threshold", [0])
def test_dashboard_ranges(qtbot: QtBot, area: StaffArea) -> None:
    _unlock(qtbot, area)
    chooser = area.dashboard.range
    with qtbot.waitSignal(area.dashboard.figures_shown, timeout=10_000) as shown:
        qtbot.mouseClick(chooser.presets["today"], Qt.MouseButton.LeftButton)
    assert shown.args[0].views == 16
    # Custom dates with the steppers only: back one month from the range's start.
    qtbot.mouseClick(chooser.custom_button, Qt.MouseButton.LeftButton)
    assert chooser.custom.isVisible()
    qtbot.mouseClick(chooser.start.buttons[0], Qt.MouseButton.LeftButton)
    assert chooser.start.value == date(2026, 10, 20)
    with qtbot.waitSignal(area.dashboard.figures_shown, timeout=10_000) as shown:
        qtbot.mouseClick(chooser.apply_button, Qt.MouseButton.LeftButton)
    assert shown.args[0].span == DateRange(date(2026, 10, 20), TODAY)
    assert shown.args[0].views == 112  # the 500 views of 11 October are outside
    # A start after the end cannot be applied.
    for _ in range(2):
        qtbot.mouseClick(chooser.start.buttons[3], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(chooser.end.buttons[0], Qt.MouseButton.LeftButton)
    assert not chooser.apply_button.isEnabled()
    assert chooser.problem.text()


def test_dashboard_shows_topic_titles(
    qtbot: QtBot, engine: Engine, tasks: TaskRunner, clock: ManualClock
) -> None:
    from ui.staff.dashboard import DashboardView

    titles = {"side-effects": "Side effects", "what-is-ketamine": "What is ketamine?"}
    figures = DashboardFigures(Statistics(engine), 0)
    view = DashboardView(figures, tasks, clock, lambda t: titles.get(t, t))
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.figures_shown, timeout=10_000):
        view.refresh()
    names = [
        view.model.index(row, TopicTableModel.COLUMN_TOPIC).data()
        for row in range(view.model.rowCount())
    ]
    assert names == ["What is ketamine?", "Side effects", "after-infusion"]
    assert "What is ketamine?: 63" in view.topics_chart.accessibleDescription()


@pytest.mark.expected_logs("dashboard query failed")
def test_dashboard_reports_an_unreadable_database(
    qtbot: QtBot, tasks: TaskRunner, clock: ManualClock
) -> None:
    class Locked:
        def dashboard(self, span: DateRange) -> Dashboard:
            busy = sqlite3.OperationalError("database is locked")
            busy.sqlite_errorcode = sqlite3.SQLITE_BUSY  # as SQLite itself sets it
            raise OperationalError("SELECT", {}, busy)

    from ui.staff.dashboard import DashboardView

    view = DashboardView(DashboardFigures(Locked(), 11), tasks, clock)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.refresh_failed, timeout=10_000) as failed:
        view.refresh()
    assert "cannot be read just now" in failed.args[0]
    assert view.status.property("state") == "error"


# --- export ---


def test_export_panel_writes_a_checked_file(
    qtbot: QtBot, area: StaffArea, engine: Engine, tmp_path: Path
) -> None:
    _unlock(qtbot, area)
    panel = area.export_panel
    qtbot.mouseClick(area.nav_buttons["export"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(panel.folder_buttons))
    assert panel.folder_buttons[0].isChecked()  # the only folder is chosen for you
    qtbot.mouseClick(panel.groupings["week"], Qt.MouseButton.LeftButton)  # type: ignore[index]
    with qtbot.waitSignal(panel.export_finished, timeout=10_000) as finished:
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    result = finished.args[0]
    assert isinstance(result, ExportResult)
    assert result.path.parent == tmp_path / "exports"
    assert "checked" in panel.status.text()
    with result.path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    totals = {row["topic_id"]: row["views"] for row in rows if row["period"] == "total"}
    # The true totals are 14, 35 and 63: the file holds the sums of the perturbed days, the
    # same ones the export code gives for this database's key.
    total = next(row for row in rows if row["period"] == "total")
    span = DateRange(
        date.fromisoformat(total["period_start"]), date.fromisoformat(total["period_end"])
    )
    statistics = Statistics(engine)
    noise = statistics_noise(statistics)
    released: dict[str, int] = {}
    for figure in statistics.topic_periods(span, Grouping.WEEK, noise):
        released[figure.topic_id] = released.get(figure.topic_id, 0) + figure.totals.views
    assert totals.keys() == released.keys()
    for topic, shown in totals.items():
        # The noise may take a total under the threshold: then the file hides it, as it must.
        if shown.startswith("<"):
            assert released[topic] < int(shown[1:]), topic
        else:
            assert shown == str(released[topic]), topic
    assert any(not shown.startswith("<") for shown in totals.values())
    for topic, true in {"after-infusion": 14, "side-effects": 35, "what-is-ketamine": 63}.items():
        assert abs(int(totals[topic]) - true) <= 2 * span.days
    assert "changed by up to 2" in panel.privacy_note.text()


@pytest.mark.expected_logs("export failed")
def test_export_panel_reports_a_failure(
    qtbot: QtBot, engine: Engine, tasks: TaskRunner, clock: ManualClock, tmp_path: Path
) -> None:
    from ui.staff.export_panel import ExportPanel

    gone = tmp_path / "unplugged"
    panel = ExportPanel(
        Statistics(engine),
        tasks,
        Settings(),
        clock,
        list_folders=lambda: [ExportFolder(gone, "Drive STICK", True)],
    )
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.folders_listed, timeout=10_000):
        panel.refresh_folders()
    with qtbot.waitSignal(panel.export_failed, timeout=10_000) as failed:
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert "does not exist" in failed.args[0]
    assert panel.status.property("state") == "error"
    assert panel.export_button.isEnabled()


# --- health ---


def test_health_panel_shows_the_report(qtbot: QtBot, clock: ManualClock) -> None:
    panel = HealthPanel(_health, clock)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.labels["database"].text() == "3.0 MB"
    assert "just now" in panel.labels["last_write"].text()
    assert panel.labels["pending"].text() == "4"
    assert panel.labels["speech"].text() == "ready (espeak-ng)"
    assert "missing title" in panel.labels["content"].text()
    assert panel.labels["content"].property("state") == "error"
    assert panel.labels["pending"].property("state") == "warning"
    assert panel.labels["speech"].property("state") == "ok"
    with qtbot.waitSignal(panel.reload_content_requested):
        qtbot.mouseClick(panel.reload_button, Qt.MouseButton.LeftButton)


def test_leaving_kiosk_mode_asks_to_confirm_inside_the_kiosk(
    qtbot: QtBot, clock: ManualClock
) -> None:
    panel = HealthPanel(_health, clock)
    qtbot.addWidget(panel)
    panel.resize(1280, 700)
    panel.show()
    # One tap does not leave; tapping the same spot again (a double tap) keeps the kiosk.
    spot = panel.exit_button.mapTo(panel, panel.exit_button.rect().center())
    with qtbot.assertNotEmitted(panel.exit_kiosk_requested, wait=0):
        qtbot.mouseClick(panel.exit_button, Qt.MouseButton.LeftButton)
        assert panel.confirming and panel.exit_card.property("state") == "confirm"
        assert "now?" in panel.exit_text.text()
        again = panel.childAt(spot)
        assert again is not panel.confirm_exit_button
        qtbot.mouseClick(panel.stay_button, Qt.MouseButton.LeftButton)  # cancel
    assert not panel.confirming and panel.exit_button.isVisible()
    assert QApplication.activeModalWidget() is None  # no native dialog: all in the panel
    # Leaving takes the tap and its confirmation.
    qtbot.mouseClick(panel.exit_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.exit_kiosk_requested):
        qtbot.mouseClick(panel.confirm_exit_button, Qt.MouseButton.LeftButton)
    assert not panel.confirming
    # Unconfirmed, the question goes away by itself.
    qtbot.mouseClick(panel.exit_button, Qt.MouseButton.LeftButton)
    panel._confirm.timeout.emit()
    assert not panel.confirming


def test_leave_kiosk_mode_sits_apart_from_reload(qtbot: QtBot, clock: ManualClock) -> None:
    panel = HealthPanel(_health, clock)
    qtbot.addWidget(panel)
    panel.resize(1280, 700)
    panel.show()
    reload = QRect(panel.reload_button.mapTo(panel, QPoint(0, 0)), panel.reload_button.size())
    leave = QRect(panel.exit_button.mapTo(panel, QPoint(0, 0)), panel.exit_button.size())
    # Not side by side: in a card of its own, well below, with a gap no slip of a finger spans.
    assert leave.top() - reload.bottom() >= 40
    assert panel.exit_button.parent() is panel.exit_card
    assert panel.reload_button.parent() is not panel.exit_card


def test_area_forwards_reload_and_exit(qtbot: QtBot, area: StaffArea) -> None:
    _unlock(qtbot, area)
    qtbot.mouseClick(area.nav_buttons["health"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(area.reload_content_requested):
        qtbot.mouseClick(area.health.reload_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(area.health.exit_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(area.exit_kiosk_requested):
        qtbot.mouseClick(area.health.confirm_exit_button, Qt.MouseButton.LeftButton)


def test_no_widget_sets_its_own_stylesheet(qtbot: QtBot, area: StaffArea) -> None:
    _unlock(qtbot, area)
    for widget in [area, *area.findChildren(QWidget)]:
        assert widget.styleSheet() == "", widget.objectName()


# --- looks: the kiosk's stylesheet, both themes, both screen sizes ---


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[ThemeApplier]:
    """The kiosk's own stylesheet and font on the application, as build_kiosk applies them."""
    load_fonts()
    applier = ThemeApplier(qapp, ThemeBook.load())
    yield applier
    # Back to the standard look, but never to no stylesheet at all: with PySide6 6.11,
    # clearing the application stylesheet and setting it again later crashed (SIGSEGV in
    # QtWidgets) once the staff area had been shown. The kiosk never clears it either.
    applier.apply("standard", "standard")


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _cut_off(area: QWidget) -> list[str]:
    """Visible labels and buttons smaller than their text needs, or past the screen's edge."""
    problems = []
    for widget in area.findChildren(QWidget):
        if not isinstance(widget, QLabel | QPushButton) or not widget.isVisible():
            continue
        name = widget.objectName() or widget.text()
        hint = widget.sizeHint()
        if isinstance(widget, QLabel) and widget.wordWrap():
            if widget.height() + 1 < widget.heightForWidth(widget.width()):
                problems.append(f"{name}: wrapped text taller than its label")
        elif widget.width() + 1 < hint.width() or widget.height() + 1 < hint.height():
            problems.append(f"{name}: {widget.size().toTuple()} < {hint.toTuple()}")
        # Inside a scroll area only sideways matters (pages scroll down, never across).
        scroll = _scroll_area_of(widget)
        frame = scroll.viewport() if scroll is not None else area
        corner = widget.mapTo(frame, QPoint(0, 0))
        if corner.x() < 0 or corner.x() + widget.width() > frame.width():
            problems.append(f"{name}: past the right or left edge")
        if scroll is None and corner.y() + widget.height() > frame.height():
            problems.append(f"{name}: below the bottom of the screen")
        # Nor may a button poke out of the card it sits on.
        card = widget.parentWidget()
        if isinstance(widget, QPushButton) and isinstance(card, QFrame):
            inside = card.contentsRect()
            if not inside.contains(QRect(widget.mapTo(card, QPoint(0, 0)), widget.size())):
                problems.append(f"{name}: sticks out of {card.objectName()}")
    if isinstance(area, StaffArea):
        table = area.dashboard.table
        for row in range(table.model().rowCount()):
            if table.rowHeight(row) < table.sizeHintForRow(row):
                problems.append(f"table row {row} is shorter than its text")
        if table.isVisible() and table.height() < table.verticalHeader().length():
            problems.append("the table is shorter than its rows")
    return problems


@pytest.mark.parametrize(
    ("width", "height", "text_size"),
    [(1920, 1080, "standard"), (1280, 800, "standard"), (1280, 800, "large")],
)
def test_nothing_is_cut_off_and_no_chart_label_is_elided(
    qtbot: QtBot, area: StaffArea, theme: ThemeApplier, width: int, height: int, text_size: str
) -> None:
    theme.apply("standard", text_size)
    area.resize(width, height)
    area.open()
    _ready(qtbot, area.pin_pad)
    _type(qtbot, area.pin_pad, "402")

    def pin_pad_fits() -> None:
        assert _cut_off(area) == []

    qtbot.waitUntil(pin_pad_fits, timeout=5_000)
    _unlock(qtbot, area)
    qtbot.waitUntil(lambda: bool(area.export_panel.folder_buttons))
    qtbot.mouseClick(area.dashboard.range.custom_button, Qt.MouseButton.LeftButton)
    for key in ("dashboard", "export", "health"):
        qtbot.mouseClick(area.nav_buttons[key], Qt.MouseButton.LeftButton)

        def settled() -> None:
            assert _cut_off(area) == []

        # Layouts, the table's row heights and the charts settle over a few event loops.
        qtbot.waitUntil(settled, timeout=5_000)
    for chart in area.dashboard.charts.values():
        # QtCharts shortens a label that does not fit; the layout must leave room for each.
        assert not any(axis.labelsTruncated() for axis in chart.axes()), chart.title
    topics = area.dashboard.topics_chart
    assert topics.names.count() == len(TOPIC_VIEWS)  # every topic named, none dropped


@pytest.mark.parametrize("text_size", ["standard", "large"])
def test_the_no_pin_card_fits(
    qtbot: QtBot,
    tasks: TaskRunner,
    clock: ManualClock,
    tmp_path: Path,
    theme: ThemeApplier,
    text_size: str,
) -> None:
    theme.apply("standard", text_size)
    pad = PinPad(PinStore(tmp_path / "empty", clock, CHEAP), tasks, clock)
    qtbot.addWidget(pad)
    pad.resize(1280, 800)
    pad.show()
    pad.reset()
    qtbot.waitUntil(lambda: pad.property("state") == "notSet")

    def fits() -> None:
        assert _cut_off(pad) == []

    qtbot.waitUntil(fits, timeout=5_000)


def test_charts_and_background_follow_the_theme(
    qtbot: QtBot, area: StaffArea, theme: ThemeApplier
) -> None:
    # A plain QWidget paints no stylesheet background without this: patients would show
    # through the staff area.
    assert area.testAttribute(Qt.WidgetAttribute.WA_StyledBackground)
    theme.apply("standard", "standard")
    _unlock(qtbot, area)
    chart = area.dashboard.topics_chart
    for name in ("standard", "high-contrast"):
        theme.apply(name, "standard")
        colours = {key: QColor(value) for key, value in theme.book.colours[name].items()}

        def themed(colours: dict[str, QColor] = colours) -> None:
            assert chart.bars.color() == colours["accent"]
            assert chart.chart().backgroundBrush().color() == colours["surface"]
            assert chart.names.labelsColor() == colours["text"]

        qtbot.waitUntil(themed, timeout=5_000)


# Text and background pairs the staff section of assets/style.qss uses, with the contrast
# each needs (WCAG 1.4.6: 7:1 for body text; 4.5:1 for the rest, button labels included).
STAFF_PAIRS = (
    ("text", "background", 7.0),  # status lines, table rows (alternate)
    ("text", "surface", 7.0),  # cards, table, chart labels, PIN message
    ("muted_text", "surface", 7.0),  # captions, privacy note
    ("muted_text", "background", 7.0),  # "Loading..."
    ("heading", "surface", 7.0),  # card titles, figures
    ("crisis", "surface", 7.0),  # wrong PIN, dates the wrong way round
    ("text", "crisis_card", 7.0),  # error messages
    ("text", "sentence", 7.0),  # warnings
    ("text", "table_header", 7.0),
    ("secondary_text", "secondary", 4.5),  # choice, stepper, PIN keys
    ("secondary_text", "secondary_pressed", 4.5),
    ("accent_text", "accent", 4.5),  # chosen options, primary buttons
    ("crisis_text", "crisis", 4.5),  # leave kiosk mode
    ("crisis_text", "crisis_pressed", 4.5),
    ("muted_text", "secondary", 4.5),  # disabled buttons
    ("accent", "surface", 3.0),  # chart bars and lines (WCAG 1.4.11, graphics)
    ("border", "surface", 3.0),  # card edges, chart axes
)


@pytest.mark.parametrize("theme_name", ["standard", "high-contrast"])
def test_staff_colours_have_enough_contrast(theme_name: str) -> None:
    colours = ThemeBook.load().colours[theme_name]
    weak = [
        f"{fg} on {bg}: {contrast_ratio(colours[fg], colours[bg]):.2f} < {needed}"
        for fg, bg, needed in STAFF_PAIRS
        if contrast_ratio(colours[fg], colours[bg]) < needed
    ]
    assert weak == []


def test_health_panel_warns_when_read_aloud_is_missing(qtbot: QtBot, clock: ManualClock) -> None:
    panel = HealthPanel(lambda: HealthReport(speech_state="not available: no espeak-ng"), clock)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.labels["speech"].property("state") == "warning"
    assert panel.labels["storage"].property("state") == "ok"


def _key_geometry(pad: PinPad) -> list[QRect]:
    """Where every key of the pad is, in the pad's own coordinates."""
    keys = [*pad.keys, pad.delete_key, pad.ok_key, pad.cancel_button]
    return [QRect(key.mapTo(pad, QPoint(0, 0)), key.size()) for key in keys]


@pytest.mark.expected_logs("wrong staff PIN")
@pytest.mark.parametrize("text_size", ["standard", "large"])
def test_the_keypad_does_not_move_when_the_message_wraps(
    qtbot: QtBot, area: StaffArea, theme: ThemeApplier, text_size: str
) -> None:
    theme.apply("standard", text_size)
    pad = area.pin_pad
    area.open()
    _ready(qtbot, pad)
    qtbot.waitUntil(lambda: pad.message.text() == "Enter the staff PIN.")
    # The new text size reaches the layout through posted events: measure once it has.
    QApplication.processEvents()
    before = _key_geometry(pad)
    one_line = pad.message.fontMetrics().lineSpacing()
    # A wrong PIN: a longer message, on two lines or more.
    _type(qtbot, pad, "402918")
    qtbot.mouseClick(pad.ok_key, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not right" in pad.message.text(), timeout=10_000)
    wrapped = pad.message.heightForWidth(pad.message.contentsRect().width())
    assert wrapped >= 2 * one_line  # it did wrap
    QApplication.processEvents()
    assert _key_geometry(pad) == before
    assert pad.message.height() >= wrapped  # and all of it shows
    # Wrong until the pad makes staff wait: the countdown, the longest message of all.
    for _ in range(FREE_ATTEMPTS - 1):
        qtbot.waitUntil(lambda: pad.ok_key.isEnabled() or pad.keys[0].isEnabled())
        _type(qtbot, pad, "402918")
        qtbot.mouseClick(pad.ok_key, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: pad.property("state") in ("error", "throttled"), timeout=10_000)
    qtbot.waitUntil(lambda: pad.property("state") == "throttled", timeout=10_000)
    QApplication.processEvents()
    assert _key_geometry(pad) == before
    assert pad.message.height() >= pad.message.heightForWidth(pad.message.contentsRect().width())
