"""The first frame builds only what it shows; the other screens come after it, ready."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.theme import LARGE, STANDARD, ThemeBook
from tests.conftest import ContentFolder
from tests.helpers.gui import tap
from ui.app.window import PREPARE_AFTER_MS, Screen
from ui.screens.overlay import GlossaryCard


def test_the_first_frame_builds_only_the_invitation(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root, show=False, visit=False)
    window = kiosk.window
    assert window.screens.count() == 1  # the invitation only
    assert window.screens.currentWidget() is window.attract
    assert window.findChildren(GlossaryCard) == []
    with qtbot.waitSignal(window.first_painted, timeout=10_000):
        window.resize(1280, 800)
        window.show()
    # When idle after the first frame the rest is built ahead of the first tap.
    with qtbot.waitSignal(window.prepared, timeout=10_000):
        pass
    assert window.is_prepared
    assert window.screens.count() == 4 and len(window.findChildren(GlossaryCard)) == 1


def test_a_screen_built_late_follows_the_text_size_and_reads_aloud(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root, show=False, visit=False)
    window = kiosk.window
    kiosk.visit.set_large_text(True)
    kiosk.flow.start_visit()  # built now, on first use, after the choices were made
    with qtbot.waitSignal(window.first_painted, timeout=10_000):
        window.resize(1280, 800)
        window.show()
    assert window.current is Screen.HOME
    assert [t.topic_id for t in window.home.tiles] == ["alpha", "beta", "gamma", "crisis"]
    home_tile: QWidget = window.home.tiles[0]
    tap(qtbot, home_tile)
    assert window.current is Screen.TOPIC
    assert window.topic.topic is not None and window.topic.topic.id == "alpha"
    # Its icons were sized for large text when it was built (TopicScreen.refresh_style).
    book = ThemeBook.load()
    assert window.topic.home.iconSize().width() == round(book.sizes[LARGE]["button"] * 1.6)
    assert book.sizes[LARGE]["button"] != book.sizes[STANDARD]["button"]
    assert window.read_aloud.bars["topic"] is window.topic.read_bar


def test_nothing_is_built_under_a_patients_finger(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    """After the first frame the rest is built only once the screen has been left alone
    (PREPARE_AFTER_MS): each touch starts the wait again."""
    kiosk = make_kiosk(content_dir=content.root, show=False, visit=False)
    window = kiosk.window
    with qtbot.waitSignal(window.first_painted, timeout=10_000):
        window.resize(1280, 800)
        window.show()
    waiting = window._prepare
    assert waiting.isActive() and waiting.interval() == PREPARE_AFTER_MS
    qtbot.waitUntil(lambda: 0 < waiting.remainingTime() < PREPARE_AFTER_MS // 3)
    tap(qtbot, next(iter(window.attract.buttons.values())))  # the home screen, on first use
    assert window.current is Screen.HOME
    # The tap restarted the wait: the topic screen is not being built meanwhile.
    assert waiting.isActive() and waiting.remainingTime() > PREPARE_AFTER_MS // 2
    assert window.screens.count() == 2  # the invitation and the home screen
    qtbot.waitUntil(lambda: window.screens.count() == 4 and not waiting.isActive())
    assert window.findChildren(GlossaryCard) != []


def test_start_up_objects_are_set_aside_from_collection_once_all_is_built(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    import gc

    import main

    kiosk = make_kiosk(content_dir=content.root, show=False, visit=False)
    window = kiosk.window
    main.keep_collections_short(window)
    try:
        with qtbot.waitSignal(window.first_painted, timeout=10_000):
            window.resize(1280, 800)
            window.show()
        assert gc.get_freeze_count() == 0  # not before the screens are built
        with qtbot.waitSignal(window.prepared, timeout=10_000):
            pass
        assert gc.get_freeze_count() > 10_000  # the window's wrappers among them
    finally:
        gc.unfreeze()  # the rest of the test run collects as usual
