"""What read-aloud needs from a speech engine: sentences in, WAV files and word timings out.

The kiosk's engine is ProcessSpeechService (ui/read_aloud/speech_process.py); tests use the
fake in tests/fakes/speech.py. main.py picks one, once, at start-up.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import SignalInstance

from kiosk.speech.protocol import Utterance

SHUT_DOWN_REASON = "Read-aloud has been shut down."


class SpeechService(Protocol):
    """Synthesises sentences to WAV files, one request at a time, answering by signal.

    Every `request()` is answered exactly once, by `utterance_ready` or `utterance_failed`,
    unless it is cancelled first, and never from inside `request()`. The receiver owns the
    file of an Utterance it receives and hands it back with `release()` when done.
    """

    utterance_ready: SignalInstance  # request id, kiosk.speech.protocol.Utterance
    utterance_failed: SignalInstance  # request id, reason
    availability_changed: SignalInstance  # available, short human reason when not

    def start(self) -> None:
        """Start the engine (at kiosk start-up, so the first tap does not wait for it)."""

    def shutdown(self) -> None: ...

    def restart(self) -> None:
        """Try the engine again if it was given up on (at a kiosk reset); else nothing."""

    def is_available(self) -> bool: ...

    def unavailable_reason(self) -> str: ...

    def retry_in_seconds(self) -> int | None:
        """Seconds until an engine given up on is tried again; None if no try is waiting."""

    def request(self, text: str, language: str, rate_wpm: int) -> str:
        """Queue `text` for synthesis; returns the request id used in the answer's signal."""

    def cancel(self, request_id: str) -> None:
        """Forget a request: no signal will come for it and its file is deleted."""

    def release(self, utterance: Utterance) -> None:
        """The receiver is done with this utterance: its WAV file can go."""


def delete_utterance(utterance: Utterance) -> None:
    """Delete an utterance's WAV file (already gone is fine)."""
    with contextlib.suppress(OSError):
        Path(utterance.path).unlink(missing_ok=True)
