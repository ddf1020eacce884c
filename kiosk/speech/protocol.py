"""Messages between the kiosk and the speech worker: one JSON object per line, UTF-8.

The kiosk writes requests to the worker's stdin; the worker answers on its stdout, in the
order the requests came. Every message has a "type"; unknown or malformed lines raise
ProtocolError so neither side ever guesses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

PROTOCOL_VERSION = 1


class ProtocolError(ValueError):
    """A line that is not a valid message."""


@dataclass(frozen=True, slots=True)
class WordTiming:
    """A word the engine spoke: character offsets into the request text, and when in the audio."""

    start: int
    end: int
    audio_ms: int


# Kiosk -> worker.


@dataclass(frozen=True, slots=True)
class SynthRequest:
    """Synthesise `text` in `language` at `rate_wpm` words per minute into the WAV file `path`."""

    id: str
    text: str
    language: str
    rate_wpm: int
    path: str


@dataclass(frozen=True, slots=True)
class Ping:
    id: str


@dataclass(frozen=True, slots=True)
class Quit:
    pass


# Worker -> kiosk.


@dataclass(frozen=True, slots=True)
class Ready:
    """The engine is loaded; `voices` maps each language it can speak to the voice used."""

    pid: int
    voices: dict[str, str]
    version: int = PROTOCOL_VERSION


@dataclass(frozen=True, slots=True)
class Utterance:
    """A synthesised WAV file. Word offsets are into the request's text, in audio order."""

    id: str
    path: str
    duration_ms: int
    words: tuple[WordTiming, ...]


@dataclass(frozen=True, slots=True)
class SynthFailed:
    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Pong:
    id: str


@dataclass(frozen=True, slots=True)
class EngineUnavailable:
    """The engine cannot run here. `reason` is short and human; `detail` is for the log."""

    reason: str
    detail: str


Message = SynthRequest | Ping | Quit | Ready | Utterance | SynthFailed | Pong | EngineUnavailable

_TYPES: dict[type[Any], str] = {
    SynthRequest: "synth",
    Ping: "ping",
    Quit: "quit",
    Ready: "ready",
    Utterance: "utterance",
    SynthFailed: "failed",
    Pong: "pong",
    EngineUnavailable: "unavailable",
}


def encode(message: Message) -> bytes:
    """One line of JSON, newline included. ASCII-only, so no encoding can split a line."""
    body: dict[str, Any] = {"type": _TYPES[type(message)]}
    for name in message.__dataclass_fields__:
        value = getattr(message, name)
        if name == "words":
            value = [[w.start, w.end, w.audio_ms] for w in value]
        body[name] = value
    return (json.dumps(body, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")


def decode(line: bytes | str) -> Message:
    """Parse one line; raise ProtocolError if it is not exactly a known message."""
    try:
        body = json.loads(line)
    except (ValueError, UnicodeDecodeError) as error:
        raise ProtocolError(f"not JSON: {error}") from None
    if not isinstance(body, dict):
        raise ProtocolError("not a JSON object")
    kind = body.pop("type", None)
    try:
        if kind == "synth":
            return SynthRequest(
                id=_str(body, "id"),
                text=_str(body, "text"),
                language=_str(body, "language"),
                rate_wpm=_int(body, "rate_wpm"),
                path=_str(body, "path"),
            )
        if kind == "ping":
            return Ping(id=_str(body, "id"))
        if kind == "quit":
            return Quit()
        if kind == "ready":
            voices = body["voices"]
            if not isinstance(voices, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in voices.items()
            ):
                raise ProtocolError("voices must map strings to strings")
            return Ready(pid=_int(body, "pid"), voices=voices, version=_int(body, "version"))
        if kind == "utterance":
            return Utterance(
                id=_str(body, "id"),
                path=_str(body, "path"),
                duration_ms=_int(body, "duration_ms"),
                words=_words(body["words"]),
            )
        if kind == "failed":
            return SynthFailed(id=_str(body, "id"), reason=_str(body, "reason"))
        if kind == "pong":
            return Pong(id=_str(body, "id"))
        if kind == "unavailable":
            return EngineUnavailable(reason=_str(body, "reason"), detail=_str(body, "detail"))
    except KeyError as error:
        raise ProtocolError(f"{kind} message without {error}") from None
    raise ProtocolError(f"unknown message type {kind!r}")


def _str(body: dict[str, Any], key: str) -> str:
    value = body[key]
    if not isinstance(value, str):
        raise ProtocolError(f"{key} must be a string")
    return value


def _int(body: dict[str, Any], key: str) -> int:
    value = body[key]
    # bool is an int in Python; a true/false here is a bug on the other side.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProtocolError(f"{key} must be an integer")
    return value


def _words(value: Any) -> tuple[WordTiming, ...]:
    if not isinstance(value, list):
        raise ProtocolError("words must be a list")
    words = []
    for item in value:
        if (
            not isinstance(item, list)
            or len(item) != 3
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in item)
        ):
            raise ProtocolError("each word must be [start, end, audio_ms]")
        words.append(WordTiming(item[0], item[1], item[2]))
    return tuple(words)
