"""sd_notify without systemd: a real AF_UNIX datagram socket stands in for the service manager.

The bytes checked here are the ones systemd reads from NOTIFY_SOCKET (sd_notify(3)). The unit
files are checked by `systemd-analyze verify` where it is installed.
"""

from __future__ import annotations

import configparser
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.watchdog import SystemdNotifier, watchdog_usec

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
INSTALLED_AT = "/opt/ketamine-kiosk"
SYSTEMD_VARIABLES = ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")


class NotifyListener:
    """The service manager's end of NOTIFY_SOCKET: collects the datagrams sent to it."""

    def __init__(self, address: str | bytes) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)
        self.sock.setblocking(False)
        self.received: list[bytes] = []

    def drain(self) -> list[bytes]:
        """Everything that has arrived so far, without waiting."""
        while True:
            try:
                self.received.append(self.sock.recv(4096))
            except BlockingIOError:
                return self.received

    def count(self, message: bytes) -> int:
        return self.drain().count(message)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(autouse=True)
def outside_systemd(monkeypatch: pytest.MonkeyPatch) -> None:
    # The test run itself may be a systemd service; its variables must not leak in.
    for name in SYSTEMD_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def listener(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[NotifyListener]:
    path = tmp_path / "notify"
    end = NotifyListener(str(path))
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    yield end
    end.close()


# -- the notifier ---------------------------------------------------------------------------


def test_messages_are_the_sd_notify_protocol_bytes(listener: NotifyListener) -> None:
    notifier = SystemdNotifier()
    assert notifier.enabled
    notifier.ready()
    notifier.status("Showing topics")
    notifier.ping()
    notifier.stopping()
    assert listener.drain() == [
        b"READY=1",
        b"STATUS=Showing topics",
        b"WATCHDOG=1",
        b"STOPPING=1",
    ]


def test_a_status_cannot_smuggle_in_another_field(listener: NotifyListener) -> None:
    SystemdNotifier().status("fine\nREADY=1")
    assert listener.drain() == [b"STATUS=fine READY=1"]


def test_abstract_socket_address(monkeypatch: pytest.MonkeyPatch) -> None:
    # systemd may hand out an abstract socket ("@name"); libsystemd maps "@" to a NUL byte.
    name = f"ketamine-kiosk-test-{os.getpid()}"
    end = NotifyListener(b"\0" + name.encode())
    try:
        monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
        SystemdNotifier().ready()
        assert end.drain() == [b"READY=1"]
    finally:
        end.close()


def test_without_notify_socket_nothing_is_sent(tmp_path: Path) -> None:
    bystander = NotifyListener(str(tmp_path / "notify"))
    try:
        notifier = SystemdNotifier()
        assert not notifier.enabled
        assert notifier.interval_seconds() is None
        notifier.ready()
        notifier.ping()
        notifier.status("anything")
        notifier.stopping()
        assert bystander.drain() == []
    finally:
        bystander.close()


def test_without_notify_socket_the_watchdog_variables_are_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")
    assert SystemdNotifier().interval_seconds() is None


def test_unreachable_socket_is_logged_once_and_never_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "nobody-listens"))
    notifier = SystemdNotifier()
    with caplog.at_level(logging.WARNING, logger="kiosk.watchdog"):
        notifier.ping()
        notifier.ping()
        notifier.ready()
    assert len(caplog.records) == 1
    assert "cannot notify systemd" in caplog.records[0].getMessage()


# -- the watchdog interval ------------------------------------------------------------------


def test_pings_at_half_of_watchdog_sec(
    listener: NotifyListener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")
    assert SystemdNotifier().interval_seconds() == 15.0
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    assert SystemdNotifier().interval_seconds() == 15.0


def test_watchdog_of_another_process_is_not_ours(
    listener: NotifyListener, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A child (the speech process, say) inherits the variables but not the watchdog.
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid() + 1))
    assert SystemdNotifier().interval_seconds() is None


def test_no_watchdog_sec_means_no_pings(listener: NotifyListener) -> None:
    notifier = SystemdNotifier()
    assert notifier.enabled
    assert notifier.interval_seconds() is None


@pytest.mark.parametrize(
    ("usec", "pid", "expected"),
    [
        ("2000000", None, 2_000_000),
        ("2000000", "100", 2_000_000),
        ("2000000", "101", None),
        ("2000000", "", None),
        ("0", None, None),
        ("", None, None),
        ("-5", None, None),
        ("30s", None, None),
    ],
)
def test_watchdog_usec_rules(usec: str, pid: str | None, expected: int | None) -> None:
    environ = {"WATCHDOG_USEC": usec}
    if pid is not None:
        environ["WATCHDOG_PID"] = pid
    assert watchdog_usec(environ, 100) == expected


# -- the GUI-thread pinger ------------------------------------------------------------------


@pytest.fixture
def fast_watchdog(listener: NotifyListener, monkeypatch: pytest.MonkeyPatch) -> NotifyListener:
    # WatchdogSec=200ms: a ping every 100 ms.
    monkeypatch.setenv("WATCHDOG_USEC", "200000")
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    return listener


def test_pinger_pings_while_the_event_loop_runs(qtbot, fast_watchdog: NotifyListener) -> None:
    from ui.app.watchdog import WatchdogPinger

    pinger = WatchdogPinger(SystemdNotifier())
    pinger.start()
    assert pinger.active
    assert fast_watchdog.count(b"WATCHDOG=1") == 1  # the first one at once
    qtbot.waitUntil(lambda: fast_watchdog.count(b"WATCHDOG=1") >= 4, timeout=5000)
    pinger.stop()
    assert not pinger.active


def test_a_blocked_gui_thread_sends_no_pings(qtbot, fast_watchdog: NotifyListener) -> None:
    from PySide6.QtCore import QTimer

    from ui.app.watchdog import WatchdogPinger

    pinger = WatchdogPinger(SystemdNotifier())
    pinger.start()
    qtbot.waitUntil(lambda: fast_watchdog.count(b"WATCHDOG=1") >= 3, timeout=5000)
    during_block: list[list[bytes]] = []

    def hang() -> None:
        # A slot that never returns to the event loop for five ping intervals (2.5x
        # WatchdogSec): systemd would have killed the kiosk by the end of it.
        fast_watchdog.drain()
        fast_watchdog.received.clear()
        time.sleep(0.5)  # stands in for the hang; nothing here waits for a result
        during_block.append(list(fast_watchdog.drain()))

    QTimer.singleShot(0, hang)
    qtbot.waitUntil(lambda: bool(during_block), timeout=5000)
    assert during_block == [[]]
    # Back in the event loop, the overdue timer pings again.
    qtbot.waitUntil(lambda: fast_watchdog.count(b"WATCHDOG=1") >= 1, timeout=5000)
    pinger.stop()


def test_pinger_without_a_watchdog_stays_idle(qtbot, listener: NotifyListener) -> None:
    from ui.app.watchdog import WatchdogPinger

    pinger = WatchdogPinger(SystemdNotifier())
    pinger.start()
    assert not pinger.active
    assert listener.drain() == []


def test_stopped_pinger_sends_nothing_more(qtbot, fast_watchdog: NotifyListener) -> None:
    from PySide6.QtCore import QTimer

    from ui.app.watchdog import WatchdogPinger

    pinger = WatchdogPinger(SystemdNotifier())
    pinger.start()
    pinger.stop()
    sent = fast_watchdog.count(b"WATCHDOG=1")
    # Let the event loop run for three intervals; a stopped timer must stay silent.
    marker = QTimer()
    marker.setSingleShot(True)
    with qtbot.waitSignal(marker.timeout, timeout=5000):
        marker.start(300)
    assert fast_watchdog.count(b"WATCHDOG=1") == sent == 1


# -- the unit files -------------------------------------------------------------------------


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def systemd_seconds(value: str) -> float:
    """A systemd time span as this unit writes them ("30s", "500ms", "2min")."""
    for suffix, scale in (("ms", 0.001), ("min", 60.0), ("s", 1.0)):
        if value.endswith(suffix):
            return float(value[: -len(suffix)]) * scale
    return float(value)  # plain seconds


def test_the_kiosk_feeds_its_units_watchdog_in_time(
    listener: NotifyListener, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What systemd hands the kiosk under this unit: WatchdogSec= as WATCHDOG_USEC, and,
    # with NotifyAccess=main, the main process's own pid as WATCHDOG_PID.
    service = unit("ketamine-kiosk.service")["Service"]
    watchdog_s = systemd_seconds(service["WatchdogSec"])
    monkeypatch.setenv("WATCHDOG_USEC", str(round(watchdog_s * 1_000_000)))
    if service.get("NotifyAccess") == "main":
        monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    notifier = SystemdNotifier()
    interval = notifier.interval_seconds()
    # Pings at least twice per WatchdogSec (sd_watchdog_enabled(3) advises half), so one
    # late ping is no restart; and READY=1 arrives for Type=notify.
    assert interval is not None and interval <= watchdog_s / 2
    assert service["Type"] == "notify"
    notifier.ready()
    assert listener.count(b"READY=1") == 1


def test_session_scripts_are_executable_shell() -> None:
    for name in ("cage-session.sh", "xinit-session.sh"):
        script = DEPLOY / name
        assert os.access(script, os.X_OK), name
        subprocess.run(["sh", "-n", str(script)], check=True, timeout=30)


def verify(tmp_path: Path, name: str) -> subprocess.CompletedProcess[str]:
    """`systemd-analyze verify` on a copy that runs this checkout instead of /opt's."""
    text = (
        (DEPLOY / name)
        .read_text(encoding="utf-8")
        .replace(f"{INSTALLED_AT}/.venv/bin/python", sys.executable)
        .replace(INSTALLED_AT, str(ROOT))
    )
    copy = tmp_path / name
    copy.write_text(text, encoding="utf-8")
    return subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(copy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (Debian/Ubuntu package 'systemd')",
)
@pytest.mark.parametrize(
    ("name", "program"),
    [
        ("ketamine-kiosk.service", None),
        ("ketamine-kiosk-cage.service", "/usr/bin/cage"),
        ("ketamine-kiosk-x11.service", "/usr/bin/startx"),
    ],
)
def test_units_pass_systemd_analyze_verify(tmp_path: Path, name: str, program: str | None) -> None:
    # verify also checks that ExecStart= exists, and the display servers are deployment-only
    # packages (deploy/README.md), not something a test machine needs.
    if program is not None and not os.access(program, os.X_OK):
        pytest.skip(f"{program} is not installed, so verify would only report that")
    result = verify(tmp_path, name)
    assert result.returncode == 0, result.stderr
    # Unknown keys and bad values are only warnings, with the file name in front.
    assert name not in result.stderr, result.stderr
