"""The content loader: a valid folder loads; every kind of broken file is reported precisely,
skipped, and does not stop the rest from loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content.loader import MAX_TOPIC_BYTES, ContentLoader
from kiosk.content.model import Reliability, ReviewStatus, TopicKind
from kiosk.problems import Problem
from tests.conftest import ContentFolder, topic_text

ICONS = {"info", "brain"}


def load(content: ContentFolder, language: str = "en", **kwargs: object):
    return ContentLoader(ICONS).load(content.root, language, **kwargs)  # type: ignore[arg-type]


def only_problem(result, name: str) -> Problem:
    mine = [p for p in result.problems if p.path.name == name]
    assert len(mine) >= 1, result.problems
    return mine[0]


def test_valid_folder_loads_every_topic_in_order(content: ContentFolder) -> None:
    result = load(content)
    assert result.problems == []
    pack = result.pack
    assert pack is not None
    assert [t.id for t in pack.topics] == ["alpha", "beta", "gamma"]
    alpha = pack.topics[0]
    assert alpha.review_status is ReviewStatus.AWAITING
    assert alpha.sources == ("KETALAR",)
    assert alpha.glossary_ids == {"off-label", "infusion"}
    # The placeholder took the pack's default wording.
    assert "Someone else must drive you home." in alpha.intro.text
    assert [s.title for s in alpha.sections] == ["Learn more about alpha"]
    assert '<a href="glossary:off-label">off-label</a>' in alpha.intro.html
    assert pack.crisis.front_desk_text == "Tell the front desk now."
    assert pack.neighbours("beta") == (pack.topics[0], pack.topics[2])


def test_clinic_wording_replaces_placeholders(content: ContentFolder) -> None:
    result = load(
        content,
        wording={
            "driving_rule": "Do not drive until tomorrow morning.",
            "front_desk": "Press the bell at the desk.",
        },
    )
    assert result.pack is not None
    assert "Do not drive until tomorrow morning." in result.pack.topics[0].intro.text
    assert result.pack.crisis.front_desk_text == "Press the bell at the desk."


def test_hidden_topics_are_left_out(content: ContentFolder) -> None:
    result = load(content, hidden_topics=("beta",))
    assert result.pack is not None
    assert [t.id for t in result.pack.topics] == ["alpha", "gamma"]


def test_markdown_table_bold_and_lists_render(content: ContentFolder) -> None:
    body = (
        "Plain **bold** text.\n\n1. one\n2. two\n\n## Compare\n\n"
        "| What | IV | Spray |\n|---|---|---|\n| Given | vein | nose |\n"
    )
    content.write("en", "alpha.md", topic_text("alpha", 1, body=body))
    result = load(content)
    assert result.problems == []
    topic = result.pack.topics[0]
    assert "<strong>bold</strong>" in topic.intro.html
    assert "<ol>" in topic.intro.html
    assert "<table>" in topic.sections[0].html and "<th>Spray</th>" in topic.sections[0].html
    assert topic.sections[0].text.splitlines() == ["What", "IV", "Spray", "Given", "vein", "nose"]


def test_bad_toml_front_matter_names_the_line(content: ContentFolder) -> None:
    text = topic_text("beta", 2).replace('summary = "About beta."', 'summary = "About beta.')
    content.write("en", "beta.md", text)
    result = load(content)
    problem = only_problem(result, "beta.md")
    assert problem.line == 4  # line 1 is +++, summary is the 3rd front-matter line
    assert [t.id for t in result.pack.topics] == ["alpha", "gamma"]


def test_missing_field_is_named(content: ContentFolder) -> None:
    content.write("en", "beta.md", topic_text("beta", 2).replace('icon = "info"\n', ""))
    result = load(content)
    problem = only_problem(result, "beta.md")
    assert problem.field == "icon" and "required" in problem.message
    assert [t.id for t in result.pack.topics] == ["alpha", "gamma"]


def test_mistyped_field_is_named_with_its_line(content: ContentFolder) -> None:
    content.write("en", "beta.md", topic_text("beta", 2).replace("order = 2", 'order = "two"'))
    problem = only_problem(load(content), "beta.md")
    assert problem.field == "order"
    assert problem.line == 5
    assert "whole number" in problem.message


def test_a_blank_line_before_a_field_does_not_shift_its_line(content: ContentFolder) -> None:
    content.write("en", "beta.md", topic_text("beta", 2).replace("order = 2", '\norder = "two"'))
    assert only_problem(load(content), "beta.md").line == 6
    write_sources(content, '\n[ODD]\ncitation = "Somebody said so."\n\nreliability = "B"\n')
    (problem,) = sources_problems(load(content))
    assert problem.line == RATED_SOURCES.count("\n") + 5


def test_boolean_is_not_accepted_as_a_number(content: ContentFolder) -> None:
    content.write("en", "beta.md", topic_text("beta", 2).replace("order = 2", "order = true"))
    assert only_problem(load(content), "beta.md").field == "order"


def test_unknown_field_is_reported(content: ContentFolder) -> None:
    content.write("en", "beta.md", topic_text("beta", 2, extra='tittle = "typo"'))
    problem = only_problem(load(content), "beta.md")
    assert problem.field == "tittle"


def test_duplicate_id_keeps_the_first_file(content: ContentFolder) -> None:
    content.write("en", "zeta.md", topic_text("alpha", 9, title="Another alpha?"))
    result = load(content)
    problem = only_problem(result, "zeta.md")
    assert problem.field == "id" and "alpha.md" in problem.message
    assert [t.title for t in result.pack.topics].count("Alpha?") == 1


def test_unknown_icon(content: ContentFolder) -> None:
    content.write("en", "beta.md", topic_text("beta", 2).replace('icon = "info"', 'icon = "x"'))
    problem = only_problem(load(content), "beta.md")
    assert problem.field == "icon" and "'x'" in problem.message


def test_bad_encoding_names_the_line(content: ContentFolder) -> None:
    raw = topic_text("beta", 2).encode("utf-8") + "Caf\xe9 au lait.\n".encode("latin-1")
    content.write("en", "beta.md", raw)
    result = load(content)
    problem = only_problem(result, "beta.md")
    assert "UTF-8" in problem.message
    assert problem.line == raw.count(b"\n")
    assert [t.id for t in result.pack.topics] == ["alpha", "gamma"]


def test_file_over_the_size_limit_is_not_read(content: ContentFolder) -> None:
    text = topic_text("beta", 2) + ("word " * (MAX_TOPIC_BYTES // 5 + 10))
    content.write("en", "beta.md", text)
    problem = only_problem(load(content), "beta.md")
    assert "limit" in problem.message


def test_link_to_missing_glossary_term_names_the_line(content: ContentFolder) -> None:
    body = "First line.\n\nSee [NMDA](glossary:nmda-receptor) here.\n"
    content.write("en", "beta.md", topic_text("beta", 2, body=body))
    problem = only_problem(load(content), "beta.md")
    assert "nmda-receptor" in problem.message
    assert problem.line == 14  # 11 front-matter lines + 2 fences, then the body's 3rd line


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Visit [us](https://clinic.example).\n", "may only link to glossary"),
        ("![x](picture.png)\n", "image"),
        ("# A second title\n\nText.\n", "level-1 heading"),
        ("Text {{price}}.\n", "unknown placeholder"),
        ("```\ncode\n```\n", "code"),
        ("Intro.\n\n## Empty section\n", "has no text"),
        ("## Only a section\n\nText.\n", "no text before its first"),
        ("> " * 12 + "deep\n", "nested"),
    ],
)
def test_refused_markdown(content: ContentFolder, body: str, expected: str) -> None:
    content.write("en", "beta.md", topic_text("beta", 2, body=body))
    result = load(content)
    assert expected in only_problem(result, "beta.md").message
    assert [t.id for t in result.pack.topics] == ["alpha", "gamma"]


def test_raw_html_is_shown_as_text_not_interpreted(content: ContentFolder) -> None:
    body = 'Hello <script>alert("x")</script> <b>bold</b>.\n'
    content.write("en", "beta.md", topic_text("beta", 2, body=body))
    topic = load(content).pack.topic("beta")
    assert "<script>" not in topic.intro.html and "&lt;script&gt;" in topic.intro.html
    assert "<b>" not in topic.intro.html


def test_missing_front_matter(content: ContentFolder) -> None:
    content.write("en", "beta.md", "Just text, no front matter.\n")
    problem = only_problem(load(content), "beta.md")
    assert problem.line == 1 and "+++" in problem.message


def test_deeply_nested_toml_is_refused_not_crashed(content: ContentFolder) -> None:
    nested = "x = " + "[" * 5000 + "]" * 5000
    content.write("en", "beta.md", "+++\n" + nested + "\n+++\nText.\n")
    result = load(content)
    assert only_problem(result, "beta.md")
    assert [t.id for t in result.pack.topics] == ["alpha", "gamma"]


def test_reviewed_topic_needs_a_reviewer(content: ContentFolder) -> None:
    text = topic_text("beta", 2).replace('"awaiting-clinical-review"', '"clinically-reviewed"')
    content.write("en", "beta.md", text)
    assert only_problem(load(content), "beta.md").field == "reviewed_by"
    content.write(
        "en", "beta.md", text.replace("sources =", 'reviewed_by = "Psychiatrist"\nsources =')
    )
    topic = load(content).pack.topic("beta")
    assert topic.review_status is ReviewStatus.REVIEWED and topic.reviewed_by == "Psychiatrist"


def test_short_title_labels_the_tile(content: ContentFolder) -> None:
    content.write("en", "beta.md", topic_text("beta", 2, extra='short_title = "Beta in brief"'))
    topic = load(content).pack.topic("beta")
    assert (topic.tile_title, topic.title) == ("Beta in brief", "Beta?")
    assert load(content).pack.topic("alpha").tile_title == "Alpha?"  # falls back to the title
    long = "x" * 33
    content.write("en", "beta.md", topic_text("beta", 2, extra=f'short_title = "{long}"'))
    assert only_problem(load(content), "beta.md").field == "short_title"


def test_unknown_source_key(content: ContentFolder) -> None:
    content.write("en", "beta.md", topic_text("beta", 2).replace('["KETALAR"]', '["NOPE"]'))
    assert only_problem(load(content), "beta.md").field == "sources"


# -- sources.toml: every source says how far it can be trusted ---------------------------------

RATED_SOURCES = """\
[KETALAR]
reliability = "A"
citation = "Ketalar (ketamine hydrochloride) injection, FDA prescribing information."

[NEWS]
reliability = "S"
citation = "A news report of an FDA warning."

[CLINIC]
reliability = "C"
citation = "Another clinic's price page."
read_via = ["https://clinic.example/prices"]
"""


def write_sources(content: ContentFolder, extra: str = "") -> None:
    (content.root / "sources.toml").write_text(RATED_SOURCES + extra, encoding="utf-8")


def cite(content: ContentFolder, topic_id: str, order: int, keys: str) -> None:
    content.write("en", f"{topic_id}.md", topic_text(topic_id, order).replace('["KETALAR"]', keys))


def sources_problems(result) -> list[Problem]:
    return [p for p in result.problems if p.path.name == "sources.toml"]


def test_sources_carry_their_reliability_and_citation(content: ContentFolder) -> None:
    write_sources(content)
    result = load(content)
    assert result.problems == []
    sources = result.pack.sources
    assert {key: s.reliability for key, s in sources.items()} == {
        "KETALAR": Reliability.AUTHORITATIVE,
        "NEWS": Reliability.SECONDARY,
        "CLINIC": Reliability.COMMERCIAL,
    }
    assert sources["KETALAR"].citation.startswith("Ketalar (ketamine hydrochloride) injection")
    assert sources["KETALAR"].url == ""  # read_via is provenance for reviewers: never loaded
    assert sources["CLINIC"].url == ""


def test_a_source_without_reliability_is_named_with_its_line(content: ContentFolder) -> None:
    write_sources(content, '\n[UNRATED]\ncitation = "Somebody said so."\n')
    cite(content, "beta", 2, '["KETALAR", "UNRATED"]')
    result = load(content)
    (problem,) = sources_problems(result)
    assert problem.field == "UNRATED.reliability"
    assert problem.line == RATED_SOURCES.count("\n") + 2  # its [UNRATED] line
    assert "required" in problem.message and "A (authoritative)" in problem.message
    # The rest keeps loading: the other sources, and the topic that cites the broken one
    # (which is never shown).
    assert set(result.pack.sources) == {"KETALAR", "NEWS", "CLINIC"}
    beta = result.pack.topic("beta")
    assert beta is not None and beta.sources == ("KETALAR", "UNRATED")
    assert [s.key for s in result.pack.patient_sources(beta)] == ["KETALAR"]
    assert [t.id for t in result.pack.topics] == ["alpha", "beta", "gamma"]
    assert not [p for p in result.problems if p.path.name == "beta.md"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"B"', "'B' must be A (authoritative), S (secondary) or C"),
        ('"a"', "'a' must be"),
        ("1", "must be text"),
    ],
)
def test_a_bad_reliability_is_named_with_its_own_line(
    content: ContentFolder, value: str, message: str
) -> None:
    # Every table has a reliability line: the problem points at this table's, not the first.
    write_sources(content, f'\n[ODD]\ncitation = "Somebody said so."\nreliability = {value}\n')
    result = load(content)
    (problem,) = sources_problems(result)
    assert problem.field == "ODD.reliability"
    assert problem.line == RATED_SOURCES.count("\n") + 4
    assert message in problem.message
    assert "ODD" not in result.pack.sources and "KETALAR" in result.pack.sources


def test_a_source_needs_a_citation_and_only_known_fields(content: ContentFolder) -> None:
    write_sources(content, '\n[OLD]\nreliability = "A"\ntitle = "An old-style title"\n')
    problems = {p.field: p for p in sources_problems(load(content))}
    assert set(problems) == {"OLD.citation", "OLD.title"}
    assert "required" in problems["OLD.citation"].message
    assert problems["OLD.citation"].line == RATED_SOURCES.count("\n") + 2
    assert "not a known source field" in problems["OLD.title"].message


def test_a_shown_url_must_be_a_web_address(content: ContentFolder) -> None:
    write_sources(content, '\n[ODD]\nreliability = "A"\ncitation = "X."\nurl = "www.x.org"\n')
    (problem,) = sources_problems(load(content))
    assert problem.field == "ODD.url"


def test_citing_a_commercial_source_is_a_problem_and_it_is_never_shown(
    content: ContentFolder,
) -> None:
    write_sources(content)
    cite(content, "beta", 2, '["KETALAR", "CLINIC", "NEWS"]')
    result = load(content)
    (problem,) = [p for p in result.problems if p.path.name == "beta.md"]
    assert problem.field == "sources" and problem.line == 9
    assert "'CLINIC'" in problem.message and "commercial" in problem.message
    # Not fatal: the topic still shows, only without the commercial source.
    beta = result.pack.topic("beta")
    assert beta is not None
    assert [s.key for s in result.pack.patient_sources(beta)] == ["KETALAR", "NEWS"]


def test_checklist_topic_collects_its_questions(content: ContentFolder) -> None:
    body = "Tick what you want to ask.\n\n- Why me?\n- What **dose**?\n\nBring it along.\n"
    content.write("en", "beta.md", topic_text("beta", 2, body=body, extra='kind = "checklist"'))
    topic = load(content).pack.topic("beta")
    assert topic.kind is TopicKind.CHECKLIST
    assert topic.checklist == ("Why me?", "What dose?")
    # The questions are taken out of the text around them (the screen shows them as ticks).
    assert topic.intro.text == "Tick what you want to ask."
    assert "Why me" not in topic.intro.html
    assert topic.after_checklist is not None
    assert topic.after_checklist.text == "Bring it along."


def test_broken_pack_file_is_reported(content: ContentFolder) -> None:
    pack = content.root / "en" / "pack.toml"
    pack.write_text(pack.read_text().replace('disclaimer = "General', 'disclaimr = "General'))
    result = load(content)
    assert result.pack is None
    assert any(p.field == "pack.disclaimer" for p in result.problems)


def test_missing_language_folder(content: ContentFolder) -> None:
    result = load(content, language="fr")
    assert result.pack is None and "does not exist" in result.problems[0].message


def test_languages_found(content: ContentFolder) -> None:
    content.add_language("es", "Español")
    (content.root / "notes").mkdir()
    assert ContentLoader(ICONS).languages(content.root) == ["en", "es"]


def test_problem_text_names_file_line_and_field() -> None:
    problem = Problem(Path("content/en/a.md"), "must be text", 4, "title")
    assert str(problem) == "content/en/a.md:4: field 'title': must be text"


@pytest.mark.expected_logs("content problem")
def test_a_problem_in_the_shared_sources_file_is_reported_once(content: ContentFolder) -> None:
    from kiosk.content.library import load_library
    from kiosk.settings import Settings

    content.add_language("es", "Español")
    (content.root / "sources.toml").write_text(
        (content.root / "sources.toml").read_text(encoding="utf-8")
        + '\n[BROKEN]\nreliability = "A"\ncitation = 3\n',
        encoding="utf-8",
    )
    library = load_library(ContentLoader({"info"}), content.root, Settings())
    about_sources = [p for p in library.problems if p.path.name == "sources.toml"]
    assert len(about_sources) == 1
    assert set(library.packs) == {"en", "es"}  # both languages still load
