"""Staff must get in when the disk is full or read-only, and the throttle must still hold."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.clock import ManualClock
from kiosk.staff.pin import FREE_ATTEMPTS, PinState, PinStore, ScryptCost, wait_after
from tests.conftest import ContentFolder
from tests.faults.harness import fill, set_read_only, small_disk
from tests.test_staff_kiosk import hold_clinic_name, tap, type_pin

CHEAP = ScryptCost(n=2**8, r=8, p=1)
GOOD_PIN = "402917"
WRONG_PIN = "839201"


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "data", size_kib=256) as folder:
        yield folder


def fail(store: PinStore, times: int) -> None:
    for _ in range(times):
        assert not store.verify(WRONG_PIN).ok


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_the_right_pin_gets_in_and_the_throttle_holds_when_nothing_can_be_saved(
    disk: Path, fault: str
) -> None:
    clock = ManualClock()
    store = PinStore(disk, clock, CHEAP)
    store.set_pin(GOOD_PIN)
    if fault == "full":
        fill(disk)
    else:
        set_read_only(disk, True)
    try:
        fail(store, FREE_ATTEMPTS)
        assert store.storage_problem is not None
        assert "counted in memory" in store.storage_problem
        check = store.verify(GOOD_PIN)
        assert check.state is PinState.THROTTLED and not check.ok  # memory still throttles
        clock.advance(wait_after(FREE_ATTEMPTS))
        assert store.verify(GOOD_PIN).ok
    finally:
        if fault == "read-only":
            set_read_only(disk, False)
    # Space is back: the next attempt is saved again and the problem goes away.
    (disk / "filler").unlink(missing_ok=True)
    fail(store, 1)
    assert store.storage_problem is None
    assert json.loads(store.attempts_file.read_text())["failures"] == 1


def test_attempts_at_the_same_moment_are_each_counted(tmp_path: Path) -> None:
    clock = ManualClock()
    PinStore(tmp_path, clock, CHEAP).set_pin(GOOD_PIN)
    # Two stores on one folder behave like two processes: only the file lock keeps them apart.
    stores = [PinStore(tmp_path, clock, CHEAP) for _ in range(2)]
    start = threading.Barrier(4)

    def attempt(store: PinStore) -> None:
        start.wait()
        for _ in range(FREE_ATTEMPTS):
            store.verify(WRONG_PIN)

    threads = [threading.Thread(target=attempt, args=(stores[i % 2],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The first FREE_ATTEMPTS are checked; after that each attempt is refused while waiting.
    assert PinStore(tmp_path, clock, CHEAP).status().failures == FREE_ATTEMPTS


def test_deleting_the_attempts_file_does_not_reset_the_throttle(tmp_path: Path) -> None:
    clock = ManualClock()
    store = PinStore(tmp_path, clock, CHEAP)
    store.set_pin(GOOD_PIN)
    fail(store, FREE_ATTEMPTS)
    store.attempts_file.unlink()
    fresh = PinStore(tmp_path, clock, CHEAP)  # a restart, so memory does not help
    status = fresh.status()
    assert status.state is PinState.THROTTLED
    assert status.failures == FREE_ATTEMPTS


@pytest.mark.parametrize("value", [-5, 2.5, "3", True, None])
def test_a_count_that_is_not_a_whole_number_of_at_least_zero_fails_closed(
    tmp_path: Path, value: object
) -> None:
    clock = ManualClock()
    store = PinStore(tmp_path, clock, CHEAP)
    store.set_pin(GOOD_PIN)
    store.attempts_file.write_text(json.dumps({"failures": value, "locked_until": None}))
    assert PinStore(tmp_path, clock, CHEAP).status().state is PinState.THROTTLED


def test_on_a_full_disk_staff_get_in_and_the_health_page_says_why(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    with small_disk(tmp_path / "data", size_kib=4096) as data:
        kiosk = make_kiosk(content_dir=content.root)
        PinStore(data, kiosk.clock, CHEAP).set_pin(GOOD_PIN)
        assert kiosk.view_log.flush()
        filler = fill(data)
        area = hold_clinic_name(qtbot, kiosk)
        pad = area.pin_pad
        qtbot.waitUntil(lambda: pad.property("state") == "ready", timeout=10_000)
        type_pin(qtbot, pad, WRONG_PIN)
        tap(qtbot, pad.ok_key)
        qtbot.waitUntil(lambda: pad.property("state") == "error", timeout=10_000)
        type_pin(qtbot, pad, GOOD_PIN)
        with qtbot.waitSignal(area.dashboard.figures_shown, timeout=10_000):
            tap(qtbot, pad.ok_key)
        assert area.unlocked
        tap(qtbot, area.nav_buttons["health"])
        storage = area.health.labels["storage"]
        assert "failed PIN attempts cannot be saved" in storage.text()
        assert storage.property("state") == "error"
        filler.unlink()
        kiosk.shut_down()
