"""The kiosk as a patient uses it: tap a tile, read, go back, get crisis help from anywhere."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QPushButton

from kiosk.clock import ManualClock
from tests.conftest import ContentFolder, interaction_counts, topic_text
from tests.helpers.gui import tap
from ui.app.window import Screen
from ui.screens.reader import BodyView


def tile(kiosk: Any, topic_id: str) -> QPushButton:
    return next(t for t in kiosk.window.home.tiles if t.topic_id == topic_id)


def view_rows(kiosk: Any, tmp_path: Path) -> list[tuple[Any, ...]]:
    assert kiosk.view_log.flush()
    with sqlite3.connect(tmp_path / "data" / "kiosk.db") as connection:
        return sorted(connection.execute("SELECT * FROM topic_view_counts").fetchall())


def test_tapping_a_tile_shows_the_topic_and_the_visit_records_one_view(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, clock: ManualClock, tmp_path: Path
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    assert [t.topic_id for t in window.home.tiles] == ["alpha", "beta", "gamma", "crisis"]
    with qtbot.waitSignal(window.screen_changed) as shown:
        tap(qtbot, tile(kiosk, "alpha"))
    assert shown.args == [Screen.TOPIC.value]
    assert window.topic.title.text() == "Alpha?"
    assert "This is the alpha topic." in window.topic.reader.intro.toPlainText()
    assert window.topic.review.text() == "Awaiting clinical review"
    clock.advance(37)
    tap(qtbot, window.topic.home)
    assert window.current is Screen.HOME
    # Recorded when the visit ends, not when the topic is left: coming back to it later in
    # the visit is the same view (docs/counting.md).
    assert view_rows(kiosk, tmp_path) == []
    kiosk.flow.reset()
    assert view_rows(kiosk, tmp_path) == [
        ("2026-11-20", 9, "kiosk-1", "alpha", "en", 0, 0, 0, 1, 37)
    ]


def test_next_and_previous_walk_the_topics(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    topic = kiosk.window.topic
    tap(qtbot, tile(kiosk, "alpha"))
    assert not topic.previous.isVisible()
    tap(qtbot, topic.next)
    assert topic.topic.id == "beta"
    tap(qtbot, topic.next)
    assert topic.topic.id == "gamma" and not topic.next.isVisible()
    tap(qtbot, topic.previous)
    assert topic.topic.id == "beta"


@pytest.mark.parametrize("start", ["home", "topic", "crisis", "glossary"])
def test_crisis_button_opens_crisis_help_from_every_screen(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, start: str
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    if start in ("topic", "glossary", "crisis"):
        tap(qtbot, tile(kiosk, "alpha"))
    if start == "glossary":
        window.open_glossary("off-label")
        assert window.overlay.isVisible()
        # The pop-up's backdrop leaves the crisis button uncovered: a real tap reaches it.
        button = window.top_bar.crisis
        hit = window.childAt(button.mapTo(window, button.rect().center()))
        assert hit is button or button.isAncestorOf(hit)
    if start == "crisis":
        tap(qtbot, window.top_bar.crisis)
    tap(qtbot, window.top_bar.crisis)
    assert window.current is Screen.CRISIS
    assert not window.overlay.isVisible()
    crisis = window.crisis
    assert crisis.lifeline.heading.text() == "Call or text 988"
    assert crisis.emergency.heading.text() == "In danger now? Call 911"
    assert crisis.front_desk.text.text() == "Tell the front desk now."
    tap(qtbot, crisis.back)
    expected = Screen.HOME if start == "home" else Screen.TOPIC
    assert window.current is expected


def test_crisis_tile_opens_crisis_help_and_counts_a_view(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    tap(qtbot, tile(kiosk, "crisis"))
    assert kiosk.window.current is Screen.CRISIS
    tap(qtbot, kiosk.window.crisis.back)
    kiosk.flow.reset()
    assert [r[3] for r in view_rows(kiosk, tmp_path)] == ["crisis"]


def test_disclaimer_is_on_every_screen(qtbot: Any, make_kiosk: Any, content: ContentFolder) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    for go in (
        lambda: None,
        lambda: tap(qtbot, tile(kiosk, "beta")),
        lambda: tap(qtbot, window.top_bar.crisis),
    ):
        go()
        assert window.footer.disclaimer.isVisible()
        assert "not medical advice" in window.footer.disclaimer.text()
        assert window.top_bar.crisis.isVisible()


@pytest.mark.expected_logs("content problem")
def test_broken_files_do_not_hide_the_valid_topics(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    content.write("en", "beta.md", topic_text("beta", 2).replace("order = 2", "order = x"))
    content.write("en", "delta.md", b"\xff\xfe not utf-8")
    kiosk = make_kiosk(content_dir=content.root)
    assert [t.topic_id for t in kiosk.window.home.tiles] == ["alpha", "gamma", "crisis"]
    assert {p.path.name for p in kiosk.library.problems} == {"beta.md", "delta.md"}
    tap(qtbot, tile(kiosk, "gamma"))
    assert kiosk.window.topic.topic.id == "gamma"


@pytest.mark.expected_logs("content problem", "no usable content")
def test_unusable_content_folder_falls_back_to_the_bundled_content(
    make_kiosk: Any, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    kiosk = make_kiosk(content_dir=empty)
    assert len(kiosk.window.home.tiles) >= 10
    assert any("bundled content" in p.message for p in kiosk.library.problems)


def glossary_link_point(view: BodyView, word: str) -> QPoint:
    cursor = view.document().find(word, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not cursor.isNull(), word
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() - 4, rect.center().y())


def test_tapping_a_glossary_word_opens_its_definition(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    tap(qtbot, tile(kiosk, "alpha"))
    intro = window.topic.reader.intro
    point = glossary_link_point(intro, "off-label")
    # A fingertip lands a little below the word: still the word's link.
    tap(qtbot, intro.viewport(), point + QPoint(0, 12))
    assert window.overlay.isVisible()
    assert window.glossary.title.text() == "Off-label"
    assert window.glossary.text.text() == "Used in a way the FDA has not approved."
    tap(qtbot, window.glossary.close_button)
    assert not window.overlay.isVisible()
    assert window.current is Screen.TOPIC
    assert interaction_counts(kiosk, tmp_path / "data") == {"glossary-opened": 1}


def test_tapping_beside_the_definition_card_closes_it(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    tap(qtbot, tile(kiosk, "alpha"))
    kiosk.window.open_glossary("infusion")
    tap(qtbot, kiosk.window.overlay, QPoint(5, 5))
    assert not kiosk.window.overlay.isVisible()


def test_learn_more_sections_open_with_a_tap(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    tap(qtbot, tile(kiosk, "alpha"))
    reader = kiosk.window.topic.reader
    block = reader.sections[0]
    assert block.button.title.text() == "Learn more about alpha"
    assert not block.body.isVisible()
    tap(qtbot, block.button)
    assert block.body.isVisible()
    assert "More detail about alpha." in block.body.toPlainText()
    assert block.body in reader.readables()  # read aloud too, now that it is open
    assert interaction_counts(kiosk, tmp_path / "data") == {"section-opened": 1}
    tap(qtbot, kiosk.window.topic.next)
    assert not kiosk.window.topic.reader.sections[0].body.isVisible()


def test_switching_language_keeps_the_patient_on_the_same_topic(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    content.add_language("es", "Español")
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    tap(qtbot, tile(kiosk, "beta"))
    spanish = window.top_bar.language_buttons["es"]
    assert spanish.text().strip() == "Español"
    tap(qtbot, spanish)
    assert kiosk.visit.preferences.language == "es"
    assert window.current is Screen.TOPIC and window.topic.topic.id == "beta"
    assert window.top_bar.language_buttons["en"].isVisible()
    assert not spanish.isVisible()
    tap(qtbot, window.topic.home)
    kiosk.flow.reset()
    # One view, in the language it ended in (docs/counting.md).
    assert [(r[3], r[4], r[8]) for r in view_rows(kiosk, tmp_path)] == [("beta", "es", 1)]
    assert interaction_counts(kiosk, tmp_path / "data") == {"language-chosen": 1}


def test_display_modes_apply_and_count_for_the_view(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    tap(qtbot, tile(kiosk, "alpha"))
    body_size = window.topic.reader.intro.font().pointSize()
    tap(qtbot, window.top_bar.large_text)
    assert kiosk.visit.preferences.large_text
    assert window.topic.reader.intro.font().pointSize() >= 2 * body_size
    tap(qtbot, window.top_bar.high_contrast)
    assert kiosk.visit.preferences.high_contrast
    assert window.top_bar.high_contrast.property("active") == "true"
    tap(qtbot, window.topic.home)
    kiosk.flow.reset()
    assert [row[5:9] for row in view_rows(kiosk, tmp_path)] == [(0, 1, 1, 1)]  # one view


def test_dragging_the_page_scrolls_it_and_does_not_tap(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    long_body = "\n\n".join(
        [f"Starts on an [off-label](glossary:off-label) word. {'More words. ' * 30}"]
        + [f"Paragraph {n} of a long topic." for n in range(80)]
    )
    content.write("en", "alpha.md", topic_text("alpha", 1, body=long_body))
    kiosk = make_kiosk(content_dir=content.root)
    tap(qtbot, tile(kiosk, "alpha"))
    reader = kiosk.window.topic.reader
    bar = reader.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # laid out on the next pass of the loop
    assert bar.value() == 0
    target = reader.intro.viewport()
    start = glossary_link_point(reader.intro, "off-label")  # the finger lands on a link
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 16):
        qtbot.mouseMove(target, start - QPoint(0, step * 20))
        qtbot.wait(16)  # a finger moves over time: the scroller measures speed per frame
    qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=start - QPoint(0, 300))
    qtbot.waitUntil(lambda: bar.value() > 100)
    assert kiosk.window.current is Screen.TOPIC
    assert not kiosk.window.overlay.isVisible()  # a drag is not a tap on the link


@pytest.mark.expected_logs("view log database")
def test_corrupt_database_at_start_is_quarantined_and_the_kiosk_runs(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "kiosk.db").write_bytes(b"\x00garbage" * 512)
    kiosk = make_kiosk(content_dir=content.root)
    tap(qtbot, tile(kiosk, "alpha"))
    tap(qtbot, kiosk.window.topic.home)
    kiosk.flow.reset()
    assert len(view_rows(kiosk, tmp_path)) == 1
    assert list(data.glob("kiosk.db.corrupt-*"))
    assert kiosk.view_log.status.quarantined


def test_the_window_owns_every_widget(qtbot: Any, make_kiosk: Any, content: ContentFolder) -> None:
    # A parentless widget outlives the window and is re-polished at every theme change.
    from PySide6.QtWidgets import QApplication

    kiosk = make_kiosk(content_dir=content.root)
    kiosk.window.open_glossary("off-label")
    kiosk.window.open_crisis()
    assert QApplication.topLevelWidgets() == [kiosk.window]
