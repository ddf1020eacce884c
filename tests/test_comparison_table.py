"""The ketamine / esketamine comparison table is on the topic's first screen (not behind a
"learn more" button), and its header row stays in view while its rows scroll past."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect

from ui.screens.table_header import header_rect, tables


@pytest.mark.parametrize(("language", "size"), [("en", (1280, 800)), ("es", (1920, 1080))])
def test_the_table_is_on_the_first_screen_and_its_header_stays_in_view(
    qtbot: Any, make_kiosk: Any, language: str, size: tuple[int, int]
) -> None:
    kiosk = make_kiosk("--lang", language)  # the bundled content
    window = kiosk.window
    window.resize(*size)
    window.open_topic("ketamine-vs-esketamine")
    reader = window.topic.reader
    assert not any(block.button.isChecked() for block in reader.sections)  # nothing opened
    intro = reader.intro
    [table] = tables(intro)
    assert table.rows() >= 6 and table.columns() == 3
    viewport = reader.viewport()

    def on_screen(rect: QRect) -> QRect:
        return QRect(intro.viewport().mapTo(viewport, rect.topLeft()), rect.size())

    # Laid out for this topic and this window (the page is taller than the intro).
    qtbot.waitUntil(
        lambda: (
            reader.widget().height() > intro.geometry().bottom()
            and reader.verticalScrollBar().maximum() > 0
            and intro.width() + 2 * 28 <= viewport.width()
        )
    )
    # On the first screen: the header row is inside the reading area, unscrolled.
    assert viewport.rect().contains(on_screen(header_rect(intro, table)))
    assert reader.verticalScrollBar().value() == 0
    assert not reader.sticky_header.isVisible()  # nothing to pin yet
    header = header_rect(intro, table)
    assert 30 < header.height() < viewport.height() // 3

    # Scroll the page until the header row has gone above the top, rows still showing.
    page_top = intro.viewport().mapTo(reader.widget(), header.topLeft()).y()
    reader.verticalScrollBar().setValue(page_top + header.height() + 120)
    assert on_screen(header).bottom() < 0
    sticky = reader.sticky_header
    qtbot.waitUntil(sticky.isVisible)
    assert sticky.table is not None and sticky.table.firstPosition() == table.firstPosition()
    assert sticky.geometry() == QRect(QPoint(on_screen(header).left(), 0), header.size())
    assert viewport.rect().contains(sticky.geometry())
    # It shows the header row itself, as drawn on the page (column names, theme colours).
    expected = intro.viewport().grab(header).toImage()
    assert sticky.pixmap().toImage() == expected
    # Past the table, and back at the top, nothing is pinned.
    reader.verticalScrollBar().setValue(reader.verticalScrollBar().maximum())
    frame = intro.document().documentLayout().frameBoundingRect(table).toAlignedRect()
    table_bottom = intro.viewport().mapTo(viewport, frame.bottomLeft()).y()
    # Pinned only while some of the table's rows are still below it.
    qtbot.waitUntil(lambda: sticky.isVisible() == (table_bottom > header.height()))
    reader.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: not sticky.isVisible())
