"""The staff area in the real kiosk (main.build_kiosk): hidden entry, PIN, dashboard, back to
patients. The widget-level details are in test_staff_ui.py."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton

from kiosk.clock import ManualClock
from kiosk.staff.pin import PinStore, ScryptCost
from tests.conftest import ContentFolder
from tests.helpers.gui import tap
from ui.app.window import Screen
from ui.common.hidden_entry import HiddenEntry
from ui.staff.area import StaffArea
from ui.staff.dashboard import TopicTableModel
from ui.staff.pin_pad import NOT_SET_TEXT, PinPad

# The OWASP cost takes ~0.4 s and 128 MiB a check; the stored record carries its own cost.
CHEAP = ScryptCost(n=2**8, r=8, p=1)
PIN = "402917"
# Staff leaving hands the kiosk back as for a new visitor: the attract screen (VisitFlow).
START_SCREEN = Screen.ATTRACT


def hidden_entry(kiosk: Any) -> HiddenEntry:
    entry = kiosk.window.top_bar.title.findChild(HiddenEntry)
    assert entry is not None, "no hidden entry on the clinic name"
    return entry


def hold_clinic_name(qtbot: Any, kiosk: Any) -> StaffArea:
    """Hold the clinic name until the hidden entry fires (its 3 s timer shortened)."""
    title = kiosk.window.top_bar.title
    entry = hidden_entry(kiosk)
    entry.timer.setInterval(50)
    with qtbot.waitSignal(entry.triggered, timeout=5_000):
        qtbot.mousePress(title, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.mouseRelease(title, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    area = kiosk.staff
    assert isinstance(area, StaffArea)
    assert area.isVisible() and kiosk.window.staff is area
    return area


def type_pin(qtbot: Any, pad: PinPad, pin: str) -> None:
    for digit in pin:
        tap(qtbot, pad.keys[int(digit)])


def visible_buttons(area: StaffArea) -> list[QPushButton]:
    return [button for button in area.findChildren(QPushButton) if button.isVisible()]


def test_a_short_tap_on_the_clinic_name_does_nothing(qtbot: Any, make_kiosk: Any) -> None:
    kiosk = make_kiosk()
    entry = hidden_entry(kiosk)
    with qtbot.assertNotEmitted(entry.triggered, wait=100):
        tap(qtbot, kiosk.window.top_bar.title)
    assert not entry.timer.isActive()
    assert kiosk.staff is None and kiosk.window.staff is None


def test_without_a_pin_the_hidden_entry_only_says_so(qtbot: Any, make_kiosk: Any) -> None:
    kiosk = make_kiosk()
    area = hold_clinic_name(qtbot, kiosk)
    pad = area.pin_pad
    qtbot.waitUntil(lambda: pad.property("state") == "notSet")
    assert pad.message.isVisible() and pad.message.text().startswith(NOT_SET_TEXT)
    # No keypad, no PIN field: only the message and a way to close it.
    assert not pad.keypad.isVisible() and not pad.display.isVisible()
    assert visible_buttons(area) == [pad.cancel_button]
    assert pad.cancel_button.text() == "Close"
    with qtbot.waitSignal(area.closed):
        tap(qtbot, pad.cancel_button)
    assert not area.isVisible() and kiosk.window.staff is None
    assert kiosk.window.current is START_SCREEN


@pytest.mark.expected_logs("wrong staff PIN")
def test_pin_dashboard_and_back_to_patients(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, clock: ManualClock
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    # A visitor reads alpha twice and beta once, through the kiosk's own screens: one view
    # of each (docs/counting.md); the next visitor reads alpha again: a second view.
    for visit in ((("alpha", 40), ("beta", 10), ("alpha", 20)), (("alpha", 30),)):
        for topic_id, seconds in visit:
            window.open_topic(topic_id)
            clock.advance(seconds)
        window.show_home()
        kiosk.flow.reset()  # the visitor has gone: their views are recorded
        kiosk.flow.start_visit()
    assert kiosk.view_log.flush()
    # A third leaves large text on, which the next visitor must not inherit.
    kiosk.visit.set_large_text(True)
    PinStore(kiosk.options.paths.data_dir, clock, CHEAP).set_pin(PIN)

    area = hold_clinic_name(qtbot, kiosk)
    pad = area.pin_pad
    qtbot.waitUntil(lambda: pad.property("state") == "ready", timeout=10_000)
    assert pad.keypad.isVisible()

    type_pin(qtbot, pad, "402918")
    tap(qtbot, pad.ok_key)
    qtbot.waitUntil(lambda: pad.property("state") == "error", timeout=10_000)
    assert "not right" in pad.message.text()
    assert not area.unlocked

    type_pin(qtbot, pad, PIN)
    with qtbot.waitSignal(area.dashboard.figures_shown, timeout=10_000) as shown:
        tap(qtbot, pad.ok_key)
    assert area.unlocked and area.dashboard.isVisible()
    figures = shown.args[0]
    # Three views are small counts: the dashboard shows them as exports do (issue 13).
    assert {t.topic_id: t.views for t in figures.topics} == {"alpha": "<11", "beta": "<11"}
    assert figures.views == "<11"
    headline = area.dashboard.headline
    assert headline["views"].text() == "<11"
    assert headline["views"].accessibleName() == "Topic views: <11"
    assert headline["average"].text() == "\u2013"  # the time of so few visitors is not shown
    model = area.dashboard.model
    rows = {
        model.index(row, TopicTableModel.COLUMN_TOPIC).data(): (
            model.index(row, TopicTableModel.COLUMN_VIEWS).data(),
            model.index(row, TopicTableModel.COLUMN_AVERAGE).data(),
        )
        for row in range(model.rowCount())
    }
    alpha, beta = (window.pack.topic(t).tile_title for t in ("alpha", "beta"))
    assert rows == {alpha: ("<11", "\u2013"), beta: ("<11", "\u2013")}
    assert f"{alpha}: <11" in area.dashboard.topics_chart.accessibleDescription()
    assert area.dashboard.topics_chart.value_texts == ["<11", "<11"]

    with qtbot.waitSignal(area.closed):
        tap(qtbot, area.close_button)
    assert not area.isVisible() and window.staff is None
    assert window.current is START_SCREEN
    assert not kiosk.visit.preferences.large_text and not kiosk.visit.preferences.high_contrast
    assert not window.top_bar.large_text.isChecked()
    assert not area.unlocked and pad.entered == 0  # the next person needs the PIN again
