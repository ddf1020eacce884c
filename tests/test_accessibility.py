"""Accessibility, checked on the real screens in every display mode at 1280x800:
touch targets, accessible names, nothing clipped in large text, and contrast computed from
the stylesheet itself."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSlider,
    QApplication,
    QLabel,
    QWidget,
)

from kiosk.theme import HIGH_CONTRAST, LARGE, STANDARD, ThemeBook, contrast_ratio
from tests.conftest import ContentFolder, topic_text
from ui.read_aloud.controller import ReadState

MIN_TARGET = 48
MODES = [(False, False), (True, False), (False, True), (True, True)]  # (large, contrast)


def settle() -> None:
    """Let posted layout requests run (a font change re-lays out over several passes)."""
    for _ in range(4):
        QApplication.processEvents()


def showing(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def screens(kiosk: Any) -> Iterator[tuple[str, Callable[[], None]]]:
    window = kiosk.window

    def topic_open() -> None:
        window.open_topic("alpha")
        for block in window.topic.reader.sections:
            block.button.setChecked(True)

    def reading() -> None:
        topic_open()
        window.topic.read_bar.read.click()

    yield "attract", window.show_attract
    yield "home", window.show_home
    yield "topic", topic_open
    yield "topic while reading", reading
    yield "crisis", window.open_crisis
    yield (
        "checklist",
        lambda: (window.open_topic("delta"), window.topic.reader.checklist.rows[0].click()),
    )
    yield "qr code", lambda: window.topic.reader.checklist.take_home.click()
    yield "sources", lambda: (window.open_topic("alpha"), window.open_sources())
    yield "glossary", lambda: (window.show_home(), window.open_glossary("off-label"))
    yield "idle prompt", lambda: (window.show_home(), kiosk.flow._prompt())


@pytest.fixture
def kiosk(make_kiosk: Any, content: ContentFolder) -> Any:
    content.add_language("es", "Español")
    questions = "Tick what to ask.\n\n- Why me?\n- " + "A long question that wraps " * 6 + "?\n"
    content.write(
        "en", "delta.md", topic_text("delta", 4, body=questions, extra='kind = "checklist"')
    )
    return make_kiosk(content_dir=content.root)


@pytest.mark.parametrize(("large", "contrast"), MODES)
def test_every_control_is_big_enough_and_named(
    qtbot: Any, kiosk: Any, large: bool, contrast: bool
) -> None:
    window = kiosk.window
    kiosk.visit.set_large_text(large)
    kiosk.visit.set_high_contrast(contrast)
    problems = []
    for name, go in screens(kiosk):
        go()
        settle()
        for button in window.findChildren(QAbstractButton):
            if not showing(button):
                continue
            label = button.objectName() or button.text()
            if button.width() < MIN_TARGET or button.height() < MIN_TARGET:
                problems.append(f"{name}: {label} is {button.width()}x{button.height()} px")
            if not button.accessibleName().strip():
                problems.append(f"{name}: {label} has no accessible name")
        kiosk.narrator.stop()
        window.overlay.dismiss()

    assert problems == []


def outside_parent(widget: QWidget) -> bool:
    """Drawn partly outside its parent (and so cut off), unless the parent scrolls it."""
    parent = widget.parentWidget()
    if parent is None or widget.isWindow():
        return False
    grandparent = parent.parentWidget()
    if isinstance(grandparent, QAbstractScrollArea) or isinstance(
        grandparent and grandparent.parentWidget(), QAbstractScrollArea
    ):
        return False  # a scroll area's page: the page scrolls, nothing is lost
    return not parent.rect().adjusted(-1, -1, 1, 1).contains(widget.geometry())


def clipped(window: QWidget, name: str) -> list[str]:
    problems = []
    for label in window.findChildren(QLabel):
        if (
            not showing(label)
            or not label.text()
            or (label.pixmap() is not None and not label.pixmap().isNull())
        ):
            continue
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + 1:
                problems.append(
                    f"{name}: {label.objectName()} needs {needed} px of height, "
                    f"has {label.height()}: {label.text()[:40]!r}"
                )
        elif label.sizeHint().width() > label.width() + 1:
            problems.append(
                f"{name}: {label.objectName()} needs {label.sizeHint().width()} "
                f"px of width, has {label.width()}: {label.text()[:40]!r}"
            )
    for button in window.findChildren(QAbstractButton):
        if showing(button) and button.text() and button.sizeHint().width() > button.width() + 1:
            problems.append(
                f"{name}: button {button.text().strip()!r} needs "
                f"{button.sizeHint().width()} px, has {button.width()}"
            )
    for widget in window.findChildren(QWidget):
        if showing(widget) and outside_parent(widget):
            problems.append(
                f"{name}: {widget.objectName() or type(widget).__name__} "
                f"{widget.geometry().getRect()} sticks out of its parent "
                f"{widget.parentWidget().rect().getRect()}"
            )
    return problems


def real_screens(kiosk: Any) -> Iterator[tuple[str, Callable[[], None]]]:
    """The bundled content's longest titles, its table, its checklist, while reading."""
    window = kiosk.window

    def topic(topic_id: str, read: bool = False) -> Callable[[], None]:
        def go() -> None:
            window.open_topic(topic_id)
            for block in window.topic.reader.sections:
                block.button.setChecked(True)
            if read:
                window.topic.read_bar.read.click()

        return go

    yield "attract", window.show_attract
    yield "home", window.show_home
    yield "table topic", topic("ketamine-vs-esketamine")
    yield "long title, reading", topic("clinic-vs-outside", read=True)
    yield "checklist, reading", topic("questions-to-ask", read=True)
    yield "crisis", window.open_crisis
    yield "glossary", lambda: (window.show_home(), window.open_glossary("nmda-receptor"))
    yield "idle prompt", lambda: (window.show_home(), kiosk.flow._prompt())


@pytest.mark.parametrize(("language", "contrast"), [("en", False), ("es", True)])
def test_large_text_at_1280x800_clips_nothing(
    qtbot: Any, make_kiosk: Any, language: str, contrast: bool
) -> None:
    kiosk = make_kiosk()  # the bundled content: real titles, table and questions
    window = kiosk.window
    window.resize(1280, 800)
    window.set_language(language)
    kiosk.visit.set_large_text(True)
    kiosk.visit.set_high_contrast(contrast)
    problems = []
    for name, go in real_screens(kiosk):
        go()
        qtbot.waitUntil(lambda: kiosk.narrator.state is not ReadState.PREPARING, timeout=3000)
        settle()
        problems += clipped(window, f"{language} {name}")
        kiosk.narrator.stop()
        window.overlay.dismiss()

    assert problems == []


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)])
def test_standard_text_clips_nothing_either(
    qtbot: Any, make_kiosk: Any, size: tuple[int, int]
) -> None:
    kiosk = make_kiosk()
    kiosk.window.resize(*size)
    problems = []
    for name, go in real_screens(kiosk):
        go()
        settle()
        problems += clipped(kiosk.window, name)
        kiosk.narrator.stop()
        kiosk.window.overlay.dismiss()

    assert problems == []


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)])
def test_all_thirteen_topics_fit_on_the_home_screen(
    qtbot: Any, make_kiosk: Any, language: str, size: tuple[int, int]
) -> None:
    kiosk = make_kiosk()  # the bundled content
    window = kiosk.window
    window.resize(*size)
    window.set_language(language)
    settle()
    tiles = window.home.tiles
    assert len(tiles) == 13
    assert window.home.scroll_area.verticalScrollBar().maximum() == 0  # no scrolling needed
    viewport = window.home.scroll_area.viewport()
    for tile in tiles:
        top_left = tile.mapTo(viewport, tile.rect().topLeft())
        assert viewport.rect().contains(tile.rect().translated(top_left)), tile.topic_id


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)])
def test_tiles_share_the_screen_height_after_the_layout_changes(
    qtbot: Any, make_kiosk: Any, size: tuple[int, int]
) -> None:
    kiosk = make_kiosk()  # the bundled content
    window = kiosk.window
    window.resize(640, 800)  # a narrow layout first: one or two columns, many rows
    settle()
    window.resize(*size)
    settle()
    viewport = window.home.scroll_area.viewport()
    crisis = window.home.tiles[-1]
    bottom = crisis.mapTo(viewport, crisis.rect().bottomLeft()).y()
    # No band of empty screen under the tiles: bigger targets instead.
    assert bottom >= viewport.height() - 2
    topic = window.home.tiles[0]
    assert topic.height() > crisis.height()


@pytest.mark.parametrize(("size", "roomy"), [((1920, 1080), True), ((1280, 800), False)])
def test_tile_text_grows_where_the_screen_has_room(
    qtbot: Any, make_kiosk: Any, size: tuple[int, int], roomy: bool
) -> None:
    kiosk = make_kiosk()
    window = kiosk.window
    window.resize(*size)
    settle()
    summary = window.home.tiles[0].summary.font().pointSize()
    # On a 1080p screen the tile summaries are as big as the reading text (20 pt).
    assert (summary >= 20) is roomy
    window.resize(1280, 800)  # and shrink back when the room goes
    settle()
    assert window.home.tiles[0].summary.font().pointSize() < 20

    # Crisis help: 988 is larger than the other headings on every screen, and larger still
    # on a big one.
    window.resize(*size)
    window.open_crisis()
    settle()
    crisis = window.crisis
    lifeline = crisis.lifeline.heading.font().pointSize()
    assert lifeline > crisis.emergency.heading.font().pointSize()
    assert (lifeline > 40) is roomy
    assert crisis.scroll_area.verticalScrollBar().maximum() == 0  # all of it without scrolling


# -- contrast, from the stylesheet ------------------------------------------------------------

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_PROPERTY = re.compile(r"(?<![-\w])(color|background(?:-color)?)\s*:\s*([^;]+);")
# Text that people read at length needs 7:1 (WCAG 1.4.6); everything else 4.5:1.
BODY_TEXT = (
    '[role="body"]',
    "popupText",
    "crisisText",
    "careTeamPrompt",
    "tileSummary",
    "disclaimer",
)


def rules(stylesheet: str) -> list[tuple[str, dict[str, str]]]:
    without_comments = re.sub(r"/\*.*?\*/", "", stylesheet, flags=re.S)
    found = []
    for selector, body in _RULE.findall(without_comments):
        props = {
            name.replace("-color", ""): value.strip() for name, value in _PROPERTY.findall(body)
        }
        found.append((selector.strip(), props))
    return found


def backgrounds_for(selector: str, colours: dict[str, str]) -> list[str]:
    """Where a rule with a text colour and no background of its own can appear."""
    if "crisis" in selector.lower():
        return [colours["crisis_card"], colours["background"]]
    if "tile" in selector.lower():
        return [colours["surface"], colours["surface_pressed"], colours["crisis_card"]]
    if "disclaimer" in selector:
        return [colours["footer"]]
    if "popup" in selector.lower():
        return [colours["surface"]]
    return [colours["background"], colours["surface"]]


@pytest.mark.parametrize("theme", [STANDARD, HIGH_CONTRAST])
def test_every_colour_pair_in_the_stylesheet_is_readable(theme: str) -> None:
    book = ThemeBook.load()
    colours = dict(book.colours[theme])
    problems = []
    for selector, props in rules(book.stylesheet(theme, STANDARD)):
        text = props.get("color")
        if not text or not text.startswith("#"):
            continue
        background = props.get("background", "")
        grounds = [background] if background.startswith("#") else backgrounds_for(selector, colours)
        need = 7.0 if any(mark in selector for mark in BODY_TEXT) else 4.5
        for ground in grounds:
            ratio = contrast_ratio(text, ground)
            if ratio < need:
                problems.append(
                    f"{theme}: {selector}: {text} on {ground} is {ratio:.2f}:1, needs {need}:1"
                )

    assert problems == []


@pytest.mark.parametrize("theme", [STANDARD, HIGH_CONTRAST])
def test_highlight_and_link_colours_are_readable(theme: str) -> None:
    colours = ThemeBook.load().colours[theme]
    assert contrast_ratio(colours["text"], colours["sentence"]) >= 7
    assert contrast_ratio(colours["word_text"], colours["word"]) >= 7
    if theme == HIGH_CONTRAST:  # on black, hue alone does not show where the sentence is
        assert contrast_ratio(colours["sentence"], colours["surface"]) >= 2.9
    assert contrast_ratio(colours["link"], colours["surface"]) >= 7
    # The focused control: its ring stands out from the page around it and from its own
    # fill (WCAG 1.4.11: 3:1), and every text it can hold stays readable on that fill.
    for ground in ("background", "surface", "footer", "focus_fill"):
        assert contrast_ratio(colours["focus"], colours[ground]) >= 3, ground
    for text in ("focus_text", "heading", "muted_text"):  # buttons, tile titles, summaries
        assert contrast_ratio(colours[text], colours["focus_fill"]) >= 4.5, text


def test_large_text_doubles_the_reading_text() -> None:
    sizes = ThemeBook.load().sizes
    assert sizes[LARGE]["body"] >= 2 * sizes[STANDARD]["body"]
    assert sizes[STANDARD]["body"] >= 20


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)])
def test_the_whole_crisis_screen_fits_without_scrolling_in_every_language(
    qtbot: Any, make_kiosk: Any, language: str, size: tuple[int, int]
) -> None:
    # Spanish runs longer: the 988 card's Spanish-help line must not push the closing words
    # of hope ("things can get better") off the bottom of the screen.
    kiosk = make_kiosk()  # the bundled content
    window = kiosk.window
    window.resize(*size)
    window.set_language(language)
    window.open_crisis()
    settle()
    assert window.crisis.scroll_area.verticalScrollBar().maximum() == 0


def test_a_scroll_area_offers_a_screen_reader_the_same_children_as_its_bar_comes_and_goes(
    qtbot: Any, make_kiosk: Any
) -> None:
    # Qt's bridge counts a scroll area's visible scroll bars among its accessible children,
    # and QAccessibleAbstractScrollArea::child does not check the index: a screen reader
    # that read the count while the topic showed its bar, then asked for the last child
    # after the page was left, made Qt read past its list (SIGSEGV). The count must not
    # change, while the patient still sees a bar to drag on a long page.
    kiosk = make_kiosk()  # the bundled content: a topic longer than the screen
    window = kiosk.window
    window.resize(1280, 800)
    window.open_topic("what-is-ketamine-therapy")
    for block in window.topic.reader.sections:
        block.button.setChecked(True)
    settle()
    reader = window.topic.reader
    assert reader.verticalScrollBar().maximum() > 0
    bar = reader.scroll_bar
    assert showing(bar)
    assert reader.rect().contains(bar.geometry())
    assert bar.geometry().left() > reader.viewport().geometry().right()  # beside the text
    assert (bar.maximum(), bar.pageStep()) == (
        reader.verticalScrollBar().maximum(),
        reader.verticalScrollBar().pageStep(),
    )

    def children() -> list[str]:
        face = QAccessible.queryAccessibleInterface(reader)
        assert face is not None
        return [face.child(i).object().objectName() for i in range(face.childCount())]

    on_topic = children()
    assert on_topic == ["qt_scrollarea_viewport"]

    # The bar moves the page, as the patient's hand.
    with qtbot.waitSignal(reader.scrolled_by_user):
        bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
    assert reader.verticalScrollBar().value() == bar.value() > 0
    reader.verticalScrollBar().setValue(0)  # read-aloud following the voice
    assert bar.value() == 0

    window.show_home()
    settle()
    assert not reader.isVisible()
    assert children() == on_topic
    window.open_topic("about-this-information")  # short: no bar to show
    settle()
    if reader.verticalScrollBar().maximum() == 0:
        assert bar.isHidden()
    assert children() == on_topic


def test_a_link_reached_with_tab_inside_the_text_is_named_for_a_screen_reader(
    qtbot: Any,
) -> None:
    from PySide6.QtCore import Qt

    from ui.screens.reader import BodyView

    view = BodyView("links")
    qtbot.addWidget(view)
    links = '<a href="glossary:ketamine">ketamine</a> and <a href="glossary:iv">IV</a>'
    view.show_html(f"<p>Read about {links}.</p>", "")
    view.show()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    assert view.accessibleName() == ""
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.accessibleName() == "ketamine, link"
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.accessibleName() == "IV, link"
    view.clearFocus()  # off the text: its name is its text again, not a stale link
    assert view.accessibleName() == ""
