"""The real kiosk with a fleet server set: it pushes off the GUI thread and shows the link."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from kiosk.content.commands import CONTENT_STORE
from kiosk.fleet.credentials import write_credentials
from kiosk.fleet.heartbeat import content_version
from tests.conftest import ContentFolder
from tests.fleet.conftest import KIOSK_PASSWORD, FleetDatabase
from ui.app.recovery import RecoveryHook


def configure(data: Path, fleet_db: FleetDatabase, password: str) -> None:
    data.mkdir(parents=True, exist_ok=True)
    (data / "settings.toml").write_text(
        f'[fleet]\nurl = "{fleet_db.url}"\nsite = "north"\n', encoding="utf-8"
    )
    write_credentials(data / "fleet-credentials.toml", "kiosk-1", password)


def test_the_kiosk_pushes_its_counts_and_heartbeat_and_shows_the_link(
    make_kiosk: Callable[..., Any],
    fleet_db: FleetDatabase,
    content: ContentFolder,
    tmp_path: Path,
    qtbot: Any,
) -> None:
    fleet_db.provision("kiosk-1")
    configure(tmp_path / "data", fleet_db, KIOSK_PASSWORD)
    kiosk = make_kiosk(content_dir=content.root)
    assert kiosk.view_log.flush()
    kiosk._facts_timer.timeout.emit()  # the minute's facts, with the write just done
    kiosk.fleet.push_now()
    qtbot.waitUntil(lambda: kiosk.health().fleet_last_push is not None, timeout=15_000)
    report = kiosk.health()
    assert report.fleet_server.endswith(f"/{fleet_db.name}")
    assert report.fleet_problem is None and report.fleet_hours_waiting == 0
    with fleet_db.admin.connect() as connection:
        visits = connection.execute(text("SELECT sum(visits) FROM visit_counts")).scalar()
        beat = connection.execute(text("SELECT site, facts FROM kiosk_heartbeats")).one()
    # The visit's hour is still in progress: pushing it now would let the server watch it
    # grow visitor by visitor. The heartbeat's last write says the hour, not the minute.
    assert visits is None
    assert beat.site == "north" and "speech_state" in beat.facts
    assert beat.facts["last_write"] == kiosk.clock.now().replace(minute=0).isoformat()
    kiosk.clock.advance(3600)  # 10:30: the 9 o'clock hour ended more than the margin ago
    kiosk.fleet.push_now()

    def central_visits() -> int | None:
        with fleet_db.admin.connect() as connection:
            return connection.execute(text("SELECT sum(visits) FROM visit_counts")).scalar()

    qtbot.waitUntil(lambda: central_visits() == 1, timeout=15_000)
    assert "password" not in str(beat.facts).lower()


@pytest.mark.expected_logs("refused this kiosk's password")
def test_a_wrong_password_shows_on_the_health_page_and_the_kiosk_runs_on(
    make_kiosk: Callable[..., Any],
    fleet_db: FleetDatabase,
    content: ContentFolder,
    tmp_path: Path,
    qtbot: Any,
) -> None:
    fleet_db.provision("kiosk-1")
    configure(tmp_path / "data", fleet_db, "wrong-password-123")
    kiosk = make_kiosk(content_dir=content.root)
    assert kiosk.view_log.flush()
    kiosk.fleet.push_now()
    qtbot.waitUntil(lambda: kiosk.health().fleet_problem is not None, timeout=15_000)
    problem = kiosk.health().fleet_problem
    assert "refused this kiosk's password" in problem
    assert "wrong-password-123" not in problem
    assert kiosk.window.isVisible() and kiosk.view_log.status.problem is None


@pytest.mark.expected_logs("unexpected error; returning to the home screen")
def test_the_heartbeat_says_content_version_audio_and_last_recovery(
    make_kiosk: Callable[..., Any],
    fleet_db: FleetDatabase,
    content: ContentFolder,
    tmp_path: Path,
    qtbot: Any,
) -> None:
    fleet_db.provision("kiosk-1")
    configure(tmp_path / "data", fleet_db, KIOSK_PASSWORD)
    kiosk = make_kiosk(content_dir=content.root, audio=False)
    # Audio is looked at once QtMultimedia is loaded, after the player's warm-up.
    qtbot.waitUntil(lambda: kiosk.kiosk_facts.audio_output is not None, timeout=5_000)
    kiosk.recovery = RecoveryHook(kiosk.window.recover, kiosk.clock.now)
    kiosk.recovery.handle(RuntimeError, RuntimeError("a bug"), None)  # as sys.excepthook would
    qtbot.waitUntil(lambda: kiosk.recovery.last_recovery is not None)
    kiosk._facts_timer.timeout.emit()  # the minute's facts, taken now
    kiosk.fleet.push_now()
    qtbot.waitUntil(lambda: kiosk.health().fleet_last_push is not None, timeout=15_000)
    with fleet_db.admin.connect() as connection:
        beat = connection.execute(
            text("SELECT content_version, problems, facts FROM kiosk_heartbeats")
        ).one()
    assert beat.content_version == "folder"  # --content: neither bundled nor installed
    assert beat.facts["content_version"] == "folder"
    assert beat.facts["audio_output_present"] is False
    assert "no audio output" in beat.problems
    # To the hour only: the minute of an error may be the minute of a patient's tap.
    recovered = kiosk.clock.now().replace(minute=0, second=0, microsecond=0)
    assert beat.facts["last_crash_recovery"] == recovered.isoformat()
    assert beat.facts["topics_overdue"] == beat.facts["review_due"]  # the health page's list


def test_content_version_is_the_installed_bundle_or_bundled(tmp_path: Path) -> None:
    bundled, data = tmp_path / "bundled", tmp_path / "data"
    assert content_version(data, bundled, bundled) == "bundled"
    assert content_version(data, tmp_path / "mine", bundled) == "folder"
    store = data / CONTENT_STORE
    (store / "bundles" / "7").mkdir(parents=True)
    (store / "current").symlink_to(Path("bundles") / "7")
    assert content_version(data, bundled, bundled) == "7"
