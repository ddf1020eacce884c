"""Questions to ask: tick them, take them home as a QR code a phone can read (decoded here
from the very pixels on screen), print them, and leave nothing behind for the next person."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
import segno
import zxingcpp
from PySide6.QtGui import QImage

from kiosk.clock import ManualClock
from tests.conftest import ContentFolder, interaction_counts, topic_text
from tests.helpers.gui import tap
from ui.common.printer import Printer
from ui.screens.checklist import CheckRow, qr_pixmap

QUESTIONS = [
    "Why do you think ketamine could help me?",
    "¿Qué dosis recibiré?",
    "Who do I call if I feel worse between visits?",
]


def decode(image: QImage) -> list[str]:
    """Read QR codes from an image the way a phone camera would (zxing-cpp)."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(gray.constBits())[: gray.bytesPerLine() * gray.height()]
    view = zxingcpp.ImageView(
        data, gray.width(), gray.height(), zxingcpp.ImageFormat.Lum, gray.bytesPerLine()
    )
    return [result.text for result in zxingcpp.read_barcodes(view)]


@pytest.fixture
def checklist_content(content: ContentFolder) -> ContentFolder:
    body = (
        "Tick the questions you want to ask.\n\n"
        + "".join(f"- {q}\n" for q in QUESTIONS)
        + "\nBring this list to your next visit.\n\n## Tips\n\nWrite the answers down.\n"
    )
    content.write(
        "en",
        "delta.md",
        topic_text("delta", 4, title="Questions to ask?", body=body, extra='kind = "checklist"'),
    )
    return content


def test_ticked_questions_go_home_in_a_qr_code_a_phone_can_read(
    qtbot: Any, make_kiosk: Any, checklist_content: ContentFolder, tmp_path: Path
) -> None:
    kiosk = make_kiosk(content_dir=checklist_content.root)
    window = kiosk.window
    window.open_topic("delta")
    reader = window.topic.reader
    checklist = reader.checklist
    assert checklist.isVisible()
    assert [row.question for row in checklist.rows] == QUESTIONS
    # The questions are rows to tick, not also bullets in the text around them.
    assert "Why do you think" not in reader.intro.toPlainText()
    assert reader.after_checklist.toPlainText().strip() == "Bring this list to your next visit."
    assert not checklist.take_home.isEnabled()  # nothing ticked yet
    tap(qtbot, checklist.rows[0])
    tap(qtbot, checklist.rows[1])
    assert checklist.rows[0].property("ticked") == "true"
    tap(qtbot, checklist.take_home)
    assert window.overlay.content is window.qr
    pixmap = window.qr.code.pixmap()
    assert not pixmap.isNull()
    # No clinic name or phone set: none made up; the date from the kiosk's clock.
    expected = (
        f"Questions to ask?\nFriday, November 20, 2026\n\n1. {QUESTIONS[0]}\n2. {QUESTIONS[1]}"
    )
    assert decode(pixmap.toImage()) == [expected]
    # Counted, but never which questions.
    assert interaction_counts(kiosk, tmp_path / "data") == {"qr-shown": 1}


SPANISH = [
    "¿Por qué cree que la ketamina me podría ayudar?",
    "¿Qué dosis recibiré?",
    "¿A quién llamo si me siento peor entre visitas?",
]


def ticked_rows(checklist: Any) -> list[int]:
    """The rows that look ticked on screen (their styled state), by place."""
    return [n for n, row in enumerate(checklist.rows) if row.property("ticked") == "true"]


def test_ticks_last_the_whole_visit_and_the_rows_are_built_once(
    qtbot: Any, make_kiosk: Any, checklist_content: ContentFolder
) -> None:
    content = checklist_content
    content.add_language("es", "Español")
    body = "Marque sus preguntas.\n\n" + "".join(f"- {q}\n" for q in SPANISH)
    content.write(
        "es",
        "delta.md",
        topic_text("delta", 4, title="¿Preguntas?", body=body, extra='kind = "checklist"'),
    )
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    topic = window.topic
    checklist = topic.reader.checklist
    window.open_topic("delta")
    english_rows = list(checklist.rows)
    tap(qtbot, checklist.rows[0])
    tap(qtbot, checklist.rows[2])
    assert kiosk.visit.ticks("delta") == (0, 2)

    tap(qtbot, window.top_bar.crisis)
    tap(qtbot, window.crisis.back)
    assert topic.topic.id == "delta" and ticked_rows(checklist) == [0, 2]
    tap(qtbot, topic.previous)
    tap(qtbot, topic.next)
    assert topic.topic.id == "delta" and ticked_rows(checklist) == [0, 2]
    assert checklist.take_home.isEnabled() and not checklist.hint.isVisible()
    # Coming back costs no widgets: the very same rows, and none piling up to be deleted.
    assert all(a is b for a, b in zip(checklist.rows, english_rows, strict=True))
    assert len(checklist.findChildren(CheckRow)) == 3

    # In Spanish the same questions stay ticked, and go home in Spanish.
    tap(qtbot, window.top_bar.language_buttons["es"])
    assert [row.question for row in checklist.rows] == SPANISH
    assert ticked_rows(checklist) == [0, 2]
    assert checklist.text().endswith(f"1. {SPANISH[0]}\n2. {SPANISH[2]}")
    tap(qtbot, checklist.rows[1])  # ticked in Spanish, still ticked in English
    tap(qtbot, window.top_bar.language_buttons["en"])
    assert all(a is b for a, b in zip(checklist.rows, english_rows, strict=True))
    assert ticked_rows(checklist) == [0, 1, 2]
    assert len(checklist.findChildren(CheckRow)) == 6  # one set per language, kept

    # The visit ends on the idle timer: nothing ticked is left for the next visitor.
    kiosk.flow.watch.set_timing(50, 100, 50, 50)
    kiosk.flow.watch.poke()
    with qtbot.waitSignal(kiosk.flow.watch.expired, timeout=5000):
        pass
    assert kiosk.visit.ticks("delta") == ()
    kiosk.flow.start_visit()
    window.open_topic("delta")
    assert ticked_rows(checklist) == [] and checklist.ticked() == []
    assert not checklist.take_home.isEnabled()


def test_the_code_carries_the_clinic_phone_and_date_and_the_card_lists_it(
    qtbot: Any,
    make_kiosk: Any,
    checklist_content: ContentFolder,
    tmp_path: Path,
    clock: ManualClock,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text(
        '[clinic]\nname = "Riverside Clinic"\nphone = "(555) 010-0199"\n', encoding="utf-8"
    )
    clock.advance(3 * 86400)  # the date comes from the kiosk's clock, not the computer's
    kiosk = make_kiosk(content_dir=checklist_content.root)
    window = kiosk.window
    window.open_topic("delta")
    checklist = window.topic.reader.checklist
    tap(qtbot, checklist.rows[2])
    tap(qtbot, checklist.rows[0])
    tap(qtbot, checklist.take_home)
    [text] = decode(window.qr.code.pixmap().toImage())
    assert text == window.qr.payload
    assert text.splitlines() == [
        "Questions to ask?",
        "Riverside Clinic",
        "Phone: (555) 010-0199",
        "Monday, November 23, 2026",
        "",
        f"1. {QUESTIONS[0]}",  # in the list's order, not the order they were ticked
        f"2. {QUESTIONS[2]}",
    ]
    assert "://" not in text and "BEGIN:" not in text  # shown as text, not opened as a link
    # The card says what the code holds, in words a patient can check before leaving.
    card = window.qr.text
    assert card.isVisible()
    assert f"1. {QUESTIONS[0]}" in card.text() and f"2. {QUESTIONS[2]}" in card.text()
    assert QUESTIONS[1] not in card.text()
    qtbot.waitUntil(  # the card grows to its new text once laid out
        lambda: card.visibleRegion().boundingRect().height() >= card.fontMetrics().height() * 6
    )


def test_a_long_spanish_list_stays_a_code_a_phone_reads_on_the_smallest_screen(
    qtbot: Any, make_kiosk: Any, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text(
        '[clinic]\nname = "Clínica del Río de Salud Mental"\nphone = "+1 (555) 010-0199"\n',
        encoding="utf-8",
    )
    kiosk = make_kiosk("--lang", "es")  # the bundled content: its real questions
    window = kiosk.window
    window.open_topic("questions-to-ask")
    checklist = window.topic.reader.checklist
    for row in checklist.rows:  # every question ticked: the longest code there can be
        row.click()
    window.topic.reader.ensureWidgetVisible(checklist.take_home)  # the patient scrolls down
    tap(qtbot, checklist.take_home)
    assert window.overlay.content is window.qr
    pixmap = window.qr.code.pixmap()
    [text] = decode(pixmap.toImage())
    assert text == window.qr.payload
    lines = text.splitlines()
    assert lines[1:4] == [
        "Clínica del Río de Salud Mental",
        "Teléfono: +1 (555) 010-0199",
        "viernes, 20 de noviembre de 2026",
    ]
    assert lines[5:] == [f"{n}. {r.question}" for n, r in enumerate(checklist.rows, 1)]
    # At least 3 screen pixels per module: a phone at arm's length still resolves them.
    modules = segno.make(text, error="m", micro=False).symbol_size(scale=1, border=4)[0]
    assert pixmap.width() // modules >= 3
    # And it still fits beside the list on a 1280x800 screen.
    assert window.qr.code.width() <= window.overlay.room().width() // 2 + 2 * 16
    assert window.qr.text.isVisible() and window.qr.text.width() >= 300


def test_ticks_and_the_code_are_gone_for_the_next_visitor(
    qtbot: Any, make_kiosk: Any, checklist_content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=checklist_content.root)
    window = kiosk.window
    window.open_topic("delta")
    tap(qtbot, window.topic.reader.checklist.rows[2])
    tap(qtbot, window.topic.reader.checklist.take_home)
    kiosk.flow.reset()
    assert window.qr.payload == "" and window.qr.code.pixmap().isNull()
    kiosk.flow.start_visit()
    window.open_topic("delta")
    assert window.topic.reader.checklist.ticked() == []


def test_the_qr_code_holds_a_full_spanish_list(qtbot: Any) -> None:
    text = "Preguntas para su equipo de atención\n\n" + "\n".join(
        f"{n}. ¿Qué efectos secundarios debo esperar y qué hago si pasan en casa?"
        for n in range(1, 15)
    )
    image = qr_pixmap(text, 600).toImage()
    assert decode(image) == [text]
    assert image.width() <= 800  # fits the card on a 1280x800 screen


def test_print_shows_only_with_a_printer_and_sends_the_list(
    qtbot: Any,
    make_kiosk: Any,
    checklist_content: ContentFolder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kiosk = make_kiosk(content_dir=checklist_content.root)
    kiosk.window.open_topic("delta")
    assert not kiosk.window.topic.reader.checklist.print_button.isVisible()
    # A stand-in for CUPS's lp that records its arguments and the text it is given.
    spool = tmp_path / "spool"
    lp = tmp_path / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > {spool}.args\ncat > {spool}\n')
    lp.chmod(lp.stat().st_mode | stat.S_IEXEC)
    printer = Printer("front-desk", command=str(lp))
    with qtbot.waitSignal(printer.finished) as done:
        printer.print_text("Questions to ask?", "Questions to ask?\n\n1. " + QUESTIONS[1])
    assert done.args == [True]
    assert spool.read_text(encoding="utf-8") == "Questions to ask?\n\n1. " + QUESTIONS[1]
    assert (tmp_path / "spool.args").read_text().split() == [
        "-d",
        "front-desk",
        "-t",
        "Questions",
        "to",
        "ask?",
    ]


@pytest.mark.expected_logs("cannot print")
def test_a_printer_that_fails_is_reported_not_raised(qtbot: Any, tmp_path: Path) -> None:
    printer = Printer("front-desk", command=str(tmp_path / "no-such-lp"))
    with qtbot.waitSignal(printer.finished) as done:
        printer.print_text("t", "x")
    assert done.args == [False]


def test_every_topic_shows_its_sources_and_review(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    window.open_topic("alpha")
    tap(qtbot, window.topic.reader.sources)
    assert window.overlay.content is window.sources
    text = window.sources.text.text()
    assert "Awaiting clinical review" in text
    assert "1. Ketalar prescribing information" in text and "https://example.org/ketalar" in text
    assert interaction_counts(kiosk, tmp_path / "data") == {"sources-opened": 1}


def test_rows_wrap_long_questions_instead_of_cutting_them(qtbot: Any) -> None:
    row = CheckRow("A very long question " * 8)
    qtbot.addWidget(row)
    assert row.heightForWidth(300) > row.heightForWidth(1200)
