"""The interface in Spanish: every interface string in ui/ goes through self.tr(), every one is
in assets/i18n/kiosk_es.ts with a finished translation, the built .qm matches the .ts, and the
real kiosk shows Spanish labels after the language button and English again after the other.

The staff area (ui/staff/) is for clinic staff and stays English: it is not translated.
After adding or changing a self.tr() string, run `make translations` and translate the new
entries in the .ts (a text editor or pyside6-linguist will do).
"""

from __future__ import annotations

import ast
import logging
import re
import shutil
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QPushButton

from tests.conftest import ContentFolder
from tests.helpers.gui import tap

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "assets" / "i18n" / "kiosk_es.ts"
QM = TS.with_suffix(".qm")
# The same files as the Makefile's `translations` target: ui/ and its rooms, not ui/staff/.
SOURCES = sorted(
    path for path in (ROOT / "ui").rglob("*.py") if "staff" not in path.relative_to(ROOT).parts
)
# The virtual environment's tools, next to its python (pyside6-lupdate comes with PySide6).
LUPDATE = shutil.which("pyside6-lupdate", path=Path(sys.executable).parent) or "pyside6-lupdate"
REBUILD = "run `make translations`, translate the new entries in assets/i18n/kiosk_es.ts"

# Wording the brief fixes: the crisis button must stay unmistakable in Spanish.
REQUIRED = {("TopBar", "Need help now? 988"): "¿Necesita ayuda ahora? 988"}
# Strings that are rightly the same in both languages (none so far).
SAME_IN_BOTH: set[tuple[str, str]] = {("ReadAloudBar", "normal")}  # "Speed: normal"

# Calls that put text on screen or in a screen reader's voice: their text must come from tr().
TEXT_SETTERS = {
    "setText",
    "setAccessibleName",
    "setAccessibleDescription",
    "setToolTip",
    "setPlaceholderText",
    "setWindowTitle",
    "set_text",
    "set_plain",
    "label_button",
}

Message = tuple[str, str]  # (context, source)


def read_ts(path: Path) -> dict[Message, ET.Element]:
    messages: dict[Message, ET.Element] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            messages[(name, message.findtext("source", ""))] = message
    return messages


@cache
def committed() -> dict[Message, ET.Element]:
    return read_ts(TS)


@cache
def spanish() -> dict[Message, str]:
    return {key: message.findtext("translation", "") for key, message in committed().items()}


def fields(text: str) -> Counter[str]:
    """The {placeholders} str.format() fills in (not {{escaped}} braces)."""
    return Counter(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def numbers(text: str) -> list[str]:
    return sorted(re.findall(r"\d+", text))


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"


def called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def bare_literals(node: ast.AST) -> list[str]:
    """Words written straight into an argument: a string literal, or one joined into an
    f-string, a concatenation or a conditional (not object names passed to other calls)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if re.search(r"[A-Za-z]{2}", node.value) else []
    if isinstance(node, ast.JoinedStr | ast.BinOp | ast.IfExp):
        return [text for child in ast.iter_child_nodes(node) for text in bare_literals(child)]
    return []


# -- the sources ----------------------------------------------------------------------------


def test_every_tr_call_has_a_literal_string_lupdate_can_read() -> None:
    """lupdate only collects plain string literals: an f-string or a variable in tr() would
    never be translated (lupdate even records an f-string's braces as if they were text)."""
    offenders = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and called_name(node) == "tr":
                first = node.args[0] if node.args else None
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    offenders.append(f"{where(path, node)}: {ast.unparse(node)}")
    assert offenders == [], "tr() needs one string literal (use .format() after it)"


def test_no_interface_text_bypasses_tr() -> None:
    """A literal English label, description or message set directly would stay English."""
    offenders = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and called_name(node) in TEXT_SETTERS):
                continue
            if any(bare_literals(argument) for argument in node.args):
                offenders.append(f"{where(path, node)}: {ast.unparse(node)}")
    assert offenders == [], "interface text must go through self.tr()"


def test_the_ts_file_has_exactly_the_strings_in_the_code(tmp_path: Path) -> None:
    """lupdate over the sources finds the same (context, source) pairs as the committed .ts:
    a new self.tr() string fails here until it is collected and translated."""
    fresh = tmp_path / "kiosk_es.ts"
    result = subprocess.run(
        [
            LUPDATE,
            *map(str, SOURCES),
            "-ts",
            str(fresh),
            "-source-language",
            "en",
            "-target-language",
            "es",
            "-no-obsolete",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    in_code = set(read_ts(fresh))
    in_ts = set(committed())
    assert in_code, "lupdate found no strings at all"
    missing = sorted(in_code - in_ts)
    stale = sorted(in_ts - in_code)
    assert not missing, f"not in kiosk_es.ts ({REBUILD}): {missing}"
    assert not stale, f"in kiosk_es.ts but no longer in the code (run `make translations`): {stale}"


# -- the translations -----------------------------------------------------------------------


def test_every_string_has_a_finished_translation() -> None:
    problems = []
    for (context, source), message in committed().items():
        translation = message.find("translation")
        text = translation.text if translation is not None else None
        label = f"{context}: {source!r}"
        if translation is None or not (text or "").strip():
            problems.append(f"{label} has no translation")
        elif translation.get("type") in {"unfinished", "obsolete", "vanished"}:
            problems.append(f"{label} is marked {translation.get('type')}")
        elif message.get("numerus") == "yes":
            problems.append(f"{label} uses plural forms, which the kiosk's .format() cannot")
        elif text == source and (context, source) not in SAME_IN_BOTH:
            problems.append(f"{label} is still English")
        elif text != text.strip():
            problems.append(f"{label} has spaces around its translation")
    assert problems == [], f"{REBUILD}: " + "; ".join(problems)


def test_translations_keep_placeholders_and_numbers() -> None:
    """{n} and {count} must survive .format(); 988 and 911 must not change."""
    problems = []
    for (context, source), text in spanish().items():
        if fields(text) != fields(source):
            problems.append(f"{context}: {text!r} does not keep the placeholders of {source!r}")
        if numbers(text) != numbers(source):
            problems.append(f"{context}: {text!r} does not keep the numbers of {source!r}")
    assert problems == [], "; ".join(problems)


def test_required_wording() -> None:
    for key, wording in REQUIRED.items():
        assert spanish().get(key) == wording


def test_the_built_qm_has_every_translation_in_the_ts() -> None:
    """The .qm the kiosk loads is built from the current .ts (`make` rebuilds it)."""
    translator = QTranslator()
    assert translator.load(str(QM)), f"{QM} is missing: run `make {QM.relative_to(ROOT)}`"
    outdated = [
        f"{context}: {source!r}"
        for (context, source), text in spanish().items()
        if translator.translate(context, source) != text
    ]
    assert outdated == [], f"{QM.name} is older than the .ts: run `make test` (or make run)"


# -- the kiosk ------------------------------------------------------------------------------

# What the test reads off the kiosk, and which tr() string it should show.
Widgets = dict[str, tuple[Callable[[Any], str], Message]]


def shown(button: QPushButton) -> str:
    return button.text().strip()  # the icon gap is an en space


WIDGETS: Widgets = {
    # The toggles say their state; where the bar is short of room (Spanish at 1280 px) they
    # show their icon and keep the words as their accessible name.
    "top bar: larger text": (
        lambda k: k.window.top_bar.large_text.accessibleName(),
        ("TopBar", "Larger text: off"),
    ),
    "top bar: high contrast": (
        lambda k: k.window.top_bar.high_contrast.accessibleName(),
        ("TopBar", "High contrast: off"),
    ),
    "top bar: crisis": (lambda k: shown(k.window.top_bar.crisis), ("TopBar", "Need help now? 988")),
    "top bar: crisis, described": (
        lambda k: k.window.top_bar.crisis.accessibleDescription(),
        ("TopBar", "Opens crisis help: call or text 988, call 911, or tell the front desk"),
    ),
    "topic: all topics": (lambda k: shown(k.window.topic.home), ("TopicScreen", "All topics")),
    "topic: previous": (lambda k: shown(k.window.topic.previous), ("TopicScreen", "Previous")),
    "topic: next": (lambda k: shown(k.window.topic.next), ("TopicScreen", "Next")),
    "topic: review": (
        lambda k: k.window.topic.review.text(),
        ("TopicScreen", "Awaiting clinical review"),
    ),
    "topic: sources": (lambda k: shown(k.window.topic.reader.sources), ("TopicReader", "Sources")),
    "read aloud": (lambda k: shown(k.window.topic.read_bar.read), ("ReadAloudBar", "Read aloud")),
    "read aloud: pause": (
        lambda k: shown(k.window.topic.read_bar.pause),
        ("ReadAloudBar", "Pause"),
    ),
    "read aloud: stop": (lambda k: shown(k.window.topic.read_bar.stop), ("ReadAloudBar", "Stop")),
    "read aloud: repeat": (
        lambda k: shown(k.window.topic.read_bar.repeat),
        ("ReadAloudBar", "Repeat"),
    ),
    "read aloud: slower": (
        lambda k: shown(k.window.topic.read_bar.slower),
        ("ReadAloudBar", "Slower"),
    ),
    "read aloud: faster": (
        lambda k: shown(k.window.topic.read_bar.faster),
        ("ReadAloudBar", "Faster"),
    ),
    "read aloud: quieter": (
        lambda k: shown(k.window.topic.read_bar.quieter),
        ("ReadAloudBar", "Quieter"),
    ),
    "read aloud: louder": (
        lambda k: shown(k.window.topic.read_bar.louder),
        ("ReadAloudBar", "Louder"),
    ),
    "crisis: back": (lambda k: shown(k.window.crisis.back), ("CrisisScreen", "Back")),
    "glossary: close": (lambda k: shown(k.window.glossary.close_button), ("GlossaryCard", "Close")),
    "idle prompt: title": (
        lambda k: k.flow.prompt.title.text(),
        ("IdlePromptCard", "Still reading?"),
    ),
    "idle prompt: stay": (
        lambda k: shown(k.flow.prompt.stay_button),
        ("IdlePromptCard", "I'm still here"),
    ),
}


def interface(kiosk: Any) -> dict[str, str]:
    return {name: read(kiosk) for name, (read, _) in WIDGETS.items()}


def expected(language: str) -> dict[str, str]:
    return {
        name: spanish()[message] if language == "es" else message[1]
        for name, (_, message) in WIDGETS.items()
    }


def cut_off(buttons: list[QPushButton]) -> list[str]:
    """Visible buttons narrower than their label needs (Qt clips, it does not elide)."""
    return [
        f"{button.objectName()} {shown(button)!r}: {button.width()} < {button.sizeHint().width()}"
        for button in buttons
        if button.isVisible() and button.width() < button.sizeHint().width()
    ]


def shows(kiosk: Any, language: str) -> Callable[[], None]:
    """For qtbot.waitUntil: fails, naming the differences, until the kiosk shows `language`."""

    def check() -> None:
        assert interface(kiosk) == expected(language)

    return check


def fit(buttons: list[QPushButton]) -> Callable[[], None]:
    def check() -> None:
        assert cut_off(buttons) == []

    return check


def test_widget_table_names_real_strings() -> None:
    assert {message for _, message in WIDGETS.values()} <= set(committed())


@pytest.fixture
def bilingual(content: ContentFolder) -> ContentFolder:
    content.add_language("es", "Español")
    return content


def test_the_language_button_switches_the_interface_to_spanish_and_back(
    qtbot: Any, make_kiosk: Any, bilingual: ContentFolder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="ui.common.i18n")
    kiosk = make_kiosk(content_dir=bilingual.root)
    window = kiosk.window
    window.open_topic("beta")  # a topic with both Previous and Next
    assert interface(kiosk) == expected("en")

    tap(qtbot, window.top_bar.language_buttons["es"])
    assert kiosk.visit.preferences.language == "es"
    # Installing the translator posts LanguageChange to every widget; wait for it to arrive.
    qtbot.waitUntil(shows(kiosk, "es"), timeout=5000)
    assert shown(window.top_bar.crisis) == "¿Necesita ayuda ahora? 988"

    # Each screen and pop-up as a patient reaches it, in Spanish.
    topic = window.topic
    assert [shown(b) for b in (topic.home, topic.previous, topic.next) if b.isVisible()] == [
        spanish()[("TopicScreen", text)] for text in ("All topics", "Previous", "Next")
    ]
    assert shown(topic.read_bar.read) == spanish()[("ReadAloudBar", "Read aloud")]
    tap(qtbot, window.top_bar.crisis)
    assert shown(window.crisis.back) == spanish()[("CrisisScreen", "Back")]
    tap(qtbot, window.crisis.back)
    window.open_glossary("infusion")
    assert window.glossary.close_button.isVisible()
    assert shown(window.glossary.close_button) == spanish()[("GlossaryCard", "Close")]
    tap(qtbot, window.glossary.close_button)
    kiosk.flow.watch.set_timing(50, 5000, 1000)
    qtbot.waitUntil(lambda: window.overlay.content is kiosk.flow.prompt, timeout=5000)
    prompt = kiosk.flow.prompt
    assert prompt.title.text() == spanish()[("IdlePromptCard", "Still reading?")]
    countdown = (
        "This screen will start over for the next person in {time}. Tap anywhere to keep reading."
    )
    time = spanish()[("IdlePromptCard", "{n} seconds")].format(n=prompt.seconds)
    assert prompt.text.text() == spanish()[("IdlePromptCard", countdown)].format(time=time)
    tap(qtbot, prompt.stay_button)
    kiosk.flow.watch.set_timing(600_000, 60_000)  # no more prompts for the rest of the test

    tap(qtbot, window.top_bar.language_buttons["en"])
    assert kiosk.visit.preferences.language == "en"
    qtbot.waitUntil(shows(kiosk, "en"), timeout=5000)
    assert "no interface translation" not in caplog.text


def test_spanish_labels_fit_their_buttons_at_1280x800(
    qtbot: Any, make_kiosk: Any, bilingual: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=bilingual.root)
    window = kiosk.window
    assert window.size().width() == 1280
    window.open_topic("beta")
    tap(qtbot, window.top_bar.language_buttons["es"])
    qtbot.waitUntil(shows(kiosk, "es"), timeout=5000)
    topic = window.topic
    buttons = [
        *window.top_bar.findChildren(QPushButton),
        topic.home,
        topic.previous,
        topic.next,
        *topic.read_bar.controls,
    ]
    qtbot.waitUntil(fit(buttons), timeout=5000)
    tap(qtbot, window.top_bar.crisis)
    qtbot.waitUntil(fit([window.crisis.back]), timeout=5000)
