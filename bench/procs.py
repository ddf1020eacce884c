"""What the start-up and memory benchmarks need from the system: process trees and their
memory, an X server of their own, and a page cache emptied of the files a start reads."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Memory:
    """A process tree's memory in MB: PSS shares each shared page among the processes
    mapping it (so other processes' pages flatter it); USS counts only private pages."""

    pss: float
    uss: float
    processes: int


def tree(pid: int) -> list[int]:
    """`pid` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                # The command name is in parentheses and may hold spaces: split after it.
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def tree_memory(pid: int) -> Memory:
    """Summed PSS and USS (Private_Clean + Private_Dirty) from /proc/PID/smaps_rollup."""
    pss = uss = 0
    counted = 0
    for member in tree(pid):
        try:
            with open(f"/proc/{member}/smaps_rollup") as f:
                lines = f.read().splitlines()
        except OSError:
            continue  # gone meanwhile
        counted += 1
        for line in lines:
            name, _, rest = line.partition(":")
            if name == "Pss":
                pss += int(rest.split()[0])
            elif name in ("Private_Clean", "Private_Dirty"):
                uss += int(rest.split()[0])
    return Memory(pss / 1024, uss / 1024, counted)


def evict(roots: Iterable[Path]) -> int:
    """Drop every file under `roots` from the page cache (POSIX_FADV_DONTNEED); the bytes
    asked. Pages another running process has mapped stay in memory whatever we ask."""
    asked = 0
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    asked += os.fstat(fd).st_size
                except OSError:
                    pass
                finally:
                    os.close(fd)
    return asked


def start_files(root: Path) -> list[Path]:
    """What a kiosk start reads: the project, the venv, and the interpreter's library."""
    library = Path(os.__file__).parent
    return [root / name for name in ("kiosk", "ui", "assets", "content", "main.py")] + [
        Path(sys.prefix),
        library,
    ]


@contextlib.contextmanager
def xvfb(size: str = "1920x1080") -> Iterator[str | None]:
    """A display of our own (no window manager), or None without Xvfb."""
    if shutil.which("Xvfb") is None:
        yield None
        return
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    try:
        yield f":{number}" if number else None
    finally:
        server.terminate()
        server.wait(10)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]
