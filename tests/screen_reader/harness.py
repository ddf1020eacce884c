"""A desktop a Linux screen reader can read: Xvfb, a private D-Bus session with the AT-SPI
bus, the real kiosk on the xcb platform, the pyatspi probe and Orca.

Every process is started here and ended here, by its own id. The session bus is a
`dbus-daemon --session` of our own (what `dbus-run-session` starts, but with its address in
our hands, so the kiosk, the probe and Orca can join it one after another); the AT-SPI bus
launcher and registry it starts on demand end with it.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import sys
import threading
import time
import tty
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from tests.faults.harness import x_server

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("atspi_probe.py")
# Debian's python3-pyatspi is built for the system Python, not for the venv.
SYSTEM_PYTHON = "/usr/bin/python3"
WIDTH, HEIGHT = 1280, 800

T = TypeVar("T")


class KioskCrashed(AssertionError):
    """The kiosk process died while a screen reader was reading it."""


def require_tools() -> None:
    """Fail, with the reason, where `make test` (scripts/system-deps.sh test) was not run."""
    for tool, package in (
        ("dbus-daemon", "dbus-daemon"),
        ("xdotool", "xdotool"),
        ("orca", "orca"),
        ("/usr/libexec/at-spi-bus-launcher", "at-spi2-core"),
    ):
        assert shutil.which(tool), f"{tool} is missing: `make test` installs it (package {package})"
    found = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, text=True, check=False
    )
    assert found.returncode == 0, (
        f"pyatspi does not import in {SYSTEM_PYTHON}: `make test` installs it "
        f"(package python3-pyatspi): {found.stderr.strip()[-300:]}"
    )


def wait_until(test: Callable[[], T | None], timeout: float, what: str) -> T:
    """Poll `test` until it returns something truthy; fail saying `what` did not happen."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        result = test()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(delay)  # polling a condition, with a deadline: not a fixed wait
        delay = min(delay * 2, 0.5)


class Probe:
    """The pyatspi helper (atspi_probe.py) running in the session; one request at a time."""

    def __init__(self, env: dict[str, str], stderr: Path) -> None:
        self._stderr_path = stderr
        self._stderr = stderr.open("wb")
        self.process = subprocess.Popen(
            [SYSTEM_PYTHON, str(PROBE)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            bufsize=1,
        )

    def ask(self, timeout: float = 30, **request: Any) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            raise AssertionError(
                f"the AT-SPI probe did not answer {request} within {timeout} s "
                f"(exit code {self.process.poll()}): {self._stderr_path.read_text()[-1500:]}"
            )
        reply: dict[str, Any] = json.loads(line)
        return reply

    def must(self, **request: Any) -> dict[str, Any]:
        reply = self.ask(**request)
        assert reply["ok"], f"{request}: {reply['error']}"
        return reply

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._stderr.close()


class Desktop:
    """A display and a session bus that the kiosk, the probe and Orca share."""

    def __init__(self, env: dict[str, str], folder: Path, probe: Probe) -> None:
        self.env = env
        self.folder = folder
        self.probe = probe

    def run(self, *command: str) -> str:
        result = subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=20, check=True
        )
        return result.stdout

    def key(self, *keys: str) -> None:
        """Keys typed at the X server (XTEST), as a keyboard would: to the focused window."""
        self.run("xdotool", "key", "--delay", "50", *keys)


@contextmanager
def desktop(folder: Path) -> Iterator[Desktop]:
    require_tools()
    folder.mkdir(parents=True, exist_ok=True)
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    with x_server(WIDTH, HEIGHT) as display:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DBUS_", "AT_SPI", "QT_", "SPEECHD_"))
        }
        env.update(
            DISPLAY=display,
            XDG_RUNTIME_DIR=str(runtime),
            # No dconf service to start: the AT-SPI launcher and Orca keep settings in memory.
            GSETTINGS_BACKEND="memory",
        )
        read, write = os.pipe()
        with (folder / "dbus-stderr.txt").open("wb") as bus_log:
            bus = subprocess.Popen(
                ["dbus-daemon", "--session", "--nofork", "--nosyslog", f"--print-address={write}"],
                env=env,
                pass_fds=(write,),
                stdout=subprocess.DEVNULL,
                stderr=bus_log,
            )
        os.close(write)
        probe = None
        try:
            with os.fdopen(read) as pipe:
                address = pipe.readline().strip()
            assert address, f"dbus-daemon did not start (exit code {bus.poll()})"
            env["DBUS_SESSION_BUS_ADDRESS"] = address
            probe = Probe(env, folder / "probe-stderr.txt")
            # The first request starts the AT-SPI bus (org.a11y.Bus) before any app joins.
            probe.must(op="apps")
            yield Desktop(env, folder, probe)
        finally:
            if probe is not None:
                probe.close()
            bus.terminate()
            bus.wait(10)


@dataclass(frozen=True)
class Look:
    """One reading of the kiosk's AT-SPI tree: what is showing."""

    app: str
    windows: list[str]
    controls: list[dict[str, Any]]
    labels: list[str]

    def has(self, name: str) -> bool:
        return any(control["name"] == name for control in self.controls)


class Kiosk:
    """The real kiosk (main.py, locked full screen) on the desktop, with accessibility on."""

    def __init__(
        self, desk: Desktop, data_dir: Path, *args: str, prefix: tuple[str, ...] = ()
    ) -> None:
        self.desktop = desk
        self.data_dir = data_dir
        self.log = data_dir / "logs" / "kiosk.log"
        self._stderr = (data_dir.parent / f"{data_dir.name}-stderr.txt").open("wb")
        self.process = subprocess.Popen(
            [*prefix, sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), *args],
            cwd=ROOT,
            env={
                **desk.env,
                "QT_QPA_PLATFORM": "xcb",
                # Qt exposes its widgets on AT-SPI only when a screen reader is said to be
                # running; these say so without one (the probe is not one to Qt).
                "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
                "QT_ACCESSIBILITY": "1",
                "PYTHONFAULTHANDLER": "1",  # a crash says where, in the stderr file
            },
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def look(self) -> Look:
        """What the screen reader finds showing now."""
        reply = self.desktop.probe.ask(op="controls", pid=self.pid)
        if not reply["ok"]:
            if self.process.poll() is not None:
                raise KioskCrashed(
                    f"the kiosk died (exit code {self.process.returncode}) while AT-SPI read "
                    f"it: {self.stderr()[-2500:]}"
                )
            return Look("", [], [], [])  # not on the AT-SPI bus yet
        return Look(reply["app"], reply["windows"], reply["controls"], reply["labels"])

    def wait_for(self, test: Callable[[Look], bool], what: str, timeout: float = 30) -> Look:
        """The first look that passes `test` (polled, with a deadline)."""
        seen: list[Look] = []

        def passes() -> bool:
            seen[:] = [self.look()]
            return test(seen[0])

        try:
            wait_until(passes, timeout, what)
        except KioskCrashed:
            raise
        except AssertionError as failure:
            shown = [c["name"] for c in seen[0].controls] if seen else []
            raise AssertionError(f"{failure}; showing: {shown}") from None
        return seen[0]

    def wait_for_control(self, name: str, timeout: float = 30) -> Look:
        return self.wait_for(lambda look: look.has(name), f"no control named {name!r}", timeout)

    def _must(self, **request: Any) -> dict[str, Any]:
        reply = self.desktop.probe.ask(pid=self.pid, **request)
        if not reply["ok"] and self.process.poll() is not None:
            raise KioskCrashed(
                f"the kiosk died (exit code {self.process.returncode}) during {request}: "
                f"{self.stderr()[-2500:]}"
            )
        assert reply["ok"], f"{request}: {reply['error']}"
        return reply

    def act(self, name: str, role: str | None = None, action: str | None = None) -> None:
        """Press or toggle a control through AT-SPI, as a screen reader user does."""
        self._must(op="act", name=name, role=role, action=action)

    def focused(self) -> dict[str, Any] | None:
        focused: dict[str, Any] | None = self._must(op="focused")["focused"]
        return focused

    def stderr(self) -> str:
        if not self._stderr.closed:
            self._stderr.flush()
        return Path(self._stderr.name).read_text(errors="replace")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # the kiosk's SIGTERM handler shuts down cleanly
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._stderr.close()


class Orca:
    """The Orca screen reader with its debug log: what it would say is in there.

    Orca writes its debug log without flushing it; given a terminal as the log file, Python
    flushes every line, so the log is read from a pseudo-terminal as Orca writes it.
    """

    def __init__(self, desk: Desktop) -> None:
        others = subprocess.run(
            ["pgrep", "-u", str(os.getuid()), "-x", "orca"], capture_output=True, text=True
        ).stdout.split()
        assert not others, f"Orca will not start while another runs as this user: {others}"
        prefs = desk.folder / "orca-prefs"
        prefs.mkdir(exist_ok=True)
        self.log = desk.folder / "orca-debug.txt"
        self._lines: list[str] = []
        self._lock = threading.Lock()
        # Ours stays open until Orca has ended: with no end open, reads would fail at once.
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line-ending changes
        terminal = os.ttyname(self._slave)
        self._stderr = (desk.folder / "orca-stderr.txt").open("wb")
        self.process = subprocess.Popen(
            # No speech server (nothing could play it here), so none is started; Orca still
            # logs every utterance ("SPEECH OUTPUT: ...") it would have spoken.
            ["orca", "--disable", "speech", "--user-prefs", str(prefs), "--debug-file", terminal],
            env=desk.env,
            stdin=subprocess.DEVNULL,
            stdout=self._stderr,
            stderr=self._stderr,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        pending = b""
        with self.log.open("wb") as copy:
            while True:
                try:
                    chunk = os.read(self._master, 65536)
                except OSError:  # Orca closed the terminal (it ended)
                    break
                if not chunk:
                    break
                copy.write(chunk)
                pending += chunk
                *lines, pending = pending.split(b"\n")
                with self._lock:
                    self._lines += [line.decode(errors="replace") for line in lines]

    def lines(self) -> list[str]:
        with self._lock:
            return list(self._lines)

    def started(self) -> bool:
        return any("Startup complete" in line for line in self.lines())

    def said(self) -> list[str]:
        """Every utterance so far, in order."""
        found = (_SPEECH.search(line) for line in self.lines())
        return [match.group(1) for match in found if match]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        os.close(self._slave)  # the reader now meets the end of the log
        self._reader.join(10)
        os.close(self._master)
        self._stderr.close()


# "SPEECH OUTPUT: 'Next push button.'{'established': False}": the text, without the voice.
_SPEECH = re.compile(r"SPEECH OUTPUT: '(.*)'(?: voice=\w+)?\s*\{.*\}\s*$")
