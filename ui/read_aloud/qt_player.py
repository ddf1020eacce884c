"""The kiosk's audio player (ui.read_aloud.player.AudioPlayer): raw PCM through a QAudioSink.

QMediaPlayer with the FFmpeg back-end took over a second from play() to the first frame
(it opens, probes and decodes the file, then fills a large device buffer). Here a sentence's
WAV is read into memory (a few hundred KB, well under a millisecond from the page cache),
its PCM handed to one QAudioSink that stays open from sentence to sentence, and the sink
pulls the first frames at once. The position comes from the frames the sink has handed to
the sound server (QAudioSink.processedUSecs), so the word highlight follows the sound.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from kiosk.audio import AudioOutput, choose_output
from kiosk.speech.pcm import Pcm, PcmError, read_wav
from ui.read_aloud.audio_devices import AudioDevices, QtAudioDevices
from ui.read_aloud.pcm_source import PcmSource
from ui.read_aloud.player import clamp_volume

logger = logging.getLogger(__name__)

_SLACK_US = 1000  # processedUSecs is rounded down per write: within a millisecond is the end


class QtAudioPlayer(QObject):
    """Plays one sentence at a time on the preferred output (headphones when there are some).

    With no output at all it keeps time on a clock instead, silently, so the highlight still
    moves; the health page tells staff that patients hear nothing.
    """

    position_changed = Signal(int)  # milliseconds into the current file
    finished = Signal()
    failed = Signal(str)

    TICK_MS = 20
    # Qt's ring buffer between this process and the sound server. It does not delay the
    # first frame (the sink pulls as soon as a sentence is loaded); it is what a stall of the
    # GUI thread can use up before the sound breaks, and what a pause or stop cuts off.
    BUFFER_MS = 200
    # A sink that has played nothing for this long lets go of the sound device.
    IDLE_CLOSE_MS = 30_000

    def __init__(self, devices: AudioDevices | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._devices: AudioDevices = devices if devices is not None else QtAudioDevices(self)
        self._devices.changed.connect(self._on_outputs_changed)
        self._qt: Any = None  # PySide6.QtMultimedia, once loaded
        self._output: AudioOutput | None = None
        self._looked = False
        self._source = PcmSource(self)
        self._sink: Any = None
        self._sink_key: tuple[str, int, int, int] | None = None  # output id and PCM format
        self._sink_open = False
        self._volume = 1.0
        self._pcm: Pcm | None = None
        self._active = False
        self._paused = False
        self._silent = False  # keeping time on the clock: there is no output to play on
        self._warned_silent = False
        self._run_start_ms = 0  # where in the file the current run began
        self._run_base_us = 0  # the sink's processedUSecs when it did
        self._clock = QElapsedTimer()
        self._emitted = 0
        self._tick = QTimer(self)
        self._tick.setInterval(self.TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        self._idle_close = QTimer(self)
        self._idle_close.setSingleShot(True)
        self._idle_close.setInterval(self.IDLE_CLOSE_MS)
        self._idle_close.timeout.connect(self._close_sink)

    # AudioPlayer.

    def warm_up(self) -> None:
        """Load QtMultimedia and choose the output now (tens of ms on the GUI thread), so the
        first tap on Read aloud does not pay for it. Call it once the home screen shows."""
        self._ensure_output()

    def play(self, path: Path) -> None:
        # A sentence that ended has left nothing behind: the device stays open for this one.
        self._end_run(discard=self._active)
        self._active, self._paused, self._emitted = True, False, 0
        try:
            self._pcm = read_wav(Path(path))
        except (OSError, PcmError) as error:
            self._active = False
            logger.warning("audio playback failed: %s", error)
            self.failed.emit(str(error))
            return
        self._start_run(0)
        if self._active:
            self._tick.start()

    def pause(self) -> None:
        if not self._active or self._paused:
            return
        self._paused = True
        self._tick.stop()
        if self._silent:
            self._run_start_ms = self._position_now()
            self._clock.invalidate()
        elif self._sink_open:
            self._sink.suspend()

    def resume(self) -> None:
        if not self._active or not self._paused:
            return
        self._paused = False
        if self._silent:
            self._clock.restart()
        elif self._sink_open:
            self._sink.resume()
        else:  # the output changed while paused: go on from here on the new one
            self._start_run(self._run_start_ms)
        if self._active:
            self._tick.start()

    def stop(self) -> None:
        self._active = self._paused = False
        self._tick.stop()
        self._emitted = 0
        self._end_run(discard=True)
        self._pcm = None

    def set_volume(self, volume: float) -> None:
        self._volume = clamp_volume(volume)
        if self._sink is not None:
            self._sink.setVolume(self._linear(self._volume))

    def position(self) -> int:
        return self._emitted

    # For the benchmark and the health page.

    @property
    def output(self) -> AudioOutput | None:
        """The output sentences play on (None: none found, or not looked at yet)."""
        return self._output

    def frames_out_ms(self) -> int:
        """Milliseconds of the current sentence handed to the sound server so far."""
        if not self._active or self._silent or not self._sink_open:
            return 0
        return max(0, int(self._sink.processedUSecs() - self._run_base_us) // 1000)

    def sink_buffer_ms(self) -> int:
        """The size of Qt's buffer in front of the sound server, in milliseconds."""
        if self._sink is None or self._pcm is None:
            return 0
        return self._pcm.ms_at(max(0, self._sink.bufferSize()))

    # The sound device.

    def _ensure_output(self) -> AudioOutput | None:
        if not self._looked:
            self._looked = True
            self._load_qt()
            self._output = choose_output(self._devices.outputs())
            logger.info("read-aloud plays on %s", self._output or "no output (silently)")
        return self._output

    def _load_qt(self) -> Any:
        if self._qt is None:
            # Imported here, not at the top: QtMultimedia costs start-up time.
            from PySide6 import QtMultimedia

            self._qt = QtMultimedia
        return self._qt

    def _start_run(self, from_ms: int) -> None:
        """Play the current file from `from_ms` on the chosen output (or on the clock)."""
        pcm = self._pcm
        assert pcm is not None
        self._idle_close.stop()
        self._run_start_ms = from_ms
        output = self._ensure_output()
        device = self._devices.device(output.id) if output is not None else None
        if device is None:
            self._silent = True
            if not self._warned_silent:
                self._warned_silent = True
                logger.warning("no audio output: read-aloud keeps time silently")
            self._clock.restart()
            return
        self._silent = False
        sink = self._sink_for(device, output, pcm)
        self._run_base_us = sink.processedUSecs() if self._sink_open else 0
        # Loaded before the sink starts, so its very first pull finds audio, not silence.
        self._source.load(pcm.frames[pcm.offset_at(from_ms) :])
        if not self._sink_open:
            sink.start(self._source)
            self._sink_open = sink.error() == self._qt.QtAudio.Error.NoError
            if not self._sink_open:
                self._fail(f"the audio output could not be opened ({sink.error().name})")

    def _sink_for(self, device: Any, output: AudioOutput | None, pcm: Pcm) -> Any:
        assert output is not None
        key = (output.id, pcm.sample_rate, pcm.channels, pcm.sample_width)
        if self._sink is not None and key == self._sink_key:
            return self._sink
        self._close_sink()
        qt = self._load_qt()
        audio_format = qt.QAudioFormat()
        audio_format.setSampleRate(pcm.sample_rate)
        audio_format.setChannelCount(pcm.channels)
        samples = qt.QAudioFormat.SampleFormat
        widths = {1: samples.UInt8, 2: samples.Int16, 4: samples.Int32}
        audio_format.setSampleFormat(widths[pcm.sample_width])
        sink = qt.QAudioSink(device, audio_format, self)
        sink.setBufferSize(pcm.offset_at(self.BUFFER_MS))
        sink.setVolume(self._linear(self._volume))
        # Not stateChanged: PySide6 6.11 cannot convert its QAudio::State argument and
        # raises a TypeError on every emission, so the tick reads sink.error() instead.
        self._sink, self._sink_key = sink, key
        return sink

    def _end_run(self, *, discard: bool) -> None:
        """Silence now: what Qt and the sound server still hold is dropped, not played."""
        self._source.clear()
        self._clock.invalidate()
        if self._sink_open and discard:
            self._reset_sink()

    def _reset_sink(self) -> None:
        self._sink.reset()
        self._sink_open = False
        # A new source for the next run: Qt 6.11 leaves the old stream's readyRead
        # connection on the source after reset(), and the next readyRead would call into
        # the deleted stream (abort: "pure virtual method called"). Deleting the source
        # takes that connection with it.
        self._source.deleteLater()
        self._source = PcmSource(self)

    def _close_sink(self) -> None:
        self._idle_close.stop()
        sink, self._sink, self._sink_key = self._sink, None, None
        if sink is not None:
            if self._sink_open:
                self._sink = sink
                self._reset_sink()
                self._sink = None
            sink.deleteLater()
        self._sink_open = False

    def _linear(self, volume: float) -> float:
        # A slider's half-way should sound half as loud: Qt's advice is to treat the user's
        # value as logarithmic (QtAudio::convertVolume documentation).
        scale = self._load_qt().QtAudio.VolumeScale
        return float(
            self._qt.QtAudio.convertVolume(
                volume, scale.LogarithmicVolumeScale, scale.LinearVolumeScale
            )
        )

    # Time passing.

    def _position_now(self) -> int:
        if self._silent:
            elapsed = self._clock.elapsed() if self._clock.isValid() else 0
            return self._run_start_ms + elapsed
        if not self._sink_open:
            return self._run_start_ms
        played_us = int(self._sink.processedUSecs()) - self._run_base_us
        return self._run_start_ms + played_us // 1000

    def _on_tick(self) -> None:
        if not self._active or self._paused or self._pcm is None:
            return
        if not self._silent and self._sink_failed():
            return
        duration = self._pcm.duration_ms
        position = min(self._position_now(), duration)
        if position > self._emitted:
            self._emitted = position
            self.position_changed.emit(position)
        if self._silent:
            done = position >= duration
        else:
            played_us = self._sink.processedUSecs() - self._run_base_us
            left_us = (duration - self._run_start_ms) * 1000
            done = self._source.remaining() == 0 and played_us >= left_us - _SLACK_US
        if done and self._active:
            if self._emitted < duration:
                # Played to its end: processedUSecs, rounded down per write, can stop a
                # millisecond short of it, and the last word must still be reached.
                self._emitted = duration
                self.position_changed.emit(duration)
            self._active = False
            self._tick.stop()
            self._idle_close.start()  # the device stays open for the next sentence
            self.finished.emit()

    def _sink_failed(self) -> bool:
        error = self._sink.error() if self._sink_open else None
        errors = self._qt.QtAudio.Error
        if error in (errors.OpenError, errors.IOError, errors.FatalError):
            self._fail(f"audio output error ({error.name})")
            return True
        return False

    # Signals from Qt.

    def _fail(self, reason: str) -> None:
        self._active = False
        self._tick.stop()
        self._close_sink()
        logger.warning("audio playback failed: %s", reason)
        self.failed.emit(reason)

    def _on_outputs_changed(self) -> None:
        """Headphones plugged in (or the output in use gone): move to the preferred one."""
        if not self._looked:
            return  # chosen on first use, from the list as it is then
        chosen = choose_output(self._devices.outputs())
        if chosen == self._output:
            return
        logger.info("audio outputs changed; read-aloud now plays on %s", chosen or "nothing")
        position = self._position_now() if self._active else 0
        self._output = chosen
        self._end_run(discard=True)
        self._close_sink()
        if not self._active:
            return
        self._run_start_ms = position
        self._silent = False
        if not self._paused:
            self._start_run(position)
