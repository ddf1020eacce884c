"""Nothing lost between screens: switching language, coming back from crisis help and
turning large text on or off keep the topic, the sections open and the place in the text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint

from tests.conftest import ContentFolder, interaction_counts, topic_text
from tests.helpers.gui import tap
from ui.app.window import Screen
from ui.screens.reader import BodyView, TopicReader


def long_topic(words: str, paragraph: str) -> str:
    """An intro and two sections of many paragraphs, the same shape in each language."""
    intro = "\n\n".join(f"{paragraph} {n}. {words * 6}" for n in range(12))
    sections = "".join(
        f"\n\n## {paragraph} {title}\n\n"
        + "\n\n".join(f"{paragraph} {title} {n}. {words * 9}" for n in range(15))
        for title in ("A", "B")
    )
    return intro + sections + "\n"


@pytest.fixture
def long_content(content: ContentFolder) -> ContentFolder:
    content.add_language("es", "Español")
    content.write("en", "alpha.md", topic_text("alpha", 1, body=long_topic("Some words. ", "P")))
    # Longer paragraphs in Spanish: the same place is at other pixels.
    content.write(
        "es", "alpha.md", topic_text("alpha", 1, body=long_topic("Unas palabras más. ", "Párrafo"))
    )
    return content


def at_top(reader: TopicReader) -> tuple[str, int, str]:
    """The text view, paragraph number and paragraph at the top of what the patient sees."""
    page = reader.widget()
    y = reader.verticalScrollBar().value() + 2
    for view in page.findChildren(BodyView):
        top = view.mapTo(page, QPoint(0, 0)).y()
        if view.isVisible() and top <= y < top + view.height():
            block = view.cursorForPosition(QPoint(20, y - top)).block()
            return view.objectName(), block.blockNumber(), block.text()[:12]
    return "", -1, ""


def scroll_into_section(qtbot: Any, reader: TopicReader) -> tuple[str, int, str]:
    """Open the second section and scroll (as a finger would end up) into its tenth paragraph."""
    tap(qtbot, reader.sections[1].button)
    body = reader.sections[1].body
    bar = reader.verticalScrollBar()

    def scrolled() -> bool:  # once the opened section is laid out, a third into paragraph 10
        block = body.document().findBlockByNumber(10)
        rect = body.document().documentLayout().blockBoundingRect(block)
        top = body.mapTo(reader.widget(), QPoint(0, 0)).y()
        bar.setValue(top + round(rect.top() + rect.height() / 3))
        return at_top(reader)[:2] == ("body-section-1", 10)

    qtbot.waitUntil(scrolled)
    place = at_top(reader)
    return place


def settled(qtbot: Any, reader: TopicReader, expected: tuple[str, int]) -> None:
    qtbot.waitUntil(lambda: at_top(reader)[:2] == expected, timeout=5000)
    qtbot.waitUntil(lambda: not reader._settle.isActive(), timeout=5000)
    assert at_top(reader)[:2] == expected  # and it stays there once the page has settled


def to_spanish(qtbot: Any, kiosk: Any) -> None:
    tap(qtbot, kiosk.window.top_bar.language_buttons["es"])


def crisis_and_back(qtbot: Any, kiosk: Any) -> None:
    tap(qtbot, kiosk.window.top_bar.crisis)
    assert kiosk.window.current is Screen.CRISIS
    tap(qtbot, kiosk.window.crisis.back)


def large_text(qtbot: Any, kiosk: Any) -> None:
    tap(qtbot, kiosk.window.top_bar.large_text)


def large_text_off(qtbot: Any, kiosk: Any) -> None:
    large_text(qtbot, kiosk)  # the kiosk was in large text from the start (below)


@pytest.mark.parametrize(
    "transition",
    [to_spanish, crisis_and_back, large_text, large_text_off],
    ids=lambda f: f.__name__,
)
def test_the_place_in_the_topic_is_kept(
    qtbot: Any,
    make_kiosk: Any,
    long_content: ContentFolder,
    tmp_path: Path,
    transition: Callable[[Any, Any], None],
) -> None:
    kiosk = make_kiosk(content_dir=long_content.root)
    window = kiosk.window
    if transition is large_text_off:
        kiosk.visit.set_large_text(True)
    window.open_topic("alpha")
    reader = window.topic.reader
    view, number, text = scroll_into_section(qtbot, reader)
    before = reader.verticalScrollBar().value()
    transition(qtbot, kiosk)
    assert window.current is Screen.TOPIC and window.topic.topic.id == "alpha"
    assert [block.button.isChecked() for block in reader.sections] == [False, True]
    assert reader.sections[1].body.isVisible() and not reader.sections[0].body.isVisible()
    settled(qtbot, reader, (view, number))
    if transition is to_spanish:
        assert at_top(reader)[2].startswith("Párrafo B 10")
        assert reader.verticalScrollBar().value() != before  # other pixels, same paragraph
    else:
        assert at_top(reader)[2] == text
    if transition is large_text:
        assert reader.verticalScrollBar().value() > before
    if transition is large_text_off:
        assert reader.verticalScrollBar().value() < before
    # Putting the section back open is not the patient opening it again.
    assert interaction_counts(kiosk, tmp_path / "data").get("section-opened") == 1


def test_a_new_topic_still_starts_at_its_top_with_sections_closed(
    qtbot: Any, make_kiosk: Any, long_content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=long_content.root)
    window = kiosk.window
    window.open_topic("alpha")
    reader = window.topic.reader
    scroll_into_section(qtbot, reader)
    tap(qtbot, window.topic.next)
    assert window.topic.topic.id == "beta"
    assert reader.verticalScrollBar().value() == 0
    assert not any(block.button.isChecked() for block in reader.sections)
