"""The device a QAudioSink pulls a sentence's PCM from: one long-lived source, refilled.

The sink keeps this source (and the sound device) open from one sentence to the next; a
new sentence is loaded into it and `readyRead` makes the sink pull at once, so the first
frame reaches the sound server without waiting for the sink's next turn.
"""

from __future__ import annotations

from PySide6.QtCore import QIODevice, QObject


class PcmSource(QIODevice):
    """A sequential, read-only device over bytes in memory; empty (not ended) between loads."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__()
        if parent is not None:
            self.setParent(parent)
        self._data = b""
        self._offset = 0
        self.open(QIODevice.OpenModeFlag.ReadOnly | QIODevice.OpenModeFlag.Unbuffered)

    def load(self, pcm: bytes) -> None:
        """Replace what is left with `pcm` and tell the sink there is something to pull."""
        self._data = pcm
        self._offset = 0
        if pcm:
            self.readyRead.emit()

    def clear(self) -> None:
        self._data = b""
        self._offset = 0

    def remaining(self) -> int:
        """Bytes not yet pulled by the sink."""
        return len(self._data) - self._offset

    def isSequential(self) -> bool:
        return True

    def bytesAvailable(self) -> int:
        return self.remaining() + super().bytesAvailable()

    def readData(self, maxlen: int) -> bytes:
        chunk = self._data[self._offset : self._offset + max(0, maxlen)]
        self._offset += len(chunk)
        return chunk

    def writeData(self, data: bytes | bytearray | memoryview, length: int, /) -> int:
        return -1  # read-only
