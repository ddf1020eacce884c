"""A stand-in audio player whose clock moves only when a test says so, and sound outputs."""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.audio import AudioOutput
from ui.read_aloud.audio_devices import AudioDevices
from ui.read_aloud.player import AudioPlayer, clamp_volume


class FakeAudioPlayer(QObject):
    """A player whose clock moves only when a test calls `advance(ms)`; it reads WAV lengths."""

    position_changed = Signal(int)
    finished = Signal()
    failed = Signal(str)

    def __init__(self, tick_ms: int = 50, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tick_ms = tick_ms
        self.played: list[Path] = []
        self.volume = 1.0
        self.state = "stopped"  # stopped, playing, paused
        self.failures: list[str] = []  # reasons: each play() takes one and fails with it
        self.duration_ms = 0
        self._position = 0

    def warm_up(self) -> None:
        pass

    def play(self, path: Path) -> None:
        self.played.append(Path(path))
        self._position = 0
        if self.failures:
            reason = self.failures.pop(0)
            self.state = "stopped"
            self.failed.emit(reason)
            return
        with wave.open(str(path), "rb") as wav:
            self.duration_ms = round(wav.getnframes() * 1000 / wav.getframerate())
        self.state = "playing"

    def pause(self) -> None:
        if self.state == "playing":
            self.state = "paused"

    def resume(self) -> None:
        if self.state == "paused":
            self.state = "playing"

    def stop(self) -> None:
        self.state = "stopped"
        self._position = 0

    def set_volume(self, volume: float) -> None:
        self.volume = clamp_volume(volume)

    def position(self) -> int:
        return self._position

    def advance(self, ms: int) -> None:
        """Let `ms` of playing time pass, in ticks; a file that ends hands the rest to the next."""
        remaining = ms
        while remaining > 0 and self.state == "playing":
            step = min(self.tick_ms, remaining, self.duration_ms - self._position)
            remaining -= step
            self._position += step
            self.position_changed.emit(self._position)
            if self.state == "playing" and self._position >= self.duration_ms:
                self.state = "stopped"
                self.finished.emit()


def _is_an_audio_player(fake: FakeAudioPlayer) -> AudioPlayer:
    return fake  # mypy checks here that the fake keeps up with the interface


class FakeAudioDevices(QObject):
    """A sound-output list a test sets (ui.read_aloud.audio_devices.AudioDevices); it has
    no Qt devices, so a real player given it keeps time silently."""

    changed = Signal()

    def __init__(self, outputs: list[AudioOutput] | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._outputs = list(outputs or [])
        self._seen: list[AudioOutput] | None = None

    def outputs(self) -> list[AudioOutput]:
        self._seen = list(self._outputs)
        return list(self._outputs)

    def last_seen(self) -> list[AudioOutput] | None:
        return self._seen

    def device(self, output_id: str) -> Any:
        return None

    def plug(self, outputs: list[AudioOutput]) -> None:
        """The outputs change, as when headphones are plugged in or out."""
        self._outputs = list(outputs)
        self.changed.emit()


SPEAKERS = AudioOutput("alsa_output.pci-0000_00_1f.3.analog-stereo", "Built-in Audio", True)
HEADPHONES = AudioOutput("alsa_output.usb-Jabra_Headset-00.analog-stereo", "Jabra USB Headset")


def _are_audio_devices(fake: FakeAudioDevices) -> AudioDevices:
    return fake
