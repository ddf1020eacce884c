"""A private PulseAudio daemon with one null sink, for measuring audio without a sound card.

`pulseaudio -n` loads no configuration (so no card is probed) and only the modules named
here; its socket lives in a fresh runtime folder, so it touches no other sound server. As
root PulseAudio warns that it is not meant to run so but works with `--system=false`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

SINK = "kiosk_bench_null"


@contextlib.contextmanager
def null_sink() -> Iterator[dict[str, str] | None]:
    """The environment that points PulseAudio clients at the null sink; None if there is
    no `pulseaudio` (scripts/system-deps.sh test installs it)."""
    if shutil.which("pulseaudio") is None:
        yield None
        return
    runtime = Path(tempfile.mkdtemp(prefix="kiosk-pulse-"))
    runtime.chmod(0o700)
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), HOME=str(runtime))
    env.pop("PULSE_SERVER", None)
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "-n",
            "--daemonize=no",
            "--system=false",
            "--exit-idle-time=-1",
            "--log-target=stderr",
            "--load=module-native-protocol-unix",
            f"--load=module-null-sink sink_name={SINK}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = dict(env, PULSE_SERVER=f"unix:{runtime / 'pulse' / 'native'}")
    try:
        deadline = time.monotonic() + 10
        while not _answers(client):
            if daemon.poll() is not None or time.monotonic() > deadline:
                yield None
                return
            time.sleep(0.05)
        yield client
    finally:
        daemon.terminate()
        daemon.wait(5)
        shutil.rmtree(runtime, ignore_errors=True)


def _answers(env: dict[str, str]) -> bool:
    probe = subprocess.run(["pactl", "info"], env=env, capture_output=True, check=False)
    return probe.returncode == 0


def stream_latency_ms(env: dict[str, str]) -> tuple[float, float] | None:
    """(buffer, sink) latency of the first playing stream, as `pactl list sink-inputs` says."""
    listing = subprocess.run(
        ["pactl", "list", "sink-inputs"], env=env, capture_output=True, text=True, check=False
    ).stdout
    buffer = re.search(r"Buffer Latency: (\d+) usec", listing)
    sink = re.search(r"Sink Latency: (\d+) usec", listing)
    if buffer is None or sink is None:
        return None
    return int(buffer.group(1)) / 1000, int(sink.group(1)) / 1000
