"""The real kiosk with a fleet server set: it pushes off the GUI thread and shows the link."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from kiosk.fleet.credentials import write_credentials
from tests.conftest import ContentFolder
from tests.fleet.conftest import KIOSK_PASSWORD, FleetDatabase


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
    kiosk.fleet.push_now()
    qtbot.waitUntil(lambda: kiosk.health().fleet_last_push is not None, timeout=15_000)
    report = kiosk.health()
    assert report.fleet_server.endswith(f"/{fleet_db.name}")
    assert report.fleet_problem is None and report.fleet_hours_waiting == 0
    with fleet_db.admin.connect() as connection:
        visits = connection.execute(text("SELECT sum(visits) FROM visit_counts")).scalar()
        beat = connection.execute(text("SELECT site, facts FROM kiosk_heartbeats")).one()
    assert visits == 1
    assert beat.site == "north" and "speech_state" in beat.facts
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
