"""pyttsx3 over espeak-ng: one sentence to a WAV file, with when each word starts in it.

Runs only inside the speech worker process (pyttsx3 keeps one engine per process and calls
back on espeak's terms). Work-arounds for pyttsx3 2.99, each for a reason:
- its word events are sent while synthesising, not while playing, and lose espeak's
  `audio_position`; a synth callback installed in front of the driver's keeps it;
- `runAndWait()` may return before the file exists, and now and then writes a WAV with no
  frames: wait for the finished-utterance event, check the file, synthesise again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import wave
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol

from kiosk.speech.protocol import WordTiming

logger = logging.getLogger(__name__)

# Preferred espeak-ng voice per content language, best first. Latin-American Spanish first:
# it is what most Spanish-speaking patients of a US clinic will expect.
VOICES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"en": ("gmw/en-us", "gmw/en"), "es": ("roa/es-419", "roa/es")}
)
ATTEMPTS = 3
# How long to wait for the finished-utterance event if runAndWait() came back without it,
# and for espeak's own thread to go idle before the next sentence (a sentence takes 10-50 ms).
FINISH_GRACE_S = 1.0
IDLE_GRACE_S = 0.5


class EngineUnavailableError(Exception):
    """No engine can run in this process. `reason` is short and human, `detail` is for the log."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason} ({detail})")
        self.reason = reason
        self.detail = detail


class SynthesisError(Exception):
    """This text could not be synthesised; the engine itself may still be fine."""


@dataclass(frozen=True, slots=True)
class Synthesis:
    duration_ms: int
    words: tuple[WordTiming, ...]


class Synthesizer(Protocol):
    """What the worker needs from an engine (a fake can stand in for it)."""

    @property
    def voices(self) -> Mapping[str, str]: ...

    def synthesize(self, text: str, language: str, rate_wpm: int, path: str) -> Synthesis: ...


class EspeakSynthesizer:
    """pyttsx3's espeak driver, writing WAV files and keeping word timings."""

    def __init__(self) -> None:
        try:
            import pyttsx3
        except ImportError as error:
            raise EngineUnavailableError(
                "The read-aloud library (pyttsx3) is not installed.", repr(error)
            ) from error
        try:
            # Loading the driver loads libespeak-ng; pyttsx3 raises RuntimeError if it is absent.
            from pyttsx3.drivers import _espeak

            self._engine: Any = pyttsx3.init("espeak")
        except (ImportError, OSError, RuntimeError) as error:
            raise EngineUnavailableError(
                "The speech engine (espeak-ng) is not installed or does not start.", repr(error)
            ) from error
        self._espeak: Any = _espeak
        available = {voice.id for voice in self._engine.getProperty("voices")}
        self._voices = {
            language: next(v for v in candidates if v in available)
            for language, candidates in VOICES.items()
            if any(v in available for v in candidates)
        }
        if not self._voices:
            raise EngineUnavailableError(
                "The speech engine has no English or Spanish voice.",
                f"voices found: {sorted(available)}",
            )
        self._voice = ""
        self._rate = 175
        self._finished = False
        self._events: list[tuple[int, int, int]] = []
        self._engine.connect("finished-utterance", self._on_finished)
        driver = self._engine.proxy._driver
        self._driver_callback: Callable[[Any, int, Any], int] = driver._onSynth
        # Installed in front of the driver's own callback, which keeps running as before.
        _espeak.SetSynthCallback(self._on_synth)
        self._driver_start: Callable[[str], None] = driver._start_synthesis
        driver._start_synthesis = self._start_synthesis

    @property
    def voices(self) -> Mapping[str, str]:
        return dict(self._voices)

    def synthesize(self, text: str, language: str, rate_wpm: int, path: str) -> Synthesis:
        voice = self._voices.get(language)
        if voice is None:
            raise SynthesisError(f"no voice for language {language!r}")
        if not text.strip():
            raise SynthesisError("nothing to say")
        problem = ""
        for attempt in range(1, ATTEMPTS + 1):
            if voice != self._voice or attempt > 1:
                self._engine.setProperty("voice", voice)
                self._voice = voice
            self._rate = rate_wpm  # applied by _start_synthesis, see there
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            # runAndWait() calls espeak_Cancel() if espeak's thread is still busy, which can
            # cancel the very sentence it then starts: let that thread finish first.
            self._wait(lambda: not self._espeak.IsPlaying(), IDLE_GRACE_S)
            self._events = []
            self._finished = False
            self._engine.save_to_file(text, path)
            self._engine.runAndWait()
            self._wait(lambda: self._finished, FINISH_GRACE_S)
            frames, rate = _wav_frames(path)
            if self._finished and frames > 0:
                return Synthesis(
                    duration_ms=round(frames * 1000 / rate),
                    words=_word_timings(text, self._events),
                )
            problem = "no finished event" if not self._finished else f"{frames} frames"
            logger.warning("attempt %d of %d gave an unusable WAV: %s", attempt, ATTEMPTS, problem)
        raise SynthesisError(f"no audio after {ATTEMPTS} attempts ({problem})")

    @staticmethod
    def _wait(done: Callable[[], bool], seconds: float) -> None:
        # The worker's own main thread, answering one request at a time: a short poll here
        # blocks no screen, and the kiosk's timeout covers a wait that never ends.
        deadline = time.monotonic() + seconds
        while not done() and time.monotonic() < deadline:
            time.sleep(0.001)

    def _start_synthesis(self, text: str) -> None:
        # espeak queues parameter changes with the text it is given, and runAndWait() calls
        # espeak_Cancel() (which empties that queue) whenever espeak's thread is still winding
        # down the previous sentence: a rate set before runAndWait() was lost about half the
        # time (measured: 127 of 200 sentences). Set here, it is queued after the Cancel.
        self._espeak.SetParameter(self._espeak.RATE, self._rate, 0)
        self._driver_start(text)

    def _on_finished(self, name: object = None, completed: bool = True) -> None:
        # The driver may follow a completed utterance with a spurious completed=False (its
        # stop() after the loop ends): once the file is written, it stays finished.
        if completed:
            self._finished = True

    def _on_synth(self, wav: Any, numsamples: int, events: Any) -> int:
        espeak = self._espeak
        index = 0
        while events[index].type != espeak.EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == espeak.EVENT_WORD:
                self._events.append((event.text_position, event.length, event.audio_position))
            index += 1
        return self._driver_callback(wav, numsamples, events)


def _word_timings(text: str, events: list[tuple[int, int, int]]) -> tuple[WordTiming, ...]:
    """espeak's word events as 0-based character offsets into `text`.

    With espeakCHARS_UTF8 its text_position counts characters from 1, not bytes: checked with
    "¿Qué pasa, señor Núñez?", where "Núñez" is at character 18 and byte 21.
    """
    timings = []
    for position, length, audio_ms in events:
        start = min(max(position - 1, 0), len(text))
        timings.append(WordTiming(start, min(start + max(length, 0), len(text)), max(audio_ms, 0)))
    return tuple(timings)


def _wav_frames(path: str) -> tuple[int, int]:
    """(frames, frame rate) of a WAV file; (0, 1) if it is missing or unreadable."""
    try:
        with wave.open(path, "rb") as wav:
            return wav.getnframes(), wav.getframerate() or 1
    except (OSError, EOFError, wave.Error):
        return 0, 1
