"""A stand-in speech engine: silent WAV files whose words are evenly spaced."""

from __future__ import annotations

import functools
import itertools
import wave
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.speech.protocol import Utterance, WordTiming
from kiosk.text import words
from ui.read_aloud.speech import SHUT_DOWN_REASON, SpeechService, delete_utterance


@dataclass(frozen=True, slots=True)
class FakeRequest:
    id: str
    text: str
    language: str
    rate_wpm: int


class FakeSpeechService(QObject):
    """A stand-in engine: writes silent WAV files whose words are evenly spaced.

    With `auto=True` each request is answered on the next turn of the event loop; with
    `auto=False` a test answers with `complete()` or `fail()` when it chooses.
    """

    utterance_ready = Signal(str, object)  # request id, Utterance
    utterance_failed = Signal(str, str)  # request id, reason
    availability_changed = Signal(bool, str)  # available, reason

    SAMPLE_RATE = 1000  # silent audio: a low rate keeps the files tiny

    def __init__(self, wav_dir: Path, *, auto: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wav_dir = wav_dir
        self.auto = auto
        self.requests: list[FakeRequest] = []
        self.pending: dict[str, FakeRequest] = {}
        self.cancelled: list[str] = []
        self.released: list[str] = []
        self.started = False
        self.restarts = 0
        self._available = True
        self._reason = ""
        self._ids = itertools.count(1)

    def start(self) -> None:
        self.started = True

    def restart(self) -> None:
        self.restarts += 1

    def shutdown(self) -> None:
        # As the real service: no availability_changed (whoever shuts it down knows).
        self._available, self._reason = False, SHUT_DOWN_REASON
        self.pending.clear()

    def is_available(self) -> bool:
        return self._available

    def retry_in_seconds(self) -> int | None:
        return None

    def unavailable_reason(self) -> str:
        return self._reason

    def set_available(self, available: bool, reason: str = "") -> None:
        """Act as the engine appearing or going away; pending requests fail when it goes."""
        if (available, reason) == (self._available, self._reason):
            return
        self._available, self._reason = available, reason
        self.availability_changed.emit(available, reason)
        if not available:
            for request_id in list(self.pending):
                self.fail(request_id, reason)

    def request(self, text: str, language: str, rate_wpm: int) -> str:
        request = FakeRequest(str(next(self._ids)), text, language, rate_wpm)
        self.requests.append(request)
        if not self._available:
            QTimer.singleShot(0, self, functools.partial(self.fail_now, request.id, self._reason))
            return request.id
        self.pending[request.id] = request
        if self.auto:
            QTimer.singleShot(0, self, functools.partial(self.complete, request.id))
        return request.id

    def cancel(self, request_id: str) -> None:
        if self.pending.pop(request_id, None) is not None:
            self.cancelled.append(request_id)

    def release(self, utterance: Utterance) -> None:
        self.released.append(utterance.path)
        delete_utterance(utterance)

    def ms_per_word(self, rate_wpm: int) -> int:
        return 60_000 // rate_wpm

    def complete(self, request_id: str | None = None) -> None:
        """Answer a pending request (the oldest if none is named); a no-op if it is gone."""
        if request_id is None:
            request_id = next(iter(self.pending), None)
        request = self.pending.pop(request_id, None) if request_id is not None else None
        if request is None:
            return
        step = self.ms_per_word(request.rate_wpm)
        spans = words(request.text)
        timings = tuple(WordTiming(s.start, s.end, i * step) for i, s in enumerate(spans))
        duration_ms = max(1, len(spans)) * step
        path = self.wav_dir / f"fake-{request.id}.wav"
        with wave.open(str(path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(self.SAMPLE_RATE)
            wav.writeframes(b"\0\0" * (duration_ms * self.SAMPLE_RATE // 1000))
        self.utterance_ready.emit(
            request.id, Utterance(request.id, str(path), duration_ms, timings)
        )

    def fail(self, request_id: str, reason: str) -> None:
        if self.pending.pop(request_id, None) is not None:
            self.utterance_failed.emit(request_id, reason)

    def fail_now(self, request_id: str, reason: str) -> None:
        self.utterance_failed.emit(request_id, reason)


def _is_a_speech_service(fake: FakeSpeechService) -> SpeechService:
    return fake  # mypy checks here that the fake keeps up with the interface
