"""systemctl stop sends SIGTERM: a locked kiosk must stop at once and write every view first."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.conftest import Figures
from tests.faults.harness import KioskProcess, logged_views, x_server


@pytest.fixture(params=["offscreen", "xcb"])
def platform_env(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    if request.param == "offscreen":
        yield {"QT_QPA_PLATFORM": "offscreen"}
        return
    with x_server() as display:
        yield {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display}


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_locked_kiosk_stops_cleanly_on_a_signal_with_every_view_written(
    tmp_path: Path, platform_env: dict[str, str], number: signal.Signals, figures: Figures
) -> None:
    kiosk = KioskProcess(tmp_path / "data", env=platform_env)  # locked: no --windowed
    try:
        kiosk.wait_up()
        kiosk.wait_for(lambda p: p.views >= 5, 30, "five topic views")
        sent = time.monotonic()
        kiosk.send(number)
        code = kiosk.wait(timeout=10)
        took = time.monotonic() - sent
    finally:
        kiosk.kill()
    figures.add(
        f"{number.name} to a locked kiosk ({platform_env['QT_QPA_PLATFORM']}): exit code {code} "
        f"after {took * 1000:.0f} ms, {kiosk.views} views reported"
    )
    assert code == 0, kiosk.stderr()[-2000:]
    assert took < 2.0, f"took {took:.2f} s to stop"
    # Every topic the visitor opened is a view, the one still open at the signal included.
    reported = [line for line in kiosk.lines if not line.startswith("STALL")]
    log = (tmp_path / "data" / "logs" / "kiosk.log").read_text()
    assert logged_views(tmp_path / "data" / "kiosk.db") == kiosk.views, (reported, log)
