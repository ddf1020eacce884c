"""Drive a real kiosk process (tests/faults/visitor.py) and an X server for the fault tests."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VISITOR = Path(__file__).with_name("visitor.py")


class KioskProcess:
    """One kiosk process with a scripted visitor; its report lines are collected as they come."""

    def __init__(
        self,
        data_dir: Path,
        *args: str,
        env: dict[str, str] | None = None,
        taps: int = 0,
        interval_ms: int = 30,
        read: bool = False,
        prefix: tuple[str, ...] = (),
    ) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        environment = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "VISITOR_TAPS": str(taps),
            "VISITOR_INTERVAL_MS": str(interval_ms),
            "VISITOR_READ": "1" if read else "0",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.stderr_path = data_dir.parent / f"{data_dir.name}-stderr.txt"
        self._stderr = self.stderr_path.open("wb")
        self.process = subprocess.Popen(
            [*prefix, sys.executable, str(VISITOR), "--data-dir", str(data_dir), *args],
            cwd=ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self.started = time.monotonic()
        self.lines: list[str] = []
        self.times: list[float] = []  # when each line arrived, seconds after the start
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            with self._changed:
                self.lines.append(raw.decode(errors="replace").strip())
                self.times.append(time.monotonic() - self.started)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, test: Callable[[KioskProcess], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not test(self):
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(
                        f"kiosk never reported {what} within {timeout} s "
                        f"(exit code {self.process.poll()}); reports "
                        f"{[line for line in self.lines if not line.startswith('STALL')][-8:]}; "
                        f"stderr: {self.stderr()[-2000:]}"
                    )
                self._changed.wait(min(left, 0.5))

    def wait_up(self, timeout: float = 30) -> None:
        self.wait_for(lambda p: "UP" in p.lines, timeout, "its first frame")

    def first_time(self, word: str) -> float | None:
        """Seconds from the start to the first report starting with `word`."""
        with self._changed:
            for line, moment in zip(self.lines, self.times, strict=True):
                if line.split()[:1] == [word]:
                    return moment
        return None

    def numbers(self, word: str) -> list[int]:
        with self._changed:
            return [int(line.split()[1]) for line in self.lines if line.startswith(word + " ")]

    def last(self, word: str) -> int:
        return max(self.numbers(word), default=0)

    @property
    def views(self) -> int:
        return self.last("VIEW")

    @property
    def acked(self) -> int:
        return self.last("ACK")

    def stalls_from_now(self) -> int:
        """Where the stalls of what follows begin in numbers("STALL"): after the next STALL
        report, since a report covers the second before it (which may hold start-up, the
        first screens being built as the first taps come: not what a fault test measures)."""
        seen = len(self.numbers("STALL"))
        self.wait_for(lambda p: len(p.numbers("STALL")) > seen, 10, "a stall report")
        return len(self.numbers("STALL"))

    @property
    def worst_stall_ms(self) -> int:
        return self.last("STALL")

    def send(self, number: signal.Signals) -> None:
        self.process.send_signal(number)

    def wait(self, timeout: float) -> int:
        try:
            code = self.process.wait(timeout)
        finally:
            if self.process.poll() is not None:
                self._reader.join(5)
                if self.process.stdout is not None:
                    self.process.stdout.close()
                self._stderr.close()
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.wait(10)

    def stderr(self) -> str:
        if not self._stderr.closed:
            self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")


def logged_views(database: Path) -> int:
    """Topic views committed to a kiosk database (read as a separate process would)."""
    if not database.exists():
        return 0
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
        if "topic_view_counts" not in tables:  # killed before its first migration
            return 0
        row = connection.execute("SELECT COALESCE(SUM(views), 0) FROM topic_view_counts").fetchone()
    return int(row[0])


def integrity(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


@contextmanager
def x_server(width: int = 1280, height: int = 800) -> Iterator[str]:
    """A private Xvfb display; its name, e.g. ":99". Fails with the reason if there is none."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise AssertionError("Xvfb is not installed: `make test` installs it (package xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(
        [
            xvfb,
            "-displayfd",
            str(write),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise AssertionError(f"Xvfb did not start (exit code {server.poll()})")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


@contextmanager
def small_disk(folder: Path, size_kib: int = 512) -> Iterator[Path]:
    """A tmpfs of `size_kib` mounted on `folder`: a disk that really fills up, or goes read-only.

    Mounting needs root (CI runs as root); elsewhere the test is skipped with the reason.
    """
    import pytest

    if os.geteuid() != 0 and not os.environ.get("CI"):
        pytest.skip("mounting a small tmpfs needs root (CI runs these as root)")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0755", "tmpfs", str(folder)],
        check=True,
    )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Fill the file system under `folder` to the last byte; the filler file, to remove later."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as handle:
        for size in (1 << 16, 4096, 1):  # big blocks, then the last few bytes
            try:
                while handle.write(b"\0" * size):
                    pass
            except OSError:
                continue
    return filler


def set_read_only(folder: Path, read_only: bool) -> None:
    """Remount a small disk read-only or back (only while no file on it is open to write)."""
    mode = "ro" if read_only else "rw"
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)


class Ext4Disk:
    """An ext4 file system on a loop device, which can fail as a real disk does.

    Linux will not remount a file system read-only while a file on it is open for writing
    (the kiosk's database always is); what does turn a data folder read-only under a running
    program is the file system meeting an error. `fail()` does that (ext4's `abort`: the
    journal stops and the mount becomes emergency read-only); `repair()` is what a technician
    does next: unmount, fsck, mount again.
    """

    def __init__(self, folder: Path, image: Path, size_mib: int = 32) -> None:
        self.folder = folder
        self.image = image
        with image.open("wb") as handle:
            handle.truncate(size_mib * 1024 * 1024)
        subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], check=True)
        self.device = subprocess.run(
            ["losetup", "-f", "--show", str(image)], check=True, capture_output=True, text=True
        ).stdout.strip()
        # A loop device keeps a read-only flag from its last user.
        subprocess.run(["blockdev", "--setrw", self.device], check=True)
        folder.mkdir(parents=True, exist_ok=True)
        self._mount()

    def _mount(self) -> None:
        subprocess.run(["mount", self.device, str(self.folder)], check=True)
        self.folder.chmod(0o755)

    def fail(self) -> None:
        subprocess.run(["mount", "-o", "remount,abort", str(self.folder)], check=True)

    def repair(self) -> None:
        subprocess.run(["umount", str(self.folder)], check=True)
        subprocess.run(["e2fsck", "-fy", self.device], check=False, capture_output=True)
        self._mount()

    def close(self) -> None:
        subprocess.run(["umount", "-l", str(self.folder)], check=False)
        subprocess.run(["losetup", "-d", self.device], check=False)


@contextmanager
def ext4_disk(folder: Path, image: Path) -> Iterator[Ext4Disk]:
    import pytest

    if os.geteuid() != 0 and not os.environ.get("CI"):
        pytest.skip("a loop-mounted ext4 needs root (CI runs these as root)")
    disk = Ext4Disk(folder, image)
    try:
        yield disk
    finally:
        disk.close()
