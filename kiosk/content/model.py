"""The content a patient reads: topics, glossary, crisis text, per language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

CRISIS_TOPIC_ID = "crisis"


class TopicKind(StrEnum):
    ARTICLE = "article"
    # The intro's first bullet list becomes questions the patient can tick and take home.
    CHECKLIST = "checklist"


class ReviewStatus(StrEnum):
    AWAITING = "awaiting-clinical-review"
    REVIEWED = "clinically-reviewed"


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    id: str
    term: str
    definition: str


class Reliability(StrEnum):
    """How far a source can be trusted, as the content brief tags it (its section 6)."""

    # A regulator, a label, a professional body, a peer-reviewed paper or its abstract.
    AUTHORITATIVE = "A"
    # A news report or summary of an authoritative source: shown only where no
    # authoritative source carries the fact.
    SECONDARY = "S"
    # A clinic's or company's own page: never evidence, never shown to a patient.
    COMMERCIAL = "C"


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    # The canonical reference a patient sees (authors, title, journal, year; for a label,
    # the FDA label itself), never the mirror or reprint it was read through.
    citation: str
    reliability: Reliability
    url: str = ""  # the cited document's own address, if it has one worth showing

    @property
    def shown_to_patients(self) -> bool:
        return self.reliability is not Reliability.COMMERCIAL


@dataclass(frozen=True, slots=True)
class Section:
    """A run of the topic body. The first has no title; the rest open from a labelled button."""

    title: str
    html: str
    text: str


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    summary: str
    order: int
    icon: str
    last_reviewed: date
    review_status: ReviewStatus
    reviewed_by: str
    sources: tuple[str, ...]
    intro: Section
    sections: tuple[Section, ...]
    glossary_ids: frozenset[str]
    path: Path
    kind: TopicKind = TopicKind.ARTICLE
    checklist: tuple[str, ...] = ()
    # The tile's label; the full title (often a question) heads the topic itself.
    short_title: str = ""
    # A checklist topic's intro text after its questions (its intro is the text before).
    after_checklist: Section | None = None
    # The clinic's sign-off: None means last_reviewed plus the settings' review interval.
    next_review: date | None = None
    version: int = 1

    @property
    def tile_title(self) -> str:
        return self.short_title or self.title

    def reading_blocks(self) -> list[str]:
        """The text of the page in reading order: intro, questions, the rest, sections."""
        blocks = [self.intro.text, *self.checklist]
        if self.after_checklist is not None:
            blocks.append(self.after_checklist.text)
        for section in self.sections:
            blocks += [section.title, section.text]
        return [b for b in blocks if b]

    @property
    def plain_text(self) -> str:
        return "\n".join([self.title, *self.reading_blocks()])


@dataclass(frozen=True, slots=True)
class Crisis:
    title: str
    summary: str
    intro: str
    lifeline_heading: str
    lifeline_text: str
    emergency_heading: str
    emergency_text: str
    front_desk_heading: str
    front_desk_text: str
    closing: str

    @property
    def plain_text(self) -> str:
        return "\n".join(
            [
                self.title,
                self.intro,
                self.lifeline_heading,
                self.lifeline_text,
                self.emergency_heading,
                self.emergency_text,
                self.front_desk_heading,
                self.front_desk_text,
                self.closing,
            ]
        )


@dataclass(frozen=True, slots=True)
class Pack:
    """Everything shown in one language."""

    language: str
    language_name: str
    title: str
    welcome: str
    disclaimer: str
    care_team_prompt: str
    start_button: str  # the attract screen's invitation, "Tap to start"
    crisis: Crisis
    topics: tuple[Topic, ...]
    glossary: Mapping[str, GlossaryTerm] = field(default_factory=lambda: MappingProxyType({}))
    sources: Mapping[str, Source] = field(default_factory=lambda: MappingProxyType({}))

    def patient_sources(self, topic: Topic) -> tuple[Source, ...]:
        """The sources a patient is shown for a topic, in the topic's order: each cited key
        that loaded, never a commercial one (the loader reports such a cite as a problem)."""
        cited = (self.sources.get(key) for key in topic.sources)
        return tuple(s for s in cited if s is not None and s.shown_to_patients)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def neighbours(self, topic_id: str) -> tuple[Topic | None, Topic | None]:
        ids = [t.id for t in self.topics]
        if topic_id not in ids:
            return None, None
        i = ids.index(topic_id)
        before = self.topics[i - 1] if i > 0 else None
        after = self.topics[i + 1] if i + 1 < len(self.topics) else None
        return before, after
