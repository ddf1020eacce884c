"""The speech worker: `python -m kiosk.speech.worker`, started and owned by the kiosk.

Reads requests (kiosk.speech.protocol) on stdin, answers on stdout in the same order, logs on
stderr, and exits when stdin closes, so it never outlives the kiosk that started it.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Callable
from typing import BinaryIO

from kiosk.speech.protocol import (
    EngineUnavailable,
    Message,
    Ping,
    Pong,
    ProtocolError,
    Quit,
    Ready,
    SynthFailed,
    SynthRequest,
    Utterance,
    decode,
    encode,
)
from kiosk.speech.synth import (
    EngineUnavailableError,
    EspeakSynthesizer,
    SynthesisError,
    Synthesizer,
)

logger = logging.getLogger(__name__)

# Exit status when the engine cannot run at all: the kiosk must not restart it in a loop.
EXIT_UNAVAILABLE = 3


def serve(
    requests: BinaryIO,
    answers: BinaryIO,
    make_synthesizer: Callable[[], Synthesizer] = EspeakSynthesizer,
) -> int:
    """Answer requests until Quit or end of input; the exit status for the process."""

    def send(message: Message) -> None:
        answers.write(encode(message))
        answers.flush()

    try:
        synthesizer = make_synthesizer()
    except EngineUnavailableError as error:
        logger.error("speech engine unavailable: %s", error)
        send(EngineUnavailable(reason=error.reason, detail=error.detail))
        return EXIT_UNAVAILABLE
    send(Ready(pid=os.getpid(), voices=dict(synthesizer.voices)))
    for line in requests:
        if not line.strip():
            continue
        try:
            message = decode(line)
        except ProtocolError as error:
            logger.error("ignoring a line that is not a request: %s", error)
            continue
        if isinstance(message, Quit):
            break
        if isinstance(message, Ping):
            send(Pong(message.id))
        elif isinstance(message, SynthRequest):
            send(_synthesize(synthesizer, message))
        else:
            logger.error("ignoring a %s message, which only the worker sends", type(message))
    return 0


def _synthesize(synthesizer: Synthesizer, request: SynthRequest) -> Utterance | SynthFailed:
    try:
        result = synthesizer.synthesize(
            request.text, request.language, request.rate_wpm, request.path
        )
    except SynthesisError as error:
        logger.warning("request %s failed: %s", request.id, error)
        return SynthFailed(request.id, str(error))
    except Exception as error:  # any engine bug fails this request, not the worker
        logger.exception("request %s failed unexpectedly", request.id)
        return SynthFailed(request.id, f"engine error: {error!r}")
    return Utterance(request.id, request.path, result.duration_ms, result.words)


class _LogWriter(io.TextIOBase):
    """Takes the place of sys.stdout: pyttsx3 print()s "Audio saved to ..." on every file."""

    def write(self, text: str) -> int:
        if text.strip():
            logger.debug("engine said: %s", text.strip())
        return len(text)


def main() -> int:
    # stdout carries the protocol: give it a private descriptor, then point descriptor 1
    # (where C code writes) at stderr and sys.stdout at the log, so nothing else gets in.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = _LogWriter()
    logging.basicConfig(
        stream=sys.stderr,
        level=os.environ.get("KIOSK_SPEECH_LOG_LEVEL", "INFO"),
        format="%(levelname)s:%(name)s:%(message)s",
    )
    return serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    sys.exit(main())
