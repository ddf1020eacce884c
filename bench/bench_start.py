"""Start-up and memory side by side: the kiosk, a bare PySide6 window with one text view
showing the same topic (bench/bare_window.py), and Chromium --kiosk on that topic as HTML
(when /usr/bin/chromium is installed: `make bench-peers`).

Every start is a fresh process, timed from spawning it to its first painted frame. Runs are
interleaved (each round runs every peer once, in a shuffled order) and medians reported, so
a machine shared with other work loads every peer alike. "warm": the files a start reads are
in the page cache (a kiosk restarting); "cold": they were evicted first with
posix_fadvise(POSIX_FADV_DONTNEED) over the project, the venv and the interpreter's library
(pages other running processes have mapped stay cached whatever we ask, so on a busy machine
cold is a lower bound). "Xvfb full screen": a real X server (xcb) at 1920x1080, no window
manager, the window full screen as in a clinic; "offscreen": Qt's offscreen platform, a
1280x800 window.
"""

from __future__ import annotations

import contextlib
import html
import http.server
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.procs import Memory, evict, start_files, tree, tree_memory, xvfb

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5
MEMORY_ROUNDS = 3
REST_SECONDS = 4.0  # after the first frame: the kiosk's services and speech worker are up
CHROMIUM = Path("/usr/bin/chromium")
# As root on a closed network: no sandbox (it refuses to run as root otherwise), no GPU
# (Xvfb has none), and nothing that would reach out to the network or show a first-run page.
CHROMIUM_FLAGS = [
    "--kiosk",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--noerrdialogs",
    "--password-store=basic",
]
START_GOAL = 1.3  # the kiosk's start at most 1.3x the bare window's
MEMORY_GOAL = 0.2  # the kiosk's PSS at most 0.2x Chromium's
MEMORY_FALLBACK_MB = 85.0  # 0.2x the 423 MB Chromium measured in issue 16, without Chromium

Row = tuple[str, float, str, str]


def run() -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-peers-"))
    topic = _topic_html(work)
    beacon = _Beacon()
    chromium = CHROMIUM.exists()
    try:
        with xvfb() as display:
            peers = _peers(work, topic, display, beacon, chromium)
            _start(peers["kiosk offscreen"], cold=False)  # the content cache, once
            starts = _interleaved(peers, ROUNDS)
            memory = _memory(peers, display)
    finally:
        beacon.close()
        shutil.rmtree(work, ignore_errors=True)
    return _rows(starts, memory, display, chromium)


# -- the peers ------------------------------------------------------------------------------


class Peer:
    """One program to start: its command, environment and the files a cold start evicts."""

    def __init__(
        self,
        command: list[str],
        env: dict[str, str],
        files: list[Path],
        painted: Callable[[subprocess.Popen[str], float], float],
        cwd: Path = ROOT,
    ) -> None:
        self.command, self.env, self.files, self.painted = command, env, files, painted
        self.cwd = cwd


def _peers(
    work: Path, topic: Path, display: str | None, beacon: _Beacon, chromium: bool
) -> dict[str, Peer]:
    python = sys.executable
    data = str(work / "kiosk-data")
    offscreen = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    kiosk = [python, "-m", "bench.bench_kiosk", "first-frame", data]
    bare = [python, str(ROOT / "bench" / "bare_window.py"), str(topic)]
    files = start_files(ROOT)
    peers = {
        "kiosk offscreen": Peer([*kiosk, "windowed"], offscreen, files, _printed),
        "bare offscreen": Peer([*bare, "windowed"], offscreen, files, _printed),
    }
    if display is None:
        return peers
    x11 = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=display)
    peers["kiosk Xvfb"] = Peer([*kiosk, "full"], x11, files, _printed)
    peers["bare Xvfb"] = Peer([*bare, "full"], x11, files, _printed)
    if chromium:
        profile = work / "chromium-profile"
        page = work / "chromium-topic.html"
        page.write_text(_with_beacon(topic.read_text(encoding="utf-8"), beacon.port))
        command = [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", page.as_uri()]
        peers["chromium Xvfb"] = Peer(
            command, x11, [Path("/usr/lib/chromium"), CHROMIUM], beacon.painted
        )
    return peers


def _topic_html(work: Path) -> Path:
    """The first topic of the default pack, as one HTML page (what the bare window shows)."""
    import main
    from kiosk import cli
    from kiosk.settings import Settings
    from ui.common.icons import IconSet

    _, options = cli.parse(["--data-dir", str(work / "html-data")], main.COMMANDS)
    assert options is not None
    settings = Settings()
    library = main.load_content(options, settings, IconSet().names())
    topic = library.pack(settings.language).topics[0]
    parts = [f"<h1>{html.escape(topic.title)}</h1>", topic.intro.html]
    for section in topic.sections:
        parts += [f"<h2>{html.escape(section.title)}</h2>", section.html]
    path = work / "topic.html"
    path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<style>body{font-family:sans-serif;font-size:22pt;margin:2em}</style></head>"
        f"<body>{''.join(parts)}</body></html>",
        encoding="utf-8",
    )
    return path


def _with_beacon(page: str, port: int) -> str:
    # Two animation frames after load: the first frame has been produced.
    script = (
        "<script>addEventListener('load',()=>requestAnimationFrame(()=>requestAnimationFrame("
        f"()=>{{new Image().src='http://127.0.0.1:{port}/painted?'+Date.now()}})))</script>"
    )
    return page.replace("</head>", script + "</head>")


class _Beacon:
    """A local HTTP server the Chromium page calls once its first frame is painted."""

    def __init__(self) -> None:
        self.hits: list[float] = []
        self.arrived = threading.Condition()
        beacon = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with beacon.arrived:
                    beacon.hits.append(time.time())
                    beacon.arrived.notify_all()
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def painted(self, process: subprocess.Popen[str], spawned_at: float) -> float:
        with self.arrived:
            if not self.arrived.wait_for(lambda: any(t > spawned_at for t in self.hits), 60):
                raise RuntimeError("Chromium never painted the topic page")
            return min(t for t in self.hits if t > spawned_at)

    def close(self) -> None:
        self.server.shutdown()


def _printed(process: subprocess.Popen[str], spawned_at: float) -> float:
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("{"):
            return float(json.loads(line)["painted_at"])
    raise RuntimeError(f"no first frame from {process.args}: {_stderr(process)}")


def _stderr(process: subprocess.Popen[str]) -> str:
    process.wait(30)
    return process.stderr.read() if process.stderr else ""


# -- start-up ---------------------------------------------------------------------------------


def _start(peer: Peer, cold: bool, rest: bool = False) -> tuple[float, subprocess.Popen[str]]:
    """Milliseconds from spawn to first painted frame; the process, still running if `rest`."""
    if cold:
        evict(peer.files)
    command = (
        [*peer.command, "rest"] if rest and "chromium" not in peer.command[0] else peer.command
    )
    spawned_at = time.time()
    process = subprocess.Popen(
        command,
        cwd=peer.cwd,
        env=peer.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        painted_at = peer.painted(process, spawned_at)
    except BaseException:
        _stop(process)
        raise
    if not rest:
        _stop(process)
    return (painted_at - spawned_at) * 1000, process


def _stop(process: subprocess.Popen[str]) -> None:
    members = tree(process.pid)
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
    for member in members[1:]:  # what it started and left behind (ids we started)
        with contextlib.suppress(OSError):
            os.kill(member, signal.SIGKILL)


def _interleaved(peers: dict[str, Peer], rounds: int) -> dict[tuple[str, bool], list[float]]:
    timings: dict[tuple[str, bool], list[float]] = {}
    order = list(peers)
    for _ in range(rounds):
        for cold in (False, True):
            random.shuffle(order)
            for name in order:
                ms, _ = _start(peers[name], cold)
                timings.setdefault((name, cold), []).append(ms)
    return timings


def _memory(peers: dict[str, Peer], display: str | None) -> dict[str, list[Memory]]:
    """Each peer's process tree at rest, full screen on Xvfb when there is one."""
    where = "Xvfb" if display is not None else "offscreen"
    names = [name for name in peers if name.endswith(where)]
    found: dict[str, list[Memory]] = {}
    for _ in range(MEMORY_ROUNDS):
        random.shuffle(names)
        for name in names:
            _, process = _start(peers[name], cold=False, rest=True)
            try:
                time.sleep(REST_SECONDS)
                found.setdefault(name, []).append(tree_memory(process.pid))
            finally:
                _stop(process)
    return found


# -- the figures ---------------------------------------------------------------------------


def _rows(
    starts: dict[tuple[str, bool], list[float]],
    memory: dict[str, list[Memory]],
    display: str | None,
    chromium: bool,
) -> list[Row]:
    rows: list[Row] = []
    median = {key: statistics.median(values) for key, values in starts.items()}
    places = ["offscreen"] + (["Xvfb"] if display else [])
    for place in places:
        shown = "Xvfb 1920x1080 full screen" if place == "Xvfb" else "offscreen 1280x800"
        for cold in (False, True):
            heat = "cold (page cache evicted)" if cold else "warm"
            kiosk, bare = median[(f"kiosk {place}", cold)], median[(f"bare {place}", cold)]
            what = f"start to first painted frame, {shown}, {heat}, median of {ROUNDS}"
            rows.append((f"{what}: kiosk", kiosk, "ms", "-"))
            rows.append((f"{what}: bare PySide6 window", bare, "ms", "-"))
            rows.append((f"{what}: kiosk / bare", kiosk / bare, "x", f"<= {START_GOAL} x"))
            if place == "Xvfb" and chromium:
                peer = median[("chromium Xvfb", cold)]
                rows.append((f"{what}: Chromium --kiosk", peer, "ms", "-"))
                rows.append((f"{what}: kiosk / Chromium", kiosk / peer, "x", "-"))
    where = places[-1]
    at_rest = f"at rest {REST_SECONDS:.0f} s after the first frame, {where}, median of"
    sums = {name: _median_memory(found) for name, found in memory.items()}
    kiosk_memory = sums[f"kiosk {where}"]
    for name, (pss, uss, count) in sorted(sums.items()):
        label = name.removesuffix(f" {where}")
        goal = "-"
        if label == "kiosk":
            limit = MEMORY_FALLBACK_MB
            if chromium and "chromium Xvfb" in sums:
                limit = MEMORY_GOAL * sums["chromium Xvfb"][0]
            goal = f"<= {limit:.0f} MB"
        rows.append(
            (
                f"memory, {label}, summed PSS of {count} processes {at_rest} {MEMORY_ROUNDS}",
                pss,
                "MB",
                goal,
            )
        )
        rows.append((f"memory, {label}, summed USS {at_rest} {MEMORY_ROUNDS}", uss, "MB", "-"))
    if chromium and "chromium Xvfb" in sums:
        ratio = kiosk_memory[0] / sums["chromium Xvfb"][0]
        rows.append(("memory, kiosk PSS / Chromium PSS", ratio, "x", f"<= {MEMORY_GOAL} x"))
    bare_memory = sums.get(f"bare {where}")
    if bare_memory is not None:
        rows.append(
            ("memory, kiosk PSS / bare window PSS", kiosk_memory[0] / bare_memory[0], "x", "-")
        )
    return rows


def _median_memory(found: list[Memory]) -> tuple[float, float, int]:
    return (
        statistics.median(m.pss for m in found),
        statistics.median(m.uss for m in found),
        max(m.processes for m in found),
    )


if __name__ == "__main__":
    for name, value, unit, goal in run():
        print(f"{name}: {value:.2f} {unit} (goal: {goal})")
