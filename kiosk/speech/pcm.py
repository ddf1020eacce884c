"""A sentence's WAV file as raw PCM in memory, for a player that feeds the sound device itself.

Only what espeak-ng writes has to work (16-bit mono), but any 8-, 16- or 32-bit integer PCM
WAV is read; anything else raises PcmError rather than playing noise.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

SAMPLE_WIDTHS = (1, 2, 4)  # bytes per sample that a sound device takes as integers


class PcmError(ValueError):
    """The file is not integer PCM audio that can be played."""


@dataclass(frozen=True, slots=True)
class Pcm:
    frames: bytes
    sample_rate: int  # frames per second
    channels: int
    sample_width: int  # bytes per sample

    @property
    def frame_bytes(self) -> int:
        return self.channels * self.sample_width

    @property
    def duration_ms(self) -> int:
        return self.ms_at(len(self.frames))

    def ms_at(self, byte_offset: int) -> int:
        """Milliseconds of audio in the first `byte_offset` bytes."""
        return byte_offset // self.frame_bytes * 1000 // self.sample_rate

    def offset_at(self, ms: int) -> int:
        """The byte offset of the frame `ms` milliseconds in (whole frames, within the audio)."""
        frame = max(0, ms) * self.sample_rate // 1000
        return min(len(self.frames), frame * self.frame_bytes)


def read_wav(path: Path) -> Pcm:
    try:
        with wave.open(str(path), "rb") as wav:
            pcm = Pcm(
                wav.readframes(wav.getnframes()),
                wav.getframerate(),
                wav.getnchannels(),
                wav.getsampwidth(),
            )
    except (wave.Error, EOFError) as error:
        raise PcmError(f"{path.name} is not a PCM WAV file ({error})") from error
    if pcm.sample_width not in SAMPLE_WIDTHS or pcm.sample_rate <= 0 or pcm.channels <= 0:
        raise PcmError(
            f"{path.name}: {pcm.sample_width * 8}-bit, {pcm.channels} channels at "
            f"{pcm.sample_rate} Hz cannot be played"
        )
    # A file cut short mid-frame (a worker killed while writing): drop the partial frame.
    usable = len(pcm.frames) - len(pcm.frames) % pcm.frame_bytes
    if usable != len(pcm.frames):
        pcm = Pcm(pcm.frames[:usable], pcm.sample_rate, pcm.channels, pcm.sample_width)
    return pcm
