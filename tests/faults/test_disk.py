"""A disk that fills up, and a data folder that turns read-only, while patients use the kiosk.

No crash and no GUI stall over 250 ms either way. A full disk: logging resumes when space
returns and the views made meanwhile are written then. A disk that fails read-only: the
kiosk keeps serving patients, stops cleanly, and once the disk is repaired it is up and
logging again with everything committed before the failure still there.
"""

from __future__ import annotations

import signal
from pathlib import Path

from tests.faults.conftest import Figures
from tests.faults.harness import (
    KioskProcess,
    ext4_disk,
    fill,
    integrity,
    logged_views,
    small_disk,
)

MAX_STALL_MS = 250


def test_a_full_disk_costs_nothing_once_space_returns(tmp_path: Path, figures: Figures) -> None:
    with small_disk(tmp_path / "data", size_kib=16 * 1024) as data:
        kiosk = KioskProcess(data, interval_ms=40)
        try:
            kiosk.wait_up()
            kiosk.wait_for(lambda p: p.acked >= 3, 30, "three logged views")
            committed = logged_views(data / "kiosk.db")
            stalls_before = kiosk.stalls_from_now()
            filler = fill(data)
            at_fault = kiosk.views
            # Patients go on reading while nothing can be written.
            kiosk.wait_for(lambda p: p.views >= at_fault + 15, 30, "views during the fault")
            assert kiosk.process.poll() is None, "the kiosk died"
            filler.unlink()
            back = kiosk.views
            kiosk.wait_for(lambda p: p.acked >= back, 30, "logging again once space is back")
            stalls = kiosk.numbers("STALL")[stalls_before:]
            kiosk.send(signal.SIGTERM)
            code = kiosk.wait(10)
        finally:
            kiosk.kill()
        worst = max(stalls, default=0)
        figures.add(
            f"disk full: {back - at_fault} views while full, worst GUI stall {worst} ms, "
            f"logging resumed, {kiosk.views} of {kiosk.views} views written"
        )
        assert code == 0
        assert worst <= MAX_STALL_MS
        assert integrity(data / "kiosk.db") == "ok"
        assert logged_views(data / "kiosk.db") >= committed
        assert logged_views(data / "kiosk.db") == kiosk.views


def test_a_disk_that_fails_read_only_loses_nothing_committed(
    tmp_path: Path, figures: Figures
) -> None:
    with ext4_disk(tmp_path / "data", tmp_path / "disk.img") as disk:
        data = disk.folder
        kiosk = KioskProcess(data, interval_ms=40)
        try:
            kiosk.wait_up()
            kiosk.wait_for(lambda p: p.acked >= 3, 30, "three logged views")
            acked = kiosk.acked
            stalls_before = kiosk.stalls_from_now()
            disk.fail()
            at_fault = kiosk.views
            kiosk.wait_for(lambda p: p.views >= at_fault + 15, 30, "views on a read-only disk")
            assert kiosk.process.poll() is None, "the kiosk died"
            stalls = kiosk.numbers("STALL")[stalls_before:]
            kiosk.send(signal.SIGTERM)
            code = kiosk.wait(10)
        finally:
            kiosk.kill()
        assert code == 0
        worst = max(stalls, default=0)
        assert worst <= MAX_STALL_MS
        disk.repair()
        assert integrity(data / "kiosk.db") == "ok"
        kept = logged_views(data / "kiosk.db")
        assert kept >= acked  # every view acknowledged before the failure is there
        again = KioskProcess(data, taps=2)
        try:
            again.wait_for(lambda p: p.acked >= 1, 10, "logging after the repair")
        finally:
            again.kill()
        figures.add(
            f"disk failed read-only: {kiosk.views - at_fault} views served while read-only, "
            f"worst GUI stall {worst} ms, {kept} views kept (>= {acked} acknowledged), "
            "logging again after repair"
        )
