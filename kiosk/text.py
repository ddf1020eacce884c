"""Splitting text into sentences and words, with character offsets into the original.

Used for reading level (how long is each sentence) and for read-aloud (which sentence is
being heard), so both agree on what a sentence is. Block boundaries (new lines, Qt's
paragraph separator U+2029) always end a sentence: a bullet is a sentence of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Short forms that end in a full stop without ending the sentence (English and Spanish).
ABBREVIATIONS = frozenset(
    {
        "e.g",
        "i.e",
        "etc",
        "vs",
        "dr",
        "mr",
        "mrs",
        "ms",
        "approx",
        "u.s",
        "p.ej",
        "ej",
        "sr",
        "sra",
        "dra",
        "núm",
        "aprox",
        "ee.uu",
        "ud",
        "uds",
    }
)
_BLOCKS = re.compile(r"[^\n\r\u2029\u2028]+")
# A sentence ends at . ! ? (or … ) plus closing quotes/brackets, before white space.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_WORD = re.compile(r"[^\W_](?:[\w’'.,-]*[^\W_])?")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def sentences(text: str) -> list[Span]:
    """Spans of each sentence, trimmed of surrounding white space; empty ones dropped."""
    spans: list[Span] = []
    for block in _BLOCKS.finditer(text):
        start = block.start()
        for end_match in _END.finditer(text, block.start(), block.end()):
            if _is_abbreviation(text, start, end_match.start()):
                continue
            spans.append(Span(start, end_match.end()))
            start = end_match.end()
        spans.append(Span(start, block.end()))
    return [s for s in (_trim(text, span) for span in spans) if s.end > s.start]


def words(text: str, span: Span | None = None) -> list[Span]:
    """Spans of each word (numbers such as 0.5 and 24/7 parts count as words)."""
    start, end = (span.start, span.end) if span else (0, len(text))
    return [Span(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


def _is_abbreviation(text: str, start: int, stop: int) -> bool:
    if text[stop] != ".":
        return False
    before = text[start:stop].rsplit(None, 1)
    token = before[-1].lower().lstrip("(¿¡\"'“") if before else ""
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)
