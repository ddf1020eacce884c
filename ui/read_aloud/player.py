"""What read-aloud needs from audio output: play one WAV file, with its position as it plays.

The kiosk plays speech itself (not pyttsx3's `aplay`) so that pause, resume, volume and the
position in the audio, which drives the highlight, are under its control. The kiosk's player
is QtAudioPlayer (ui/read_aloud/qt_player.py); tests use tests/fakes/audio.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import SignalInstance


class AudioPlayer(Protocol):
    """Plays one WAV file at a time.

    `finished` is emitted only when a file plays to its end and `failed` only when it cannot
    be played; after `stop()` (or a new `play()`) the previous file emits nothing more.
    """

    position_changed: SignalInstance  # milliseconds into the current file
    finished: SignalInstance
    failed: SignalInstance  # reason

    def warm_up(self) -> None:
        """Load what the first play() would (players with nothing to load do nothing)."""

    def play(self, path: Path) -> None:
        """Play `path` from its start, replacing whatever was playing."""

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def stop(self) -> None: ...

    def set_volume(self, volume: float) -> None:
        """0.0 (silent) to 1.0 (full), as a patient hears it (not linear amplitude)."""

    def position(self) -> int:
        """Milliseconds into the current file (0 when nothing plays)."""


def clamp_volume(volume: float) -> float:
    return min(1.0, max(0.0, float(volume)))
