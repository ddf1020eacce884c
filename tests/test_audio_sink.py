"""The real player on a real (null) PulseAudio sink, in a child process: the sound server is
per process in QtMultimedia, and this one's has none. Skipped without `pulseaudio`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.null_sink import SINK, null_sink

ROOT = Path(__file__).resolve().parent.parent


def test_pcm_reaches_the_sound_server_at_once_and_pause_and_stop_hold(tmp_path: Path) -> None:
    with null_sink() as env:
        if env is None:
            pytest.skip("no pulseaudio here (scripts/system-deps.sh test installs it)")
        child = subprocess.run(
            [sys.executable, "-m", "tests.helpers.sink_play", str(tmp_path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert child.returncode == 0, child.stderr
    report = json.loads(child.stdout.splitlines()[-1])
    assert report["output"] == SINK
    assert report["first_frame_ms"] < 1000  # QMediaPlayer took about 2 s here
    # A write already on its way may still land (12 ms seen on a loaded machine): less than
    # a syllable, then nothing more while paused.
    assert report["paused_moved_ms"] <= 50
    assert report["ended"] and report["positions_rise"]
    assert report["last_position"] == 1500
    assert report["device_open_after_end"]  # kept for the next sentence
    assert report["after_stop"] == {"positions": 0, "frames_out": 0}
    # It plays without the media back-end plugin (ui/read_aloud/sound_only.py).
    assert report["libraries"] == []
