"""A real Linux screen reader reads the kiosk.

The locked kiosk runs as its own process on Xvfb (xcb platform) in a private D-Bus session
with the AT-SPI bus; pyatspi (tests/screen_reader/atspi_probe.py, system Python) reads what
a screen reader gets from it, and works it as a blind patient would: through AT-SPI actions
and the keyboard. Orca, started with a debug log, says each control's name as Tab moves the
focus. tests/test_accessibility.py checks the same names inside Qt; this checks that they
reach a screen reader.
"""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from kiosk import APP_DISPLAY_NAME
from tests.screen_reader.harness import (
    Desktop,
    Kiosk,
    Look,
    Orca,
    desktop,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
TS_FILE = ROOT / "assets" / "i18n" / "kiosk_es.ts"
# Roles that say nothing about what a control is.
NO_ROLE = {"", "unknown", "invalid", "redundant object"}
# Text objects are read by their text (Orca reads a paragraph out), not by a name.
TEXT_ROLES = {"label", "text", "paragraph", "static"}
TOPIC = "what-is-ketamine-therapy"  # its first words link to the glossary ("Ketamine")
CHECKLIST = "questions-to-ask"


@cache
def translations() -> dict[tuple[str, str], str]:
    """(class, English interface text) -> its Spanish, from the translation source: the
    same English may have two ("Back" is "Volver" on crisis help, "Atrás" in the bar)."""
    pairs = {}
    for context in ET.parse(TS_FILE).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source, translation = message.findtext("source"), message.findtext("translation")
            if source and translation:
                pairs[name, source] = translation
    return pairs


@cache
def pack_words(language: str) -> dict[str, str]:
    """A content pack's own words: "topic-id" -> its tile title, "glossary:id" -> the term,
    pack.toml's keys -> their texts, and every text, title and heading (keyed by itself)."""
    words: dict[str, str] = {}
    folder = CONTENT / language

    def strings(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    pack = tomllib.loads((folder / "pack.toml").read_text(encoding="utf-8"))
    words.update({text: text for text in strings(pack)})
    words.update({key: value for key, value in pack["pack"].items() if isinstance(value, str)})
    words.update({f"glossary:{entry['id']}": entry["term"] for entry in pack.get("glossary", [])})
    for page in sorted(folder.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        _, front, body = text.split("+++", 2)
        meta = tomllib.loads(front)
        words[meta["id"]] = meta.get("short_title", meta["title"])
        for key in ("title", "short_title", "summary"):
            if key in meta:
                words[meta[key]] = meta[key]
        for heading in re.findall(r"^#+ (.+)$", body, flags=re.M):
            words[heading.strip()] = heading.strip()
    return words


def say(language: str, english: str, where: str = "") -> str:
    """An interface text as the kiosk shows it in `language` (`where`: the class that
    shows it, needed where the same English has two translations)."""
    if language == "en":
        return english
    found = {
        spanish
        for (context, source), spanish in translations().items()
        if source == english and where in ("", context)
    }
    assert len(found) == 1, f"{english!r} translates as {found}: say where it is shown"
    return found.pop()


def top_bar_toggles(language: str) -> set[str]:
    """The top bar's toggles, named with their state ("Larger text: off")."""
    return {
        say(language, f"{toggle}: {state}")
        for toggle in ("Larger text", "High contrast")
        for state in ("on", "off")
    }


def foreign_words(language: str) -> set[str]:
    """Texts of the other language that differ from this language's texts."""
    spanish = set(translations().values()) | set(pack_words("es").values())
    english = {source for _, source in translations()} | set(pack_words("en").values())
    return spanish - english if language == "en" else english - spanish


class Walk:
    """Screens visited in one language, and what was wrong with their controls."""

    def __init__(self, kiosk: Kiosk, language: str) -> None:
        self.kiosk = kiosk
        self.language = language
        self.problems: list[str] = []
        self.seen: dict[str, list[dict[str, Any]]] = {}
        self._foreign = foreign_words(language)
        # Made to be in their own language: each language's button is in that language,
        # and the screen between visitors invites in every language at once.
        other = "es" if language == "en" else "en"
        self._own_language = {
            pack_words(other)["language_name"],
            pack_words(other)["start_button"],
            pack_words(other)["title"],  # the start button's description
        }

    def check(self, screen: str, look: Look) -> None:
        self.seen[screen] = look.controls
        for control in look.controls:
            name, role = control["name"].strip(), control["role"]
            what = f"{self.language} {screen}: {role} {name or control['text'][:30]!r}"
            if role in NO_ROLE:
                self.problems.append(f"{what} has no role")
            if not name and not (role in TEXT_ROLES and control["text"].strip()):
                self.problems.append(f"{what} has no name")
            for text in (name, control["description"]):
                if text in self._foreign and text not in self._own_language:
                    self.problems.append(f"{what} is in the wrong language: {text!r}")

    def press(self, name: str) -> None:
        self.kiosk.act(name)

    def until(self, name: str) -> Look:
        return self.kiosk.wait_for_control(name)


def walk_the_screens(walk: Walk, desk: Desktop) -> None:
    """From the home screen: a topic (read aloud, a glossary word), the checklist, crisis
    help, and back home; every screen's controls checked on the way."""
    language, kiosk = walk.language, walk.kiosk
    words = pack_words(language)
    walk.check("home", walk.until(words[TOPIC]))

    walk.press(words[TOPIC])
    read_aloud = say(language, "Read aloud")
    walk.check("topic", walk.until(read_aloud))

    # "Read aloud", pressed through AT-SPI: real speech (espeak-ng), and the bar offers
    # what a patient does while it plays. (At this screen's width the bar folds speed and
    # volume away, and the progress line with them.)
    walk.press(read_aloud)
    pause = say(language, "Pause")
    look = kiosk.wait_for(
        lambda look: look.has(pause) and not look.has(read_aloud),
        f"reading aloud never started ({pause!r} never showed)",
    )
    walk.check("topic while reading", look)
    walk.press(say(language, "Stop"))
    walk.until(read_aloud)

    # A glossary word, as a keyboard user opens one: into the text, Tab to the first
    # link, Enter.
    body = next(c for c in walk.until(read_aloud).controls if c["role"] in TEXT_ROLES)
    kiosk.act(body["name"], role=body["role"], action="SetFocus")
    wait_until(
        lambda: (kiosk.focused() or {}).get("text") == body["text"], 10, "the text took focus"
    )
    desk.key("Tab", "Return")
    close = say(language, "Close")
    look = walk.until(close)
    term = words["glossary:ketamine"]
    assert term in look.labels, f"the glossary card does not show {term!r}: {look.labels}"
    walk.check("glossary card", look)
    walk.press(close)

    walk.press(say(language, "All topics"))
    walk.until(words[CHECKLIST])
    walk.press(words[CHECKLIST])
    take_home = say(language, "Take this list home")
    look = walk.until(take_home)
    walk.check("checklist", look)
    # A question ticked through AT-SPI says so.
    question = next(
        c
        for c in look.controls
        if c["role"] == "check box"
        and c["name"] not in top_bar_toggles(language)
        and "checked" not in c["states"]
    )
    walk.press(question["name"])
    kiosk.wait_for(
        lambda look: any(
            c["name"] == question["name"] and "checked" in c["states"] for c in look.controls
        ),
        f"{question['name']!r} never said it was ticked",
    )

    walk.press(say(language, "Need help now? 988"))
    back = say(language, "Back", "CrisisScreen")
    walk.check("crisis", walk.until(back))
    walk.press(back)
    walk.until(say(language, "All topics"))  # back on the checklist the patient left


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desktop]:
    with desktop(tmp_path / "desktop") as session:
        yield session


def test_every_control_has_a_role_and_a_name_in_the_language_shown(
    desk: Desktop, tmp_path: Path
) -> None:
    kiosk = Kiosk(desk, tmp_path / "data")
    try:
        start = pack_words("en")["start_button"]
        look = kiosk.wait_for_control(start)
        # Named for people, not "main.py" or "ketamine-kiosk"; the window in the visitor's
        # language (what Orca says as it comes up).
        assert look.app == APP_DISPLAY_NAME
        assert look.windows == [pack_words("en")["title"]]
        english = Walk(kiosk, "en")
        english.check("attract", look)
        english.press(start)
        walk_the_screens(english, desk)
        english.press(say("en", "All topics"))

        # Spanish, chosen as a patient does: the language button, pressed through AT-SPI.
        kiosk.act(pack_words("es")["language_name"])
        look = kiosk.wait_for(
            lambda look: look.windows == [pack_words("es")["title"]], "the window in Spanish"
        )
        spanish = Walk(kiosk, "es")
        walk_the_screens(spanish, desk)
    finally:
        kiosk.close()

    assert english.problems + spanish.problems == []
    assert set(english.seen) == set(spanish.seen) | {"attract"}


def spoken(orca: Orca, name: str, since: int) -> str | None:
    """The first thing Orca said after utterance `since` that begins with `name`."""
    return next((line for line in orca.said()[since:] if line.startswith(name)), None)


def test_orca_says_the_name_of_each_control_tab_moves_to(desk: Desktop, tmp_path: Path) -> None:
    # The screen reader first, as on a kiosk set up for it; then the kiosk, in Spanish.
    orca = Orca(desk)
    kiosk = None
    try:
        wait_until(orca.started, 30, "Orca did not start")
        kiosk = Kiosk(desk, tmp_path / "data", "--lang", "es")
        start = pack_words("es")["start_button"]
        kiosk.wait_for_control(start)
        # As the window comes up, Orca names it: the kiosk's title, in Spanish.
        title = pack_words("es")["title"]
        wait_until(lambda: spoken(orca, title, 0), 30, f"Orca never said {title!r}")
        kiosk.act(start)  # in Spanish: the visit starts in Spanish
        kiosk.wait_for_control(pack_words("es")[TOPIC])
        heard: list[tuple[str, str]] = []
        names: list[str] = []
        for _ in range(8):  # the top bar, then into the topics
            before = kiosk.focused()
            said = len(orca.said())
            desk.key("Tab")
            focused = wait_until(
                lambda b=before: (f := kiosk.focused()) and f != b and f,
                10,
                "Tab did not move the focus",
            )
            name = focused["name"] or focused["text"][:40]
            names.append(name)
            line = wait_until(
                lambda n=name, s=said: spoken(orca, n, s),
                10,
                f"Orca never said {name!r} after Tab (it said {orca.said()[said:]})",
            )
            heard.append((name, line))
        # A link inside the text, reached with Tab: Orca says its words, not only "tab".
        kiosk.act(pack_words("es")[TOPIC])
        look = kiosk.wait_for_control(say("es", "Read aloud"))
        body = next(c for c in look.controls if c["role"] in TEXT_ROLES)
        kiosk.act(body["name"], role=body["role"], action="SetFocus")
        wait_until(
            lambda: (kiosk.focused() or {}).get("text") == body["text"], 10, "the text took focus"
        )
        said = len(orca.said())
        desk.key("Tab")
        link = pack_words("es")["glossary:ketamine"]  # the link's words, as Orca says them
        wait_until(
            lambda: next(
                (s for s in orca.said()[said:] if s.strip().lower() == link.lower()), None
            ),
            10,
            f"Orca never said {link!r} for the link Tab reached (it said {orca.said()[said:]})",
        )
    finally:
        if kiosk is not None:
            kiosk.close()
        orca.close()

    # The top bar's controls and the first topics, each said by name as it got the focus.
    assert say("es", "Larger text: off") in names
    assert pack_words("es")[TOPIC] in names or pack_words("es")["about-this-information"] in names
    assert len(heard) == 8
