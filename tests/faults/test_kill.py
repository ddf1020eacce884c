"""kill -9 of the whole kiosk at random moments while a visitor taps through topics."""

from __future__ import annotations

import random
import shutil
import signal
import time
from pathlib import Path

from tests.faults.conftest import Figures, trials
from tests.faults.harness import KioskProcess, integrity, logged_views


def test_kill_9_at_random_moments_loses_no_acknowledged_view(
    tmp_path: Path, figures: Figures
) -> None:
    count = trials(quick=4, full=200)
    rng = random.Random(20261203)
    data = tmp_path / "data"
    lost = corrupt = 0
    acknowledged_total = 0
    before = 0  # views in the database before each trial
    for _trial in range(count):
        # The same database across trials, as a kiosk restarted by systemd would find it.
        kiosk = KioskProcess(data, interval_ms=rng.choice((5, 20, 40)))
        try:
            kiosk.wait_up()
            wanted = rng.randint(1, 12)
            kiosk.wait_for(lambda p, n=wanted: p.views >= n, 30, "some views")
            time.sleep(rng.uniform(0, 0.5))  # the random moment itself, not a wait for one
            kiosk.send(signal.SIGKILL)
            kiosk.wait(10)
        finally:
            kiosk.kill()
        acked = kiosk.acked
        acknowledged_total += acked
        if integrity(data / "kiosk.db") != "ok":
            corrupt += 1
            shutil.move(data / "kiosk.db", tmp_path / f"corrupt-{_trial}.db")
            before = 0
            continue
        after = logged_views(data / "kiosk.db")
        lost += max(0, acked - (after - before))
        # Nothing counted twice either: never more views than the visitor opened.
        assert after - before <= kiosk.views
        before = after
    figures.add(
        f"kill -9 while tapping: {count} trials, {corrupt} corrupt databases, "
        f"{lost} of {acknowledged_total} acknowledged views lost"
    )
    assert corrupt == 0
    assert lost == 0
