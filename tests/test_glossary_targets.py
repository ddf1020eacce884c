"""Glossary words side by side ("IV infusion") are one target a finger can hit, not two
small ones a fingertip cannot tell apart: one link, at least 48 px each way, both definitions."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QTextCursor

from kiosk.content.markdown import GLOSSARY_JOIN, make_parser, render_body
from tests.helpers.gui import tap
from ui.screens.reader import BodyView

MIN_TARGET_PX = 48


def test_links_with_only_a_space_between_them_become_one_link() -> None:
    body = (
        "An [IV](glossary:iv) [infusion](glossary:infusion), then [TMS](glossary:tms) and "
        "[ECT](glossary:ect), then [a](glossary:a) [b](glossary:b) [a](glossary:a).\n"
    )
    rendered = render_body(make_parser(), body)
    html = rendered.intro.html
    assert '<a href="glossary:iv+infusion">IV\u00a0infusion</a>' in html
    # Words between links keep them apart (each is its own target).
    assert '<a href="glossary:tms">TMS</a> and <a href="glossary:ect">ECT</a>' in html
    assert '<a href="glossary:a+b">a\u00a0b\u00a0a</a>' in html
    # Every term is still checked against the glossary.
    assert set(rendered.glossary_links) == {"iv", "infusion", "tms", "ect", "a", "b"}


def link_rect(view: BodyView, href: str) -> QRect:
    """Where a link's words are drawn, in the view's viewport coordinates."""
    document = view.document()
    rect = QRect()
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == href:
                end = fragment.position() + fragment.length()
                for position in range(fragment.position(), end + 1):
                    cursor = QTextCursor(document)
                    cursor.setPosition(position)
                    rect = rect.united(view.cursorRect(cursor))
            it += 1
        block = block.next()
    assert not rect.isNull(), href
    return rect


@pytest.mark.parametrize(
    ("language", "title", "definitions"),
    [
        ("en", "IV (intravenous) and Infusion", ("Given through a thin tube", "A medicine that")),
        ("es", "Infusión y IV (intravenosa)", ("Un medicamento que", "Que se da por un tubo")),
    ],
)
def test_iv_infusion_is_one_target_of_at_least_48_px_with_both_definitions(
    qtbot: Any, make_kiosk: Any, language: str, title: str, definitions: tuple[str, str]
) -> None:
    kiosk = make_kiosk("--lang", language)  # the bundled content, where the two words meet
    window = kiosk.window
    window.open_topic("what-is-ketamine-therapy")
    intro = window.topic.reader.intro
    href = "glossary:iv+infusion" if language == "en" else "glossary:infusion+iv"
    words = link_rect(intro, href)

    def under_finger(point: QPoint) -> Any:
        return window.childAt(intro.viewport().mapTo(window, point))

    # The page is laid out for this topic: the link is what a finger there touches.
    qtbot.waitUntil(lambda: under_finger(words.center()) is intro.viewport())
    assert words.height() < MIN_TARGET_PX  # the words alone are smaller than a fingertip
    centre = words.center()
    half = MIN_TARGET_PX // 2
    # Anywhere in a 48x48 px square on the words (or the words' whole width, if wider)
    # opens the one card: the tap slop makes up the height the line of text lacks.
    xs = sorted({centre.x() - half, centre.x(), centre.x() + half, words.left(), words.right()})
    missed = []
    for x in xs:
        for y in (centre.y() - half, centre.y(), centre.y() + half):
            assert under_finger(QPoint(x, y)) is intro.viewport(), (x, y)  # nothing else
            if intro.anchorAt(QPoint(x, y)) not in ("", href):
                continue  # on another link's own words (the line above): that one is meant
            tap(qtbot, intro.viewport(), QPoint(x, y))
            if window.overlay.content is not window.glossary:
                missed.append((x, y))
                continue
            assert window.glossary.title.text() == title
            text = window.glossary.text.text()
            assert all(d in text for d in definitions), text
            window.overlay.dismiss()
    assert missed == [], (words, missed)


@pytest.mark.expected_logs("glossary term 'nowhere' is missing")
def test_a_link_with_a_missing_term_still_explains_the_terms_it_has(
    qtbot: Any, make_kiosk: Any, content: Any
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    window.open_topic("alpha")
    window.open_glossary(f"infusion{GLOSSARY_JOIN}nowhere")  # one word's term is missing
    assert window.overlay.content is window.glossary
    assert window.glossary.title.text() == kiosk.library.pack("en").glossary["infusion"].term
    window.open_glossary("nowhere")  # nothing to explain: no card, not the last one
    assert not window.overlay.isVisible()
