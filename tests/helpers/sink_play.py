"""Run by tests/test_audio_sink.py in a child process whose PulseAudio is a null sink: play
real PCM through QtAudioPlayer and print what happened as JSON."""

from __future__ import annotations

import json
import sys
import time
import wave
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from ui.read_aloud.qt_player import QtAudioPlayer

_HEAVY = ("libffmpegmediaplugin", "libavcodec", "libQt6Quick", "libQt6Qml")


def wait(done: Callable[[], bool], timeout_ms: int) -> bool:
    """Run the event loop until `done()` or the timeout (a real loop: the sink needs one)."""
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(2)
    poll.timeout.connect(lambda: done() and loop.quit())
    poll.start()
    QTimer.singleShot(timeout_ms, loop.quit)
    if not done():
        loop.exec()
    return done()


def main(folder: Path) -> None:
    app = QCoreApplication([])
    path = folder / "tone.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(22050)
        out.writeframes(b"\x00\x10" * (22050 * 3 // 2))  # 1.5 s
    player = QtAudioPlayer()
    player.warm_up()
    positions: list[int] = []
    finished: list[float] = []
    player.position_changed.connect(positions.append)
    player.finished.connect(lambda: finished.append(time.perf_counter()))
    report: dict[str, object] = {"output": player.output.id if player.output else None}

    started = time.perf_counter()
    player.play(path)
    wait(lambda: player.frames_out_ms() > 0, 2000)
    report["first_frame_ms"] = (time.perf_counter() - started) * 1000
    wait(lambda: player.position() >= 300, 5000)
    player.pause()
    held = player.frames_out_ms()
    wait(lambda: False, 300)
    report["paused_moved_ms"] = player.frames_out_ms() - held
    player.resume()
    report["ended"] = wait(lambda: bool(finished), 10_000)
    report["positions_rise"] = positions == sorted(positions)
    report["last_position"] = positions[-1] if positions else 0
    report["device_open_after_end"] = player._sink_open

    player.play(path)  # the next sentence, on the device left open
    wait(lambda: player.position() >= 100, 5000)
    count = len(positions)
    player.stop()
    wait(lambda: False, 300)
    report["after_stop"] = {
        "positions": len(positions) - count,
        "frames_out": player.frames_out_ms(),
    }
    # Sound only: the media back-end plugin (FFmpeg, Qt Quick, QML) was never loaded.
    with open("/proc/self/maps") as maps:
        report["libraries"] = sorted({name for line in maps for name in _HEAVY if name in line})
    print(json.dumps(report), flush=True)
    app.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
