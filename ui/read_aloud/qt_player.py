"""The kiosk's audio player (ui.read_aloud.player.AudioPlayer): QtMultimedia, loaded late."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, QUrl, Signal

from ui.read_aloud.player import clamp_volume

logger = logging.getLogger(__name__)


class QtAudioPlayer(QObject):
    """QMediaPlayer + QAudioOutput, created on first use (or by `warm_up()`).

    QMediaPlayer reports its position only about every 90 ms, too coarse for a word
    highlight at 3 words a second, so between reports the position is carried forward by the
    wall clock (never beyond the next report's reach, never backwards).
    """

    position_changed = Signal(int)  # milliseconds into the current file
    finished = Signal()
    failed = Signal(str)

    TICK_MS = 30
    MAX_EXTRAPOLATION_MS = 150

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player: Any = None
        self._output: Any = None
        self._end_of_media: Any = None
        self._volume_scale: Any = None
        self._volume = 1.0
        self._source = QUrl()
        self._active = False
        self._paused = False
        self._reported = 0
        self._emitted = 0
        self._since_report = QElapsedTimer()
        self._tick = QTimer(self)
        self._tick.setInterval(self.TICK_MS)
        self._tick.timeout.connect(self._advance_by_clock)

    def warm_up(self) -> None:
        """Load QtMultimedia and its FFmpeg back-end now (about 60-90 ms on the GUI thread),
        so the first tap on Read aloud does not pay for it. Call it once the home screen shows."""
        self._ensure_player()

    def play(self, path: Path) -> None:
        player = self._ensure_player()
        self._active = True
        self._paused = False
        self._reported = self._emitted = 0
        self._source = QUrl.fromLocalFile(str(path))
        player.setSource(self._source)
        player.play()
        self._since_report.restart()
        self._tick.start()

    def pause(self) -> None:
        if self._active and not self._paused:
            self._paused = True
            self._tick.stop()
            self._player.pause()

    def resume(self) -> None:
        if self._active and self._paused:
            self._paused = False
            self._since_report.restart()
            self._player.play()
            self._tick.start()

    def stop(self) -> None:
        self._active = False
        self._paused = False
        self._tick.stop()
        self._reported = self._emitted = 0
        if self._player is not None:
            self._player.stop()
            # Let go of the file so it can be deleted.
            self._player.setSource(QUrl())

    def set_volume(self, volume: float) -> None:
        self._volume = clamp_volume(volume)
        if self._output is not None:
            self._output.setVolume(self._linear(self._volume))

    def position(self) -> int:
        return self._emitted

    def _ensure_player(self) -> Any:
        if self._player is None:
            # Imported here, not at the top: QtMultimedia and FFmpeg cost start-up time.
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QtAudio

            self._volume_scale = QtAudio
            self._output = QAudioOutput(self)
            self._output.setVolume(self._linear(self._volume))
            self._player = QMediaPlayer(self)
            self._player.setAudioOutput(self._output)
            self._end_of_media = QMediaPlayer.MediaStatus.EndOfMedia
            self._player.positionChanged.connect(self._on_position)
            self._player.mediaStatusChanged.connect(self._on_status)
            self._player.errorOccurred.connect(self._on_error)
        return self._player

    def _linear(self, volume: float) -> float:
        # A slider's half-way should sound half as loud: Qt's advice is to treat the user's
        # value as logarithmic (QtAudio::convertVolume documentation).
        scale = self._volume_scale.VolumeScale
        return float(
            self._volume_scale.convertVolume(
                volume, scale.LogarithmicVolumeScale, scale.LinearVolumeScale
            )
        )

    def _playing_this(self) -> bool:
        return self._active and self._player is not None and self._player.source() == self._source

    def _on_position(self, position: int) -> None:
        if not self._playing_this() or self._paused:
            return
        self._reported = position
        self._since_report.restart()
        self._emit_position(position)

    def _advance_by_clock(self) -> None:
        if not self._playing_this() or self._paused:
            return
        carried = min(self._since_report.elapsed(), self.MAX_EXTRAPOLATION_MS)
        self._emit_position(self._reported + carried)

    def _emit_position(self, position: int) -> None:
        if position > self._emitted:
            self._emitted = position
            self.position_changed.emit(position)

    def _on_status(self, status: Any) -> None:
        if status == self._end_of_media and self._playing_this():
            self._active = False
            self._tick.stop()
            self.finished.emit()

    def _on_error(self, _error: Any, message: str) -> None:
        if not self._playing_this():
            return
        self._active = False
        self._tick.stop()
        logger.warning("audio playback failed: %s", message)
        self.failed.emit(message or "audio playback failed")
