"""The staff PIN: setting, checking, refusing weak PINs, and throttling that survives a restart."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from kiosk.cli import parse, run_command
from kiosk.clock import ManualClock
from kiosk.staff import commands as staff_commands
from kiosk.staff import pin as pin_module
from kiosk.staff.pin import (
    FREE_ATTEMPTS,
    MAX_WAIT_SECONDS,
    OWASP_COST,
    PinState,
    PinStore,
    ScryptCost,
    WeakPin,
    pin_problem,
    wait_after,
)

# The real OWASP cost takes ~0.4 s and 128 MiB a hash; tests use a cheap one except where
# the stored parameters themselves are checked.
CHEAP = ScryptCost(n=2**8, r=8, p=1)
GOOD_PIN = "402917"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> PinStore:
    return PinStore(tmp_path, clock, CHEAP)


def test_no_pin_until_one_is_set(store: PinStore) -> None:
    assert not store.is_set()
    assert store.status().state is PinState.NOT_SET
    check = store.verify("000000")
    assert not check.ok
    assert check.state is PinState.NOT_SET


@pytest.mark.expected_logs("wrong staff PIN")
def test_set_and_verify(store: PinStore, tmp_path: Path) -> None:
    store.set_pin(GOOD_PIN)
    assert store.is_set()
    assert store.verify(GOOD_PIN).ok
    assert not store.verify("402918").ok
    # The PIN itself is nowhere in the data folder, only a salted hash.
    for file in tmp_path.iterdir():
        assert GOOD_PIN.encode() not in file.read_bytes()


def test_same_pin_gets_a_different_salt_each_time(tmp_path: Path, clock: ManualClock) -> None:
    first = PinStore(tmp_path / "a", clock, CHEAP)
    second = PinStore(tmp_path / "b", clock, CHEAP)
    first.set_pin(GOOD_PIN)
    second.set_pin(GOOD_PIN)
    a = json.loads(first.pin_file.read_text())
    b = json.loads(second.pin_file.read_text())
    assert a["salt"] != b["salt"]
    assert a["hash"] != b["hash"]


def test_default_cost_is_owasp_and_is_recorded(tmp_path: Path, clock: ManualClock) -> None:
    assert (OWASP_COST.n, OWASP_COST.r, OWASP_COST.p) == (2**17, 8, 1)
    store = PinStore(tmp_path, clock)
    store.set_pin(GOOD_PIN)
    record = json.loads(store.pin_file.read_text())
    assert (record["algorithm"], record["n"], record["r"], record["p"]) == ("scrypt", 2**17, 8, 1)
    assert len(bytes.fromhex(record["salt"])) >= 16
    assert store.verify(GOOD_PIN).ok


def test_older_cost_is_upgraded_on_a_good_pin(tmp_path: Path, clock: ManualClock) -> None:
    PinStore(tmp_path, clock, CHEAP).set_pin(GOOD_PIN)
    stronger = ScryptCost(n=2**9, r=8, p=1)
    store = PinStore(tmp_path, clock, stronger)
    assert store.verify(GOOD_PIN).ok
    assert json.loads(store.pin_file.read_text())["n"] == 2**9
    assert store.verify(GOOD_PIN).ok


def test_the_upgrade_keeps_a_pin_that_newer_rules_would_refuse(
    tmp_path: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    PinStore(tmp_path, clock, CHEAP).set_pin(GOOD_PIN)
    monkeypatch.setattr(pin_module, "pin_problem", lambda _pin: "rules have tightened")
    store = PinStore(tmp_path, clock, ScryptCost(n=2**9, r=8, p=1))
    assert store.verify(GOOD_PIN).ok  # staff are not locked out by their own upgrade
    assert store.verify(GOOD_PIN).ok


def test_an_attempt_is_counted_before_the_slow_check(
    store: PinStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.set_pin(GOOD_PIN)

    def killed(*_args: object) -> bytes:
        raise KeyboardInterrupt  # the kiosk stopped in the middle of the hash

    monkeypatch.setattr(pin_module, "_scrypt", killed)
    with pytest.raises(KeyboardInterrupt):
        store.verify("999999")
    assert store.status().failures == 1


@pytest.mark.parametrize(
    "pin",
    [
        "000000",
        "123456",
        "111111",
        "121212",
        "654321",
        "123123",
        "789012",
        "135791",
        "112233",
        "147258",
        "12345",
        "12a456",
        "１２３４５６",  # full-width digits are digits to Python, not to a PIN pad
        "1234567890123",
        "123321",
        "909090",
    ],
)
def test_common_and_malformed_pins_are_refused(store: PinStore, pin: str) -> None:
    assert pin_problem(pin) is not None
    with pytest.raises(WeakPin):
        store.set_pin(pin)
    assert not store.is_set()


@pytest.mark.parametrize("pin", [GOOD_PIN, "581036", "90412273", "738215"])
def test_ordinary_pins_are_accepted(pin: str) -> None:
    assert pin_problem(pin) is None


def test_waits_grow_and_are_capped() -> None:
    assert [wait_after(n) for n in range(FREE_ATTEMPTS)] == [0] * FREE_ATTEMPTS
    assert wait_after(FREE_ATTEMPTS) == 30
    assert wait_after(FREE_ATTEMPTS + 1) == 60
    assert wait_after(FREE_ATTEMPTS + 2) == 120
    assert wait_after(FREE_ATTEMPTS + 50) == MAX_WAIT_SECONDS == 3600


def _fail(store: PinStore, times: int) -> None:
    for _ in range(times):
        assert not store.verify("999990").ok


@pytest.mark.expected_logs("wrong staff PIN")
def test_throttling_survives_a_restart(tmp_path: Path, clock: ManualClock) -> None:
    store = PinStore(tmp_path, clock, CHEAP)
    store.set_pin(GOOD_PIN)
    _fail(store, FREE_ATTEMPTS - 1)
    assert store.status().state is PinState.READY
    check = store.verify("999990")
    assert (check.state, check.wait_seconds, check.failures) == (
        PinState.THROTTLED,
        30,
        FREE_ATTEMPTS,
    )

    # A "restart": a new store on the same folder still knows about the failures.
    restarted = PinStore(tmp_path, clock, CHEAP)
    status = restarted.status()
    assert (status.state, status.wait_seconds, status.failures) == (
        PinState.THROTTLED,
        30,
        FREE_ATTEMPTS,
    )
    # Even the right PIN is refused, unchecked and uncounted, while the wait runs.
    refused = restarted.verify(GOOD_PIN)
    assert not refused.ok
    assert refused.state is PinState.THROTTLED
    assert refused.failures == FREE_ATTEMPTS

    clock.advance(29)
    assert restarted.status().wait_seconds == 1
    clock.advance(1)
    assert restarted.status().state is PinState.READY
    # The next failure doubles the wait.
    assert restarted.verify("999990").wait_seconds == 60
    clock.advance(60)
    assert restarted.verify(GOOD_PIN).ok
    assert PinStore(tmp_path, clock, CHEAP).status() == restarted.status()
    assert restarted.status().failures == 0


@pytest.mark.expected_logs("wrong staff PIN")
def test_setting_a_new_pin_clears_the_failures(store: PinStore, clock: ManualClock) -> None:
    store.set_pin(GOOD_PIN)
    _fail(store, FREE_ATTEMPTS)
    assert store.status().state is PinState.THROTTLED
    store.set_pin("581036")
    assert store.status().state is PinState.READY
    assert store.verify("581036").ok
    assert not store.verify(GOOD_PIN).ok


@pytest.mark.expected_logs("wrong staff PIN")
def test_clock_set_back_does_not_lock_staff_out_forever(
    store: PinStore, clock: ManualClock, tmp_path: Path
) -> None:
    store.set_pin(GOOD_PIN)
    _fail(store, FREE_ATTEMPTS)
    attempts = json.loads(store.attempts_file.read_text())
    attempts["locked_until"] = "2099-01-01T00:00:00"
    store.attempts_file.write_text(json.dumps(attempts))
    assert store.status().wait_seconds == wait_after(FREE_ATTEMPTS)


@pytest.mark.expected_logs("staff PIN attempts in", "wrong staff PIN")
def test_a_damaged_attempts_file_fails_closed_then_recovers(
    store: PinStore, clock: ManualClock
) -> None:
    store.set_pin(GOOD_PIN)
    store.attempts_file.write_text("{not json")
    status = store.status()
    assert status.state is PinState.THROTTLED
    assert not store.verify(GOOD_PIN).ok
    clock.advance(wait_after(FREE_ATTEMPTS))
    assert store.verify(GOOD_PIN).ok


@pytest.mark.expected_logs("staff PIN file")
def test_a_damaged_pin_file_is_reported(store: PinStore) -> None:
    store.set_pin(GOOD_PIN)
    store.pin_file.write_text("garbage")
    assert store.status().state is PinState.DAMAGED
    assert store.verify(GOOD_PIN).state is PinState.DAMAGED


@pytest.mark.expected_logs("wrong staff PIN")
def test_files_are_replaced_whole(store: PinStore, tmp_path: Path) -> None:
    store.set_pin(GOOD_PIN)
    _fail(store, 2)
    # No temporary files are left behind by the atomic writes.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "staff-pin-attempts.json",
        "staff-pin.json",
    ]


# --- the `staff set-pin` command ---


def _run(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    args, options = parse(argv, [staff_commands.register])
    assert options is None
    out = io.StringIO()
    return run_command(args, out), out.getvalue()


def test_set_pin_command_reads_stdin_when_not_a_tty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("kiosk.staff.pin.PinStore", _cheap_store)
    code, out = _run(["staff", "set-pin", "--data-dir", str(tmp_path)], "402917\n", monkeypatch)
    assert code == 0
    assert "set" in out
    assert PinStore(tmp_path, ManualClock(), CHEAP).verify(GOOD_PIN).ok

    # --data-dir also works before the subcommand; a second run replaces the PIN.
    code, out = _run(["--data-dir", str(tmp_path), "staff", "set-pin"], "581036\n", monkeypatch)
    assert code == 0
    assert "replaced" in out
    assert PinStore(tmp_path, ManualClock(), CHEAP).verify("581036").ok


def test_set_pin_command_refuses_a_common_pin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("kiosk.staff.pin.PinStore", _cheap_store)
    code, _ = _run(["staff", "set-pin", "--data-dir", str(tmp_path)], "123456\n", monkeypatch)
    assert code != 0
    assert "run of digits" in capsys.readouterr().err
    assert not (tmp_path / "staff-pin.json").exists()

    code, _ = _run(["staff", "set-pin", "--data-dir", str(tmp_path)], "", monkeypatch)
    assert code != 0
    assert "no PIN" in capsys.readouterr().err


def test_set_pin_command_on_a_tty_asks_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("kiosk.staff.pin.PinStore", _cheap_store)
    answers = iter(["402917", "402971"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    args, _ = parse(["staff", "set-pin", "--data-dir", str(tmp_path)], [staff_commands.register])
    assert run_command(args, io.StringIO()) != 0
    assert "differ" in capsys.readouterr().err
    assert not (tmp_path / "staff-pin.json").exists()


def _cheap_store(folder: Path, clock: ManualClock) -> PinStore:
    return PinStore(folder, clock, CHEAP)
