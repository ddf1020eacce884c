"""The system's sound outputs, as Qt lists them, behind a small interface tests can fake.

QMediaDevices loads QtMultimedia, so it is created on the first look (after the first
screen is up), not at start-up; the list then follows outputs plugged in or out.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance

from kiosk.audio import AudioOutput


class AudioDevices(Protocol):
    """What the player and the health page need to know about sound outputs."""

    changed: SignalInstance  # an output was added or removed, or the default changed

    def outputs(self) -> list[AudioOutput]:
        """The outputs now (the first call loads QtMultimedia: GUI thread, after start-up)."""

    def last_seen(self) -> list[AudioOutput] | None:
        """The outputs at the last look, None if nobody has looked yet (never loads Qt)."""

    def device(self, output_id: str) -> Any:
        """The QAudioDevice with that id, or None if it is gone (or this is a fake)."""


class QtAudioDevices(QObject):
    """QMediaDevices, created on first use; `changed` follows audioOutputsChanged."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._media_devices: Any = None
        self._seen: list[AudioOutput] | None = None

    def outputs(self) -> list[AudioOutput]:
        self._seen = [
            AudioOutput(_id(device), device.description(), device.isDefault())
            for device in self._qt_outputs()
        ]
        return list(self._seen)

    def last_seen(self) -> list[AudioOutput] | None:
        return None if self._seen is None else list(self._seen)

    def device(self, output_id: str) -> Any:
        for device in self._qt_outputs():
            if _id(device) == output_id:
                return device
        return None

    def _qt_outputs(self) -> list[Any]:
        if self._media_devices is None:
            # Imported here: QtMultimedia costs start-up time the first screen does not need.
            from ui.read_aloud.sound_only import media_devices

            self._media_devices = media_devices(self)
            self._media_devices.audioOutputsChanged.connect(self._on_changed)
        return list(self._media_devices.audioOutputs())

    def _on_changed(self) -> None:
        self.outputs()  # keeps last_seen() current for the health page
        self.changed.emit()


def _id(device: Any) -> str:
    return bytes(device.id().data()).decode(errors="replace")
