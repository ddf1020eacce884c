"""Turn on-screen text into sentence-sized speech requests, and engine timings into highlights.

Sentences come from `kiosk.text` (the one splitter), so the sentence a patient hears is the
sentence reading level measures. The engine may be given slightly different words than the
screen shows (a small pronunciation table: "IV" must not be read as "four"), so every spoken
character remembers where it came from and timings map back to the ORIGINAL text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from kiosk.speech.protocol import WordTiming
from kiosk.text import Span, sentences, words

# espeak-ng words per minute for each speed step; its own default is 175, a little quick
# for patients reading along in a second language.
RATE_STEPS_WPM: Mapping[int, int] = MappingProxyType({-2: 115, -1: 140, 0: 165, 1: 190, 2: 215})
DEFAULT_RATE_STEP = 0

Rule = tuple[re.Pattern[str], str]


def _rules(*pairs: tuple[str, str]) -> tuple[Rule, ...]:
    return tuple((re.compile(pattern), spoken) for pattern, spoken in pairs)


# What espeak-ng gets wrong in this content, checked with `espeak-ng -x`: "IV" is the roman
# numeral four, "988" (the crisis line) becomes "nine hundred eighty-eight", "/" is "slash".
PRONUNCIATIONS: Mapping[str, tuple[Rule, ...]] = MappingProxyType(
    {
        "en": _rules(
            (r"\bIV\b", "I.V."),
            (r"\b988\b", "9 8 8"),
            (r"\b24/7\b", "twenty-four seven"),
            (r"\bmg/kg\b", "milligrams per kilogram"),
            (r"\bmg\b", "milligrams"),
        ),
        "es": _rules(
            (r"\bIV\b", "I.V."),
            (r"\b988\b", "9 8 8"),
            (r"\b24/7\b", "veinticuatro siete"),
            (r"\bmg/kg\b", "miligramos por kilogramo"),
            (r"\bmg\b", "miligramos"),
        ),
    }
)


def rate_wpm(step: int) -> int:
    """Words per minute for a speed step, clamped to the steps that exist."""
    low, high = min(RATE_STEPS_WPM), max(RATE_STEPS_WPM)
    return RATE_STEPS_WPM[max(low, min(high, step))]


@dataclass(frozen=True, slots=True)
class Speakable:
    """The text given to the engine; spoken character i came from original[starts[i]:ends[i]]."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original(self, start: int, end: int) -> Span | None:
        """The original span that spoken characters [start, end) came from."""
        start, end = max(0, start), min(len(self.text), end)
        if end <= start:
            return None
        return Span(self.starts[start], max(self.ends[start:end]))


@dataclass(frozen=True, slots=True)
class PlannedSentence:
    """One sentence to speak: which block, where in that block's text, and what to say."""

    block: int
    span: Span
    speakable: Speakable
    words: tuple[Span, ...]

    @property
    def text(self) -> str:
        return self.speakable.text


@dataclass(frozen=True, slots=True)
class TimedWord:
    """A word of the original text and when it starts in the sentence's audio."""

    start: int
    end: int
    audio_ms: int


def plan_blocks(
    texts: Sequence[str],
    language: str,
    pronunciations: Mapping[str, tuple[Rule, ...]] = PRONUNCIATIONS,
) -> list[PlannedSentence]:
    """Every sentence with at least one word, in reading order across the blocks."""
    rules = pronunciations.get(language, ())
    planned = []
    for block, text in enumerate(texts):
        for span in sentences(text):
            sentence_words = tuple(words(text, span))
            if sentence_words:  # a lone "•" or "—" has nothing to say
                planned.append(
                    PlannedSentence(block, span, speakable(text, span, rules), sentence_words)
                )
    return planned


def speakable(text: str, span: Span, rules: Sequence[Rule] = ()) -> Speakable:
    """The sentence as the engine should hear it, with offsets back into `text`."""
    segment = span.of(text)
    hits = sorted(
        (match.start(), order, match.end(), spoken)
        for order, (pattern, spoken) in enumerate(rules)
        for match in pattern.finditer(segment)
    )
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0

    def keep(upto: int) -> None:
        pieces.append(segment[position:upto])
        starts.extend(range(span.start + position, span.start + upto))
        ends.extend(range(span.start + position + 1, span.start + upto + 1))

    for start, _order, end, spoken in hits:
        if start < position:  # overlaps an earlier rule's match; the earlier one wins
            continue
        keep(start)
        pieces.append(spoken)
        starts.extend([span.start + start] * len(spoken))
        ends.extend([span.start + end] * len(spoken))
        position = end
    keep(len(segment))
    return Speakable("".join(pieces), tuple(starts), tuple(ends))


def timed_words(sentence: PlannedSentence, timings: Sequence[WordTiming]) -> tuple[TimedWord, ...]:
    """The sentence's words that the engine timed, in reading order, with audio times rising.

    espeak-ng reports some words twice ("0.5" as "0.5", ".5", ".5"), some as zero-length
    points and some out of order (a dash); each on-screen word takes the first timing that
    touches it, and a timing earlier than the word before it is dropped rather than letting
    the highlight jump backwards.
    """
    first_ms: dict[int, int] = {}
    for timing in timings:
        # A zero-length event still points at a character.
        source = sentence.speakable.original(timing.start, max(timing.end, timing.start + 1))
        if source is None:
            continue
        for index, word in enumerate(sentence.words):
            if word.start < source.end and source.start < word.end and index not in first_ms:
                first_ms[index] = timing.audio_ms
                break
    result: list[TimedWord] = []
    for index in sorted(first_ms):
        audio_ms = first_ms[index]
        if result and audio_ms <= result[-1].audio_ms:
            continue
        word = sentence.words[index]
        result.append(TimedWord(word.start, word.end, audio_ms))
    return tuple(result)


def word_at(timed: Sequence[TimedWord], position_ms: int) -> TimedWord | None:
    """The word being heard at `position_ms` into the sentence's audio, if any has started."""
    index = bisect.bisect_right([w.audio_ms for w in timed], position_ms) - 1
    return timed[index] if index >= 0 else None
