"""The attract screen between visitors: a slow loop of topic cards that runs only while it is
on screen, stands still when the clinic asks for no motion, and never says the title twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from ui.app.window import Screen
from ui.screens.attract_cards import FADE_MS, HOLD_MS


def fast(cards: Any) -> None:
    """The same loop, quicker (the real one holds each card for seconds)."""
    cards.hold_ms, cards.fade_ms = 20, 40
    cards.set_motion(True)


def test_the_loop_is_slow_and_shows_every_topic_in_every_language(
    qtbot: Any, make_kiosk: Any
) -> None:
    kiosk = make_kiosk(visit=False)  # the bundled content, on the attract screen
    cards = kiosk.window.attract.cards
    topics = kiosk.window.pack.topics
    # A full cycle takes tens of seconds: gentle, not flashing.
    assert 20_000 <= len(topics) * (HOLD_MS + 2 * FADE_MS) <= 180_000
    assert cards.isVisible() and cards.running
    first = [label.text() for label in cards.titles if label.isVisible()]
    assert first == [topics[0].tile_title, kiosk.library.pack("es").topics[0].tile_title]


def test_the_cards_move_only_while_the_attract_screen_is_shown(qtbot: Any, make_kiosk: Any) -> None:
    kiosk = make_kiosk(visit=False)
    window = kiosk.window
    assert window.current is Screen.ATTRACT
    cards = window.attract.cards
    fast(cards)
    # It fades (a property that changes), then the next card comes.
    with qtbot.waitSignal(cards.advanced) as advanced:
        qtbot.waitUntil(lambda: cards.opacity < 0.9)
    assert advanced.args == [1]
    assert cards.titles[0].text() == window.pack.topics[1].tile_title
    with qtbot.waitSignal(cards.advanced) as advanced:
        pass
    assert advanced.args == [2]
    # A visitor starts: the loop stops where it is, fully drawn, costing nothing.
    kiosk.flow.start_visit()
    assert window.current is Screen.HOME
    assert not cards.isVisible() and not cards.running and cards.opacity == 1.0
    # Between visitors it runs again.
    kiosk.flow.reset()
    assert window.current is Screen.ATTRACT
    assert cards.running
    with qtbot.waitSignal(cards.advanced):
        pass


def test_reduce_motion_keeps_one_card_still(qtbot: Any, make_kiosk: Any, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text("[kiosk]\nreduce_motion = true\n", encoding="utf-8")
    kiosk = make_kiosk(visit=False)
    cards = kiosk.window.attract.cards
    assert cards.isVisible() and cards.titles[0].text()
    assert not cards.running and cards.opacity == 1.0


def visible_texts(kiosk: Any) -> list[str]:
    return [
        label.text()
        for label in kiosk.window.findChildren(QLabel)
        if label.isVisible() and label.text()
    ]


def test_without_a_clinic_name_the_title_is_not_said_twice(qtbot: Any, make_kiosk: Any) -> None:
    kiosk = make_kiosk(visit=False)
    title = kiosk.window.pack.title
    assert kiosk.window.top_bar.title.text() == title  # no clinic name: the pack's title
    assert visible_texts(kiosk).count(title) == 1
    # The other language's title is new here, so it stays with its start button.
    assert kiosk.library.pack("es").title in visible_texts(kiosk)


def test_with_a_clinic_name_each_language_keeps_its_title(
    qtbot: Any, make_kiosk: Any, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text('[clinic]\nname = "Riverside Clinic"\n', encoding="utf-8")
    kiosk = make_kiosk(visit=False)
    texts = visible_texts(kiosk)
    assert texts.count("Riverside Clinic") == 1
    assert texts.count(kiosk.window.pack.title) == 1
    assert kiosk.library.pack("es").title in texts


def test_in_high_contrast_the_invitation_page_is_dark_behind_its_light_text(
    qtbot: Any, make_kiosk: Any
) -> None:
    kiosk = make_kiosk(visit=False)
    kiosk.visit.set_high_contrast(True)  # the top bar's toggle works on this screen too
    page = kiosk.window.attract.page
    background = QColor(kiosk.window.attract._theme.colour("background"))
    # As the screen shows it: the whole window drawn, read at a blank spot of the page.
    spot = page.mapTo(kiosk.window, page.rect().topLeft()) + QPoint(5, 5)
    assert kiosk.window.grab().toImage().pixelColor(spot) == background
