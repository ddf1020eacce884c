"""Read a topic aloud: sentence by sentence, with the sentence and word being heard highlighted.

The controller plans sentences (kiosk.speech.plan), asks the speech service for a sentence
or two ahead, plays each WAV through an AudioPlayer and turns the player's position into
`highlight_changed`. It never blocks: everything arrives by signal on the GUI thread.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.speech.plan import (
    DEFAULT_RATE_STEP,
    RATE_STEPS_WPM,
    PlannedSentence,
    TimedWord,
    plan_blocks,
    rate_wpm,
    timed_words,
    word_at,
)
from kiosk.speech.protocol import Utterance
from kiosk.visit import DEFAULT_VOLUME
from ui.read_aloud.player import AudioPlayer, clamp_volume
from ui.read_aloud.speech import SpeechService

logger = logging.getLogger(__name__)

# A second file in a row that the player cannot play means audio output itself is broken.
MAX_PLAYER_FAILURES = 2


class ReadState(enum.StrEnum):
    IDLE = "idle"
    PREPARING = "preparing"  # waiting for the current sentence's audio
    PLAYING = "playing"
    PAUSED = "paused"
    STOPPED = "stopped"
    FINISHED = "finished"
    UNAVAILABLE = "unavailable"


_ACTIVE = (ReadState.PREPARING, ReadState.PLAYING, ReadState.PAUSED)


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A run of on-screen text and the opaque key the UI uses to find it again."""

    text: str
    key: Hashable


@dataclass(frozen=True, slots=True)
class _Prepared:
    utterance: Utterance
    words: tuple[TimedWord, ...]
    rate_wpm: int


class ReadAloudController(QObject):
    """One per kiosk, built in main.py; every screen that reads aloud uses it."""

    # block key, sentence start, sentence end, word start, word end (-1, -1: word not known).
    # Offsets are into that block's text. Cleared by the UI on stopped/finished/idle.
    highlight_changed = Signal(object, int, int, int, int)
    state_changed = Signal(str)  # a ReadState value
    sentence_started = Signal(int, int)  # index, count: audio for a sentence begins
    finished = Signal()  # the last sentence has been heard
    availability_changed = Signal(bool, str)  # the engine's, relayed: available, reason

    def __init__(
        self,
        service: SpeechService,
        player: AudioPlayer,
        *,
        lookahead: int = 2,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._player = player
        self._lookahead = max(0, lookahead)
        # The visit sets the visitor's own speed and volume (Narrator.apply) before any reading.
        self._rate_step = DEFAULT_RATE_STEP
        self._volume = DEFAULT_VOLUME
        self._state = ReadState.IDLE if service.is_available() else ReadState.UNAVAILABLE

        self._blocks: list[TextBlock] = []
        self._language = ""
        self._sentences: list[PlannedSentence] = []
        self._index = 0
        self._audio_started = False  # the current sentence's audio has begun playing
        self._paused = False
        self._pending: dict[str, tuple[int, int]] = {}  # request id -> (sentence, wpm)
        self._ready: dict[int, _Prepared] = {}
        self._failed: set[int] = set()
        self._highlight: tuple[int, int, int, int, int] | None = None
        self._player_failures = 0

        player.set_volume(self._volume)
        player.position_changed.connect(self._on_position)
        player.finished.connect(self._on_player_finished)
        player.failed.connect(self._on_player_failed)
        service.utterance_ready.connect(self._on_utterance_ready)
        service.utterance_failed.connect(self._on_utterance_failed)
        service.availability_changed.connect(self._on_availability_changed)

    # State for the UI.

    @property
    def state(self) -> ReadState:
        return self._state

    @property
    def rate_step(self) -> int:
        return self._rate_step

    @property
    def volume(self) -> float:
        return self._volume

    def is_available(self) -> bool:
        return self._service.is_available()

    def unavailable_reason(self) -> str:
        return self._service.unavailable_reason()

    # Controls.

    @property
    def sentence_index(self) -> int:
        """The sentence being read (from 0); meaningful while reading."""
        return self._index

    @property
    def sentence_count(self) -> int:
        return len(self._sentences)

    def start(
        self, blocks: Sequence[TextBlock], language: str, *, block: int = 0, offset: int = 0
    ) -> None:
        """Read `blocks` from the sentence at `offset` in block `block` (the first sentence
        by default) to the end, replacing any reading in progress."""
        self._drop_reading()
        if not self._service.is_available():
            self._set_state(ReadState.UNAVAILABLE)
            return
        self._blocks = list(blocks)
        self._language = language
        self._sentences = plan_blocks([block.text for block in self._blocks], language)
        if not self._sentences:
            self._set_state(ReadState.FINISHED)
            self.finished.emit()
            return
        self._index = self._sentence_at(block, offset)
        self._set_state(ReadState.PREPARING)
        self._prepare_ahead()

    def pause(self) -> None:
        if self._state is ReadState.PLAYING:
            self._player.pause()
        elif self._state is not ReadState.PREPARING:
            return
        self._paused = True
        self._set_state(ReadState.PAUSED)

    def resume(self) -> None:
        if self._state is not ReadState.PAUSED:
            return
        self._paused = False
        if self._audio_started:
            self._player.resume()
            self._set_state(ReadState.PLAYING)
        else:
            self._continue()

    def stop(self) -> None:
        """Silence at once; nothing from this reading is emitted afterwards."""
        self._drop_reading()
        if self._state not in (ReadState.IDLE, ReadState.UNAVAILABLE):
            self._set_state(ReadState.STOPPED)

    def repeat_sentence(self) -> None:
        """Hear the current sentence again from its start (at the current speed)."""
        if self._state not in (ReadState.PLAYING, ReadState.PAUSED, ReadState.FINISHED):
            return
        self._paused = False
        self._failed.discard(self._index)  # asked for again: worth another try
        if self._audio_started or self._state is ReadState.FINISHED:
            self._player.stop()
            self._audio_started = False
            prepared = self._ready.get(self._index)
            if prepared is not None and prepared.rate_wpm != rate_wpm(self._rate_step):
                self._release(self._index)  # the speed changed since: say it at the new one
        self._prepare_ahead()
        self._continue()

    def set_rate_step(self, step: int) -> None:
        """Speed from the next sentence on; sentences prepared at the old speed are redone."""
        step = max(min(RATE_STEPS_WPM), min(max(RATE_STEPS_WPM), step))
        if step == self._rate_step:
            return
        self._rate_step = step
        keep_current = self._audio_started or self._state is ReadState.FINISHED
        first_to_redo = self._index + 1 if keep_current else self._index
        for request_id, (index, _wpm) in list(self._pending.items()):
            if index >= first_to_redo:
                self._service.cancel(request_id)
                del self._pending[request_id]
        for index in [i for i in self._ready if i >= first_to_redo]:
            self._release(index)
        if self._state in _ACTIVE:
            self._prepare_ahead()

    def set_volume(self, volume: float) -> None:
        self._volume = clamp_volume(volume)
        self._player.set_volume(self._volume)

    # Steering: another sentence, while reading or paused.

    def next_sentence(self) -> None:
        self.go_to(self._index + 1)

    def previous_sentence(self) -> None:
        self.go_to(self._index - 1)

    def go_to_text(self, block: int, offset: int) -> None:
        """Read on from the sentence at `offset` in block `block` (a tap on the text)."""
        if self._state in _ACTIVE:
            self.go_to(self._sentence_at(block, offset))

    def go_to(self, index: int) -> None:
        """Read on from sentence `index`, at once; paused, it plays again (as Repeat does).

        Nothing happens out of range or when nothing is being read."""
        if self._state not in _ACTIVE or not 0 <= index < len(self._sentences):
            return
        self._player.stop()
        self._index = index
        self._audio_started = False
        self._paused = False
        self._failed.discard(index)  # asked for: worth another try
        wanted = range(index, index + 1 + self._lookahead)
        for request_id, (asked, _wpm) in list(self._pending.items()):
            if asked not in wanted:
                self._service.cancel(request_id)
                del self._pending[request_id]
        for ready in [i for i in self._ready if i not in wanted]:
            self._release(ready)
        self._highlight = None
        self._show(None)  # the sentence lights up now, before its audio is ready
        self._prepare_ahead()
        self._continue()

    def _sentence_at(self, block: int, offset: int) -> int:
        """The first sentence that ends after `offset` in `block` (or lies after it)."""
        for index, sentence in enumerate(self._sentences):
            if (sentence.block, sentence.span.end) > (block, offset):
                return index
        return max(0, len(self._sentences) - 1)

    # The reading itself.

    def _prepare_ahead(self) -> None:
        """Ask for the current sentence and the next `lookahead` that are not on their way."""
        asked = {index for index, _wpm in self._pending.values()}
        wpm = rate_wpm(self._rate_step)
        last = min(len(self._sentences), self._index + 1 + self._lookahead)
        for index in range(self._index, last):
            if index in self._ready or index in asked or index in self._failed:
                continue
            sentence = self._sentences[index]
            request_id = self._service.request(sentence.text, self._language, wpm)
            self._pending[request_id] = (index, wpm)

    def _continue(self) -> None:
        """Go on with the current sentence, whose audio has not started."""
        if self._index in self._failed:
            self._advance()
        elif self._paused:
            self._set_state(ReadState.PAUSED)
        elif self._index in self._ready:
            self._play_current()
        else:
            self._set_state(ReadState.PREPARING)

    def _play_current(self) -> None:
        index, prepared = self._index, self._ready[self._index]
        self._audio_started = True
        self._highlight = None
        self._set_state(ReadState.PLAYING)
        self._player.play(Path(prepared.utterance.path))
        if self._index != index or self._state is not ReadState.PLAYING:
            return  # the player failed at once and the reading has moved on
        self.sentence_started.emit(index, len(self._sentences))
        self._show(word_at(prepared.words, 0))
        self._prepare_ahead()

    def _advance(self) -> None:
        """The current sentence is done (heard, or it could not be made): on to the next."""
        while True:
            if self._index + 1 >= len(self._sentences):
                # The last sentence's audio is kept so that it can still be repeated.
                self._set_state(ReadState.FINISHED)
                self.finished.emit()
                return
            self._release(self._index)
            self._index += 1
            self._audio_started = False
            if self._index not in self._failed:
                break
        self._prepare_ahead()
        self._continue()

    def _show(self, word: TimedWord | None) -> None:
        sentence = self._sentences[self._index]
        highlight = (
            sentence.block,
            sentence.span.start,
            sentence.span.end,
            word.start if word else -1,
            word.end if word else -1,
        )
        if highlight != self._highlight:
            self._highlight = highlight
            self.highlight_changed.emit(self._blocks[sentence.block].key, *highlight[1:])

    def _release(self, index: int) -> None:
        prepared = self._ready.pop(index, None)
        if prepared is not None:
            self._service.release(prepared.utterance)

    def _drop_reading(self) -> None:
        self._player.stop()
        for request_id in self._pending:
            self._service.cancel(request_id)
        self._pending.clear()
        for index in list(self._ready):
            self._release(index)
        self._failed.clear()
        self._sentences = []
        self._blocks = []
        self._index = 0
        self._audio_started = False
        self._paused = False
        self._highlight = None
        self._player_failures = 0

    def _set_state(self, state: ReadState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state.value)

    # Signal handlers.

    def _on_utterance_ready(self, request_id: str, utterance: Utterance) -> None:
        entry = self._pending.pop(request_id, None)
        if entry is None:
            return  # another reader's request
        index, wpm = entry
        sentence = self._sentences[index]
        self._ready[index] = _Prepared(utterance, timed_words(sentence, utterance.words), wpm)
        if index == self._index and self._state is ReadState.PREPARING:
            self._play_current()

    def _on_utterance_failed(self, request_id: str, reason: str) -> None:
        entry = self._pending.pop(request_id, None)
        if entry is None:
            return
        index, _wpm = entry
        logger.warning("sentence %d of %d skipped: %s", index + 1, len(self._sentences), reason)
        self._failed.add(index)
        if index == self._index and self._state is ReadState.PREPARING:
            self._advance()

    def _on_availability_changed(self, available: bool, reason: str) -> None:
        if not available:
            self._drop_reading()
            self._set_state(ReadState.UNAVAILABLE)
        elif self._state is ReadState.UNAVAILABLE:
            self._set_state(ReadState.IDLE)
        self.availability_changed.emit(available, reason)

    def _on_position(self, position_ms: int) -> None:
        if self._state is ReadState.PLAYING and self._audio_started:
            self._show(word_at(self._ready[self._index].words, position_ms))

    def _on_player_finished(self) -> None:
        if self._state is ReadState.PLAYING and self._audio_started:
            self._player_failures = 0
            self._advance()

    def _on_player_failed(self, reason: str) -> None:
        if self._state is not ReadState.PLAYING or not self._audio_started:
            return
        self._player_failures += 1
        if self._player_failures >= MAX_PLAYER_FAILURES:
            logger.error("audio playback keeps failing (%s); reading stopped", reason)
            self.stop()
            return
        logger.warning("sentence %d could not be played (%s); skipped", self._index + 1, reason)
        self._advance()
