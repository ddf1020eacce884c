"""Between visitors: the kiosk notices the visitor has gone, asks, counts down, and starts
fresh, leaving nothing of them behind. Timings are shortened; waits are on signals."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QPoint, Qt

from tests.conftest import ContentFolder, topic_text
from tests.helpers.gui import tap
from ui.app.window import Screen
from ui.read_aloud.controller import ReadState


def quick(
    kiosk: Any,
    idle_ms: int = 150,
    countdown_ms: int = 200,
    tick_ms: int = 50,
    crisis_idle_ms: int | None = None,
) -> None:
    """Short waits; crisis help's long wait is as short as the normal one unless given."""
    kiosk.flow.watch.set_timing(idle_ms, countdown_ms, tick_ms, crisis_idle_ms or idle_ms)
    kiosk.flow.watch.poke()


def state(kiosk: Any) -> dict[str, Any]:
    """Everything a visitor can change, as a comparable snapshot."""
    window = kiosk.window
    return {
        "screen": window.current,
        "preferences": kiosk.visit.preferences,
        "overlay": window.overlay.isVisible(),
        "a section open": any(b.button.isChecked() for b in window.topic.reader._blocks),
        "reader scroll": window.topic.reader.verticalScrollBar().value(),
        "home scroll": window.home.scroll_area.verticalScrollBar().value(),
        "reading": kiosk.narrator.state
        in (ReadState.PLAYING, ReadState.PREPARING, ReadState.PAUSED),
        "ui language": window._translations.language,
        "large text button": window.top_bar.large_text.isChecked(),
        "contrast button": window.top_bar.high_contrast.isChecked(),
        "speech rate": kiosk.narrator.controller.rate_step,
        "volume": kiosk.narrator.controller.volume,
    }


def visits(tmp_path: Path, kiosk: Any) -> int:
    assert kiosk.view_log.flush()
    with sqlite3.connect(tmp_path / "data" / "kiosk.db") as connection:
        return connection.execute("SELECT COALESCE(SUM(visits), 0) FROM visit_counts").fetchone()[0]


def test_a_fresh_kiosk_invites_in_every_language_and_a_tap_starts_a_visit(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    content.add_language("es", "Español")
    kiosk = make_kiosk(content_dir=content.root, visit=False)
    window = kiosk.window
    assert window.current is Screen.ATTRACT
    assert {b.text().strip() for b in window.attract.buttons.values()} == {"Tap to start"}
    assert set(window.attract.buttons) == {"en", "es"}
    assert window.top_bar.crisis.isVisible() and window.footer.disclaimer.isVisible()
    assert visits(tmp_path, kiosk) == 0
    tap(qtbot, window.attract.page, QPoint(10, 10))  # anywhere
    assert window.current is Screen.HOME and kiosk.visit.preferences.language == "en"
    assert visits(tmp_path, kiosk) == 1


def test_the_spanish_invitation_starts_in_spanish(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    content.add_language("es", "Español")
    kiosk = make_kiosk(content_dir=content.root, visit=False)
    tap(qtbot, kiosk.window.attract.buttons["es"])
    assert kiosk.window.current is Screen.HOME
    assert kiosk.visit.preferences.language == "es"


def test_idle_asks_counts_down_and_resets_to_a_fresh_kiosk(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    content.add_language("es", "Español")
    fresh = make_kiosk(content_dir=content.root, visit=False)
    fresh_state = state(fresh)
    fresh.shut_down()
    kiosk = make_kiosk(content_dir=content.root, visit=False)
    window = kiosk.window
    tap(qtbot, window.attract.buttons["es"])
    # The visitor changes everything they can.
    tap(qtbot, window.top_bar.large_text)
    tap(qtbot, window.top_bar.high_contrast)
    window.open_topic("alpha")
    tap(qtbot, window.topic.reader.sections[0].button)
    tap(qtbot, window.topic.read_bar.read)
    qtbot.waitUntil(lambda: kiosk.player.state == "playing")
    if window.topic.read_bar.more.isVisible():  # large text: speed and volume are folded
        tap(qtbot, window.topic.read_bar.more)
    tap(qtbot, window.topic.read_bar.faster)
    tap(qtbot, window.topic.read_bar.quieter)
    tap(qtbot, window.topic.read_bar.stop)
    window.topic.reader.verticalScrollBar().setValue(40)
    window.open_glossary("off-label")
    assert state(kiosk) != fresh_state
    quick(kiosk)
    with qtbot.waitSignal(kiosk.flow.watch.prompt_due, timeout=5000):
        pass
    assert window.overlay.content is kiosk.flow.prompt
    assert kiosk.flow.prompt.title.text() == "¿Sigue leyendo?"  # the visitor chose Spanish
    with qtbot.waitSignal(kiosk.flow.watch.expired, timeout=5000):
        pass
    assert state(kiosk) == fresh_state
    assert visits(tmp_path, kiosk) == 1  # the reset starts no visit; a tap does
    assert kiosk.speech.restarts == 1  # a speech engine given up on gets another chance


def test_the_reset_counts_no_view_of_its_own(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    content.add_language("es", "Español")
    kiosk = make_kiosk(content_dir=content.root, visit=False)
    window = kiosk.window
    tap(qtbot, window.attract.buttons["es"])
    window.open_topic("alpha")
    kiosk.flow.reset()  # the visitor leaves while reading, in Spanish
    assert kiosk.view_log.flush()
    with sqlite3.connect(tmp_path / "data" / "kiosk.db") as connection:
        rows = connection.execute(
            "SELECT topic_id, language, SUM(views) FROM topic_view_counts"
            " GROUP BY topic_id, language"
        ).fetchall()
    assert rows == [("alpha", "es", 1)]


def test_what_is_touched_on_the_invitation_is_put_back_too(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    kiosk = make_kiosk(content_dir=content.root, visit=False)
    window = kiosk.window
    fresh = state(kiosk)
    quick(kiosk)
    # No visit is started: the visitor only uses the top bar, then opens crisis help.
    tap(qtbot, window.top_bar.large_text)
    tap(qtbot, window.top_bar.crisis)
    assert window.current is Screen.CRISIS
    with qtbot.waitSignal(kiosk.flow.watch.expired, timeout=5000):
        pass
    assert state(kiosk) == fresh  # the invitation again, in the default look
    assert not kiosk.flow.watch.running  # and quiet until someone comes
    assert visits(tmp_path, kiosk) == 0


def test_the_countdown_is_shown_in_whole_seconds(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    seconds: list[int] = []
    kiosk.flow.watch.countdown.connect(seconds.append)
    quick(kiosk, idle_ms=50, countdown_ms=3000, tick_ms=1000)
    qtbot.waitUntil(lambda: len(seconds) >= 2, timeout=5000)
    assert seconds[:2] == [3, 2]
    assert "in 2 seconds." in kiosk.flow.prompt.text.text()
    qtbot.waitUntil(lambda: 1 in seconds, timeout=5000)
    assert "in 1 second." in kiosk.flow.prompt.text.text()  # not "1 seconds"


def test_im_still_here_keeps_the_visitor_where_they_were(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    kiosk.window.open_topic("beta")
    quick(kiosk, idle_ms=50, countdown_ms=5000)
    qtbot.waitUntil(lambda: kiosk.window.overlay.content is kiosk.flow.prompt, timeout=5000)
    tap(qtbot, kiosk.flow.prompt.stay_button)
    assert not kiosk.window.overlay.isVisible()
    assert kiosk.window.current is Screen.TOPIC and kiosk.window.topic.topic.id == "beta"
    assert kiosk.flow.watch.idle_timer.isActive() and not kiosk.flow.watch.prompting


def test_any_touch_restarts_the_wait(qtbot: Any, make_kiosk: Any, content: ContentFolder) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    watch = kiosk.flow.watch
    quick(kiosk, idle_ms=400)
    before = watch.idle_timer.remainingTime()
    qtbot.wait(120)  # time passes without input: the wait shrinks
    assert watch.idle_timer.remainingTime() < before - 60
    qtbot.mouseClick(kiosk.window.home, Qt.MouseButton.LeftButton)
    assert watch.idle_timer.remainingTime() > 330  # restarted by the touch
    qtbot.keyClick(kiosk.window, Qt.Key.Key_Shift)
    assert watch.idle_timer.isActive()


def test_speech_holds_off_the_reset(qtbot: Any, make_kiosk: Any, content: ContentFolder) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    window.open_topic("alpha")
    tap(qtbot, window.topic.read_bar.read)
    qtbot.waitUntil(lambda: kiosk.player.state == "playing")
    quick(kiosk, idle_ms=50)
    assert not kiosk.flow.watch.idle_timer.isActive()  # held while speaking
    tap(qtbot, window.topic.read_bar.stop)
    assert kiosk.flow.watch.idle_timer.isActive()  # and waiting again once it stops


def test_the_staff_area_holds_off_the_reset_and_hands_back_a_fresh_kiosk(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    kiosk = make_kiosk(content_dir=content.root)
    kiosk.visit.set_large_text(True)
    kiosk.open_staff()
    quick(kiosk, idle_ms=50)
    assert not kiosk.flow.watch.idle_timer.isActive()
    assert kiosk.staff is not None
    kiosk.staff.leave()
    assert kiosk.window.current is Screen.ATTRACT
    assert not kiosk.visit.preferences.large_text


def test_crisis_help_waits_much_longer_before_asking(
    qtbot: Any, make_kiosk: Any, content: ContentFolder
) -> None:
    """Someone may be on the phone to 988 with nothing to tap: the normal wait must not
    reset crisis help under them (kiosk.crisis_idle_timeout_seconds, 5 minutes)."""
    kiosk = make_kiosk(content_dir=content.root)
    window, watch = kiosk.window, kiosk.flow.watch
    assert watch.idle_timer.interval() == 90_000  # the defaults, as main.py wires them
    tap(qtbot, window.top_bar.crisis)
    assert watch.idle_timer.interval() == 300_000 and watch.idle_timer.isActive()
    tap(qtbot, window.crisis.back)
    assert watch.idle_timer.interval() == 90_000

    quick(kiosk, idle_ms=50, countdown_ms=5000, crisis_idle_ms=1500)
    tap(qtbot, window.top_bar.crisis)
    waited = QElapsedTimer()
    waited.start()
    with qtbot.waitSignal(watch.prompt_due, timeout=10_000):
        pass
    # Thirty times the normal wait went by with crisis help still on screen, unasked.
    assert waited.elapsed() >= 1400
    assert window.current is Screen.CRISIS and window.overlay.content is kiosk.flow.prompt
    tap(qtbot, kiosk.flow.prompt.stay_button)
    tap(qtbot, window.crisis.back)  # back on a normal screen: the normal wait again
    assert watch.idle_timer.interval() == 50
    with qtbot.waitSignal(watch.prompt_due, timeout=5000):
        pass
    assert window.current is Screen.HOME


def test_a_topic_is_one_view_whatever_happens_during_the_visit(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path, clock: Any
) -> None:
    """Language switches, crisis help and back, large text on and off, and coming back to
    the topic later: one view of it, with its true time on screen (docs/counting.md)."""
    content.add_language("es", "Español")
    kiosk = make_kiosk(content_dir=content.root)
    window, bar = kiosk.window, kiosk.window.top_bar
    tap(qtbot, next(t for t in window.home.tiles if t.topic_id == "alpha"))
    clock.advance(10)
    tap(qtbot, bar.language_buttons["es"])
    clock.advance(10)
    tap(qtbot, bar.language_buttons["en"])
    clock.advance(10)
    tap(qtbot, bar.crisis)
    clock.advance(100)  # on crisis help: its own view's time, not the topic's
    tap(qtbot, window.crisis.back)
    clock.advance(10)
    tap(qtbot, bar.large_text)
    clock.advance(10)
    tap(qtbot, bar.large_text)
    tap(qtbot, window.topic.next)  # another topic, then back to the first through Home
    clock.advance(5)
    tap(qtbot, window.topic.home)
    tap(qtbot, next(t for t in window.home.tiles if t.topic_id == "alpha"))
    clock.advance(10)
    tap(qtbot, bar.language_buttons["es"])
    clock.advance(5)
    kiosk.flow.reset()  # the idle reset: the visit is over
    assert view_counts(tmp_path, kiosk) == [
        # topic, language, read aloud, large text, high contrast, views, seconds
        ("alpha", "es", 0, 1, 0, 1, 65),  # the language it ended in; large text used
        ("beta", "en", 0, 0, 0, 1, 5),
        ("crisis", "en", 0, 0, 0, 1, 100),
    ]
    # The next visitor reading it again is a view of their own.
    kiosk.flow.start_visit()
    window.open_topic("alpha")
    clock.advance(7)
    kiosk.flow.reset()
    assert [row for row in view_counts(tmp_path, kiosk) if row[0] == "alpha"] == [
        ("alpha", "en", 0, 0, 0, 1, 7),
        ("alpha", "es", 0, 1, 0, 1, 65),
    ]


def view_counts(tmp_path: Path, kiosk: Any) -> list[tuple[Any, ...]]:
    assert kiosk.view_log.flush()
    with sqlite3.connect(tmp_path / "data" / "kiosk.db") as connection:
        return connection.execute(
            "SELECT topic_id, language, read_aloud, large_text, high_contrast,"
            " SUM(views), SUM(seconds_total) FROM topic_view_counts"
            " GROUP BY topic_id, language, read_aloud, large_text, high_contrast"
            " ORDER BY topic_id, language"
        ).fetchall()


def test_content_that_arrives_mid_visit_waits_for_the_visitor_to_leave(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    """Content loads in the background (a staff reload, a fleet bundle): one that lands
    after a patient tapped in must not send them back to the invitation, nor cut their
    visit in two."""
    kiosk = make_kiosk(content_dir=content.root)
    window = kiosk.window
    if not kiosk.flow.visiting:
        kiosk.flow.start_visit()
    tap(qtbot, next(t for t in window.home.tiles if t.topic_id == "alpha"))
    content.write("en", "zeta.md", topic_text("zeta", 9))
    kiosk.reload_content()
    qtbot.waitUntil(lambda: kiosk.library.pack("en").topic("zeta") is not None, timeout=10_000)
    # The patient reads on, undisturbed.
    assert window.current is Screen.TOPIC and window.topic.topic.id == "alpha"
    assert window.pack.topic("zeta") is None
    kiosk.flow.reset()  # the visit ends: now the new content is shown
    assert window.current is Screen.ATTRACT and window.pack.topic("zeta") is not None
    assert visits(tmp_path, kiosk) == 1
    assert view_counts(tmp_path, kiosk) == [("alpha", "en", 0, 0, 0, 1, 0)]
