"""Shared fixtures: small content folders, fresh databases, and the real kiosk under test."""

from __future__ import annotations

import logging
import os
import sqlite3
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # Qt's offscreen screen is 800x800 px, smaller than the 1280x800 and 1920x1080 windows
    # under test; a tap right of x=800 then never reached the page, as QScroller looks up the
    # pressed widget by its place on the screen (QApplication::widgetAt). A kiosk's screen
    # holds its whole window; so does this one (Qt's offscreen "configfile" option).
    config = Path(__file__).parent / "helpers" / "offscreen.json"
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"

from kiosk.clock import ManualClock
from tests.helpers.logfail import LogFailHandler

PACK = """\
[pack]
title = "Learning about IV ketamine"
language_name = "{name}"
welcome = "Tap a topic."
disclaimer = "General information for learning, not medical advice."
care_team_prompt = "Talk to your care team."
start_button = "Tap to start"

[defaults]
driving_rule = "Someone else must drive you home."
front_desk = "Tell the front desk now."

[crisis]
title = "If you are in crisis now"
summary = "Help is here now."
intro = "Help is here now."
lifeline_heading = "Call or text 988"
lifeline_text = "Free and private, all day and night."
emergency_heading = "In danger now? Call 911"
emergency_text = "Or go to the nearest emergency room."
front_desk_heading = "Tell the front desk"
front_desk_text = "{{{{front_desk}}}}"
closing = "Please reach out now."

[[glossary]]
id = "off-label"
term = "Off-label"
definition = "Used in a way the FDA has not approved."

[[glossary]]
id = "infusion"
term = "Infusion"
definition = "Medicine given slowly through a drip."
"""

SOURCES = """\
[KETALAR]
reliability = "A"
citation = "Ketalar prescribing information"
url = "https://example.org/ketalar"
"""


def topic_text(
    topic_id: str, order: int, *, title: str | None = None, body: str | None = None, extra: str = ""
) -> str:
    body = (
        body
        if body is not None
        else textwrap.dedent(f"""\
        This is the {topic_id} topic. It is [off-label](glossary:off-label) for depression.

        - Given as an [infusion](glossary:infusion).
        - {{{{driving_rule}}}}

        ## Learn more about {topic_id}

        More detail about {topic_id}.
        """)
    )
    return (
        textwrap.dedent(f"""\
        +++
        id = "{topic_id}"
        title = "{title or topic_id.replace("-", " ").capitalize() + "?"}"
        summary = "About {topic_id}."
        order = {order}
        icon = "info"
        last_reviewed = 2026-11-20
        review_status = "awaiting-clinical-review"
        sources = ["KETALAR"]
        {extra}
        +++
        """)
        + body
    )


class ContentFolder:
    """Writes a content folder; tests then break parts of it on purpose."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "sources.toml").write_text(SOURCES, encoding="utf-8")

    def add_language(
        self,
        language: str = "en",
        name: str = "English",
        topics: tuple[str, ...] = ("alpha", "beta", "gamma"),
    ) -> Path:
        folder = self.root / language
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pack.toml").write_text(PACK.format(name=name), encoding="utf-8")
        for order, topic_id in enumerate(topics, 1):
            self.write(language, f"{topic_id}.md", topic_text(topic_id, order))
        return folder

    def write(self, language: str, name: str, text: str | bytes) -> Path:
        path = self.root / language / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "expected_logs(*texts): WARNING or ERROR records containing one of the texts (any "
        "record if none is given) are expected (tests/helpers/logfail.py)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The fault suite breaks storage and processes on purpose and judges the outcome; the
    # warnings its faults cause are the point, not a surprise.
    faults = Path(__file__).parent / "faults"
    for item in items:
        if faults in Path(item.path).parents:
            item.add_marker(pytest.mark.expected_logs())


@pytest.fixture(autouse=True)
def fail_on_unexpected_logs(request: pytest.FixtureRequest) -> Iterator[None]:
    """An unexpected WARNING or ERROR record fails the test (tests/helpers/logfail.py)."""
    handler = LogFailHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    if "caplog" in request.fixturenames:
        return  # the test looks at the records itself
    expected = [mark.args for mark in request.node.iter_markers("expected_logs")]
    unexpected = handler.unexpected(expected)
    if unexpected:
        pytest.fail(
            "unexpected log records (check them with caplog, or mark the test "
            "@pytest.mark.expected_logs(text)):\n" + unexpected,
            pytrace=False,
        )


@pytest.fixture
def content(tmp_path: Path) -> ContentFolder:
    folder = ContentFolder(tmp_path / "content")
    folder.add_language("en", "English")
    return folder


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def make_kiosk(qtbot, tmp_path: Path, clock: ManualClock) -> Iterator[Callable[..., object]]:
    """Build the real kiosk (main.build_kiosk) on a temporary data folder."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    import main
    from kiosk import cli
    from tests.fakes.audio import SPEAKERS, FakeAudioDevices, FakeAudioPlayer
    from tests.fakes.speech import FakeSpeechService

    built: list[main.Kiosk] = []

    def factory(
        *extra: str,
        content_dir: Path | None = None,
        show: bool = True,
        speech: object = None,
        visit: bool = True,
        audio: bool = True,
        audio_devices: object = None,
    ) -> main.Kiosk:
        argv = ["--data-dir", str(tmp_path / "data"), "--windowed", *extra]
        if content_dir is not None:
            argv += ["--content", str(content_dir)]
        _, options = cli.parse(argv, main.COMMANDS)
        assert options is not None
        app = QApplication.instance()
        speech_dir = tmp_path / "speech"
        speech_dir.mkdir(exist_ok=True)
        kiosk = main.build_kiosk(
            options,
            app,
            clock,
            speech=speech or FakeSpeechService(speech_dir),
            player=FakeAudioPlayer(),
            audio_devices=audio_devices or FakeAudioDevices([SPEAKERS] if audio else []),
        )
        assert kiosk is not None
        kiosk.start_services()
        built.append(kiosk)
        qtbot.addWidget(kiosk.window)
        if show:
            # Up means painted, with the after-first-frame work (finger scrolling) done.
            with qtbot.waitSignal(kiosk.window.first_painted, timeout=10_000):
                kiosk.window.resize(1280, 800)
                kiosk.window.show()
        if visit:  # most tests begin where a visitor begins: on the home screen
            kiosk.flow.start_visit()
        return kiosk

    yield factory
    for kiosk in built:
        kiosk.shut_down()
        # Each test's window and everything in it goes: leftovers would make every later
        # stylesheet change re-polish them all.
        kiosk.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def interaction_counts(kiosk: Any, data_dir: Path) -> dict[str, int]:
    """Interactions the kiosk has logged so far, by kind (written to disk first)."""
    assert kiosk.view_log.flush()
    with sqlite3.connect(data_dir / "kiosk.db") as connection:
        return dict(
            connection.execute(
                "SELECT kind, SUM(count) FROM interaction_counts GROUP BY kind"
            ).fetchall()
        )
