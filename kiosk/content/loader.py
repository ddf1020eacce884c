"""Loads and validates a content folder. A broken file is reported and skipped; the rest load.

Layout:  <content>/sources.toml                 shared list of sources, by key
         <content>/<language>/pack.toml         title, disclaimer, crisis text, glossary
         <content>/<language>/<topic-id>.md     one topic: +++ TOML front matter +++, Markdown

Nothing in a content file can run code (TOML has no tags or aliases, raw HTML is off), and
sizes are capped before parsing so no file can exhaust memory.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from markdown_it import MarkdownIt

from kiosk.content.markdown import make_parser, render_body
from kiosk.content.model import (
    CRISIS_TOPIC_ID,
    Crisis,
    GlossaryTerm,
    Pack,
    Reliability,
    ReviewStatus,
    Source,
    Topic,
    TopicKind,
)
from kiosk.files import NotARegularFile, read_regular_file
from kiosk.problems import Problem
from kiosk.tomlfile import FieldReader, key_line, toml_error_line, toml_error_message

MAX_TOPIC_BYTES = 64 * 1024
MAX_PACK_BYTES = 256 * 1024
MAX_FRONT_MATTER_LINES = 60
MAX_TOPICS = 60
FRONT_MATTER_FENCE = "+++"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
TOPIC_FIELDS = {
    "id",
    "title",
    "summary",
    "order",
    "icon",
    "last_reviewed",
    "review_status",
    "reviewed_by",
    "next_review",
    "version",
    "sources",
    "kind",
    "short_title",
}
SOURCE_FIELDS = {"citation", "reliability", "url", "read_via"}
MAX_CHECKLIST_ITEMS = 20
TEXT_LIMITS = {"title": 90, "short_title": 32, "summary": 90, "reviewed_by": 80}
PACK_FIELDS = (
    "title",
    "language_name",
    "welcome",
    "disclaimer",
    "care_team_prompt",
    "start_button",
)
CRISIS_FIELDS = (
    "title",
    "summary",
    "intro",
    "lifeline_heading",
    "lifeline_text",
    "emergency_heading",
    "emergency_text",
    "front_desk_heading",
    "front_desk_text",
    "closing",
)


@dataclass
class LoadResult:
    pack: Pack | None
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Sources:
    """sources.toml as loaded: the usable entries, and the keys of broken ones (reported
    already; a topic may cite them, but they are never shown)."""

    usable: Mapping[str, Source]
    broken: frozenset[str]

    def known(self, key: object) -> bool:
        return isinstance(key, str) and (key in self.usable or key in self.broken)


class ContentLoader:
    """Reads content folders against the icons that exist and the clinic's wording."""

    def __init__(self, known_icons: Collection[str]) -> None:
        self._icons = frozenset(known_icons)
        self._md: MarkdownIt = make_parser()

    def languages(self, root: Path) -> list[str]:
        if not root.is_dir():
            return []
        return sorted(p.name for p in root.iterdir() if (p / "pack.toml").is_file())

    def load(
        self,
        root: Path,
        language: str,
        wording: Mapping[str, str] | None = None,
        hidden_topics: Collection[str] = (),
    ) -> LoadResult:
        problems: list[Problem] = []
        folder = root / language
        if not folder.is_dir():
            return LoadResult(None, [Problem(folder, "content folder does not exist")])
        sources = self._load_sources(root / "sources.toml", problems)
        pack_file = folder / "pack.toml"
        pack_data = self._read_toml(pack_file, MAX_PACK_BYTES, problems)
        if pack_data is None:
            return LoadResult(None, problems)
        data, text = pack_data
        reader = FieldReader(pack_file, text)
        values = self._placeholder_values(reader, data, wording or {})
        glossary = self._glossary(reader, data)
        crisis = self._crisis(reader, data, values)
        meta = reader.get(data, "pack", dict, {}, required=True)
        strings = self._texts(reader, meta, "pack", PACK_FIELDS, values)
        problems += reader.problems
        if crisis is None or not all(strings.values()):
            return LoadResult(None, problems)

        topics = self._topics(folder, glossary, sources, values, problems)
        hidden = set(hidden_topics)
        pack = Pack(
            language=language,
            language_name=strings["language_name"],
            title=strings["title"],
            welcome=strings["welcome"],
            disclaimer=strings["disclaimer"],
            care_team_prompt=strings["care_team_prompt"],
            start_button=strings["start_button"],
            crisis=crisis,
            topics=tuple(t for t in topics if t.id not in hidden),
            glossary=MappingProxyType(glossary),
            sources=MappingProxyType(dict(sources.usable)),
        )
        return LoadResult(pack, problems)

    # -- files ---------------------------------------------------------------------------

    def _read_text(self, path: Path, limit: int, problems: list[Problem]) -> str | None:
        try:
            raw = read_regular_file(path, limit)
        except NotARegularFile as error:
            problems.append(Problem(path, f"{error.strerror}; skipped"))
            return None
        except OSError as error:
            problems.append(Problem(path, f"cannot be read: {error.strerror or error}"))
            return None
        if len(raw) > limit:
            problems.append(Problem(path, f"is over the limit of {limit} bytes"))
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            problems.append(Problem(path, f"is not valid UTF-8 text (byte {error.start})", line))
            return None

    def _read_toml(
        self, path: Path, limit: int, problems: list[Problem]
    ) -> tuple[dict[str, Any], str] | None:
        if not path.exists():
            problems.append(Problem(path, "is missing"))
            return None
        text = self._read_text(path, limit, problems)
        if text is None:
            return None
        data = _parse_toml(path, text, 0, problems)
        return None if data is None else (data, text)

    # -- pack ----------------------------------------------------------------------------

    def _load_sources(self, path: Path, problems: list[Problem]) -> Sources:
        """Every usable source in sources.toml. A broken entry is reported and never shown,
        but topics citing it still load: one bad entry must not hide whole topics."""
        result = self._read_toml(path, MAX_PACK_BYTES, problems)
        if result is None:
            return Sources({}, frozenset())
        data, text = result
        sources: dict[str, Source] = {}
        broken: set[str] = set()
        for key, entry in data.items():
            header = _table_line(text, key) or key_line(text, key)
            reader = FieldReader(path, _table_text(text, header), line_offset=(header or 1) - 1)
            source = self._source(reader, key, entry)
            # A missing field has no line of its own: point at the entry's [KEY] line.
            problems += [p if p.line else replace(p, line=header) for p in reader.problems]
            if source is None:
                broken.add(key)
            else:
                sources[key] = source
        return Sources(sources, frozenset(broken))

    def _source(self, reader: FieldReader, key: str, entry: object) -> Source | None:
        if not isinstance(entry, dict):
            reader.problems.append(
                Problem(reader.path, "must be a table with a citation and a reliability", None, key)
            )
            return None
        for name in sorted(entry.keys() - SOURCE_FIELDS):
            reader.problem(f"{key}.{name}", "is not a known source field")
        citation = " ".join(
            reader.get(entry, "citation", str, "", required=True, name=f"{key}.citation").split()
        )
        if not citation and isinstance(entry.get("citation"), str):
            reader.problem(f"{key}.citation", "must not be empty")
        reliability = self._reliability(reader, key, entry)
        url = reader.get(entry, "url", str, "", name=f"{key}.url").strip()
        if url and not url.startswith(("https://", "http://")):
            reader.problem(f"{key}.url", f"'{url}' must be a web address starting https://")
        read_via = reader.get(entry, "read_via", list, [], name=f"{key}.read_via")
        if not all(isinstance(item, str) for item in read_via):
            reader.problem(f"{key}.read_via", "must be a list of text")
        if reader.problems or reliability is None:
            return None
        return Source(key, citation, reliability, url)

    def _reliability(
        self, reader: FieldReader, key: str, entry: dict[str, Any]
    ) -> Reliability | None:
        name = f"{key}.reliability"
        allowed = "A (authoritative), S (secondary) or C (commercial), as the content brief tags it"
        if "reliability" not in entry:
            reader.problems.append(
                Problem(reader.path, f"is required but missing: give {allowed}", None, name)
            )
            return None
        value = reader.get(entry, "reliability", str, None, name=name)
        if value is None:
            return None
        try:
            return Reliability(value)
        except ValueError:
            reader.problem(name, f"'{value}' must be {allowed}")
            return None

    def _placeholder_values(
        self, reader: FieldReader, data: dict[str, Any], wording: Mapping[str, str]
    ) -> dict[str, str]:
        defaults = reader.get(data, "defaults", dict, {})
        values = {k: v for k, v in defaults.items() if isinstance(v, str)}
        for key in defaults.keys() - values.keys():
            reader.problem(f"defaults.{key}", "must be text")
        values.update(wording)
        return values

    def _fill(self, reader: FieldReader, name: str, text: str, values: Mapping[str, str]) -> str:
        def replace(match: re.Match[str]) -> str:
            key = match.group(1)
            if key not in values:
                reader.problem(name, f"uses unknown placeholder {{{{{key}}}}}")
                return match.group(0)
            return values[key]

        return PLACEHOLDER.sub(replace, text)

    def _texts(
        self,
        reader: FieldReader,
        table: dict[str, Any],
        name: str,
        keys: tuple[str, ...],
        values: Mapping[str, str],
    ) -> dict[str, str]:
        """Required text fields of a table, with their {{placeholders}} filled in."""
        return {
            key: self._fill(
                reader,
                key,
                reader.get(table, key, str, "", required=True, name=f"{name}.{key}"),
                values,
            )
            for key in keys
        }

    def _glossary(self, reader: FieldReader, data: dict[str, Any]) -> dict[str, GlossaryTerm]:
        entries = reader.get(data, "glossary", list, [])
        glossary: dict[str, GlossaryTerm] = {}
        for n, entry in enumerate(entries, 1):
            name = f"glossary[{n}]"
            if not isinstance(entry, dict):
                reader.problem("glossary", f"entry {n} must be a table")
                continue
            term_id = reader.get(entry, "id", str, "", required=True, name=f"{name}.id")
            term = reader.get(entry, "term", str, "", required=True, name=f"{name}.term")
            definition = reader.get(
                entry, "definition", str, "", required=True, name=f"{name}.definition"
            )
            if term_id and not ID_PATTERN.match(term_id):
                reader.problem(
                    f"{name}.id", f"'{term_id}' must be lower-case letters, digits and '-'"
                )
            elif term_id in glossary:
                reader.problem(f"{name}.id", f"'{term_id}' is defined twice")
            elif term_id and term and definition:
                glossary[term_id] = GlossaryTerm(term_id, term.strip(), definition.strip())
        return glossary

    def _crisis(
        self, reader: FieldReader, data: dict[str, Any], values: Mapping[str, str]
    ) -> Crisis | None:
        table = reader.get(data, "crisis", dict, {}, required=True)
        texts = self._texts(reader, table, "crisis", CRISIS_FIELDS, values)
        if not all(texts.values()):
            return None
        return Crisis(**texts)

    # -- topics --------------------------------------------------------------------------

    def _topics(
        self,
        folder: Path,
        glossary: Mapping[str, GlossaryTerm],
        sources: Sources,
        values: Mapping[str, str],
        problems: list[Problem],
    ) -> list[Topic]:
        files = sorted(folder.glob("*.md"))
        if len(files) > MAX_TOPICS:
            problems.append(
                Problem(
                    folder, f"has {len(files)} topic files; only the first {MAX_TOPICS} are read"
                )
            )
            files = files[:MAX_TOPICS]
        topics: dict[str, Topic] = {}
        for path in files:
            topic = self._topic(path, glossary, sources, values, problems)
            if topic is None:
                continue
            if topic.id in topics or topic.id == CRISIS_TOPIC_ID:
                other = topics[topic.id].path.name if topic.id in topics else "the crisis screen"
                problems.append(
                    Problem(
                        path,
                        f"id '{topic.id}' is already used by {other}",
                        _front_matter_line(path, "id"),
                        "id",
                    )
                )
                continue
            topics[topic.id] = topic
        return sorted(topics.values(), key=lambda t: (t.order, t.id))

    def _topic(
        self,
        path: Path,
        glossary: Mapping[str, GlossaryTerm],
        sources: Sources,
        values: Mapping[str, str],
        problems: list[Problem],
    ) -> Topic | None:
        text = self._read_text(path, MAX_TOPIC_BYTES, problems)
        if text is None:
            return None
        split = _split_front_matter(path, text, problems)
        if split is None:
            return None
        front_text, body, body_line = split
        own: list[Problem] = []
        data = _parse_toml(path, front_text, 1, own)
        if data is None:
            problems += own
            return None
        reader = FieldReader(path, front_text, line_offset=1)
        for key in sorted(data.keys() - TOPIC_FIELDS):
            reader.problem(key, "is not a known topic field")
        fields = self._topic_fields(reader, data, sources)
        # Not fatal: the topic still shows, without the source (Pack.patient_sources).
        problems += self._commercial_cites(reader, fields, sources)
        body = self._fill_body(path, body, body_line, values, reader)
        is_checklist = fields is not None and fields["kind"] is TopicKind.CHECKLIST
        rendered = render_body(self._md, body, checklist=is_checklist)
        for issue in rendered.issues:
            own.append(Problem(path, f"body {issue.message}", issue.line + body_line - 1))
        for term_id, line in sorted(rendered.glossary_links.items()):
            if term_id not in glossary:
                own.append(
                    Problem(
                        path,
                        f"links to glossary term '{term_id}', which the glossary does not define",
                        line + body_line - 1,
                    )
                )
        checklist: tuple[str, ...] = ()
        if is_checklist:
            checklist = tuple(rendered.first_list)
            if not 1 <= len(checklist) <= MAX_CHECKLIST_ITEMS:
                own.append(
                    Problem(
                        path,
                        "a checklist topic needs a bullet list of 1 to "
                        f"{MAX_CHECKLIST_ITEMS} questions before its first "
                        "## section",
                        body_line,
                        "kind",
                    )
                )
        own = reader.problems + own
        if not rendered.intro.text and rendered.after_list is None:
            own.append(Problem(path, "has no text before its first ## section", body_line))
        problems += own
        if own or fields is None:
            return None
        return Topic(
            intro=rendered.intro,
            sections=tuple(rendered.sections),
            glossary_ids=frozenset(rendered.glossary_links),
            path=path,
            checklist=checklist,
            after_checklist=rendered.after_list,
            **fields,
        )

    def _topic_fields(
        self, reader: FieldReader, data: dict[str, Any], sources: Sources
    ) -> dict[str, Any] | None:
        before = len(reader.problems)
        topic_id = reader.get(data, "id", str, "", required=True)
        if topic_id and not ID_PATTERN.match(topic_id):
            reader.problem("id", f"'{topic_id}' must be lower-case letters, digits and '-'")
        texts = {}
        for key in ("title", "summary"):
            texts[key] = reader.get(data, key, str, "", required=True).strip()
        order = reader.get(data, "order", int, 0, required=True)
        icon = reader.get(data, "icon", str, "", required=True)
        if icon and icon not in self._icons:
            reader.problem("icon", f"'{icon}' is not an icon in assets/icons")
        reviewed = reader.get(data, "last_reviewed", date, date.min, required=True)
        if isinstance(reviewed, datetime):
            reader.problem("last_reviewed", "must be a date such as 2026-11-20, without a time")
        status_text = reader.get(data, "review_status", str, "", required=True)
        try:
            status = ReviewStatus(status_text)
        except ValueError:
            status = ReviewStatus.AWAITING
            if status_text:
                allowed = ", ".join(s.value for s in ReviewStatus)
                reader.problem("review_status", f"'{status_text}' must be one of: {allowed}")
        reviewed_by = reader.get(data, "reviewed_by", str, "").strip()
        if status is ReviewStatus.REVIEWED and not reviewed_by:
            reader.problem(
                "reviewed_by", "must name the reviewer's role when the topic is clinically reviewed"
            )
        next_review = reader.get(data, "next_review", date, None)
        if isinstance(next_review, datetime):
            reader.problem("next_review", "must be a date such as 2028-11-20, without a time")
        elif next_review is not None and isinstance(reviewed, date) and next_review < reviewed:
            reader.problem("next_review", "must not be before last_reviewed")
        version = reader.get(data, "version", int, 1)
        if isinstance(version, bool) or version < 1:
            reader.problem("version", "must be a whole number of at least 1")
        texts["short_title"] = reader.get(data, "short_title", str, "").strip()
        for key, value in (*texts.items(), ("reviewed_by", reviewed_by)):
            if len(value) > TEXT_LIMITS[key]:
                reader.problem(key, f"is {len(value)} characters; the limit is {TEXT_LIMITS[key]}")
        kind_text = reader.get(data, "kind", str, TopicKind.ARTICLE.value)
        try:
            kind = TopicKind(kind_text)
        except ValueError:
            kind = TopicKind.ARTICLE
            allowed = ", ".join(k.value for k in TopicKind)
            reader.problem("kind", f"'{kind_text}' must be one of: {allowed}")
        source_keys = reader.get(data, "sources", list, [], required=True)
        for key in source_keys:
            if not sources.known(key):
                reader.problem("sources", f"'{key}' is not listed in sources.toml")
        if len(reader.problems) > before:
            return None
        return {
            "id": topic_id,
            "order": order,
            "icon": icon,
            "last_reviewed": reviewed,
            "review_status": status,
            "reviewed_by": reviewed_by,
            "next_review": next_review,
            "version": version,
            "sources": tuple(source_keys),
            "kind": kind,
            **texts,
        }

    def _commercial_cites(
        self, reader: FieldReader, fields: dict[str, Any] | None, sources: Sources
    ) -> list[Problem]:
        if fields is None:
            return []
        line = key_line(reader.text, "sources", reader.line_offset)
        return [
            Problem(
                reader.path,
                f"cites '{key}', a commercial [C] source, which patients are never shown and "
                "which is no evidence: cite the brief's authoritative [A] source for the fact "
                "(or its [S] source where it has no [A])",
                line,
                "sources",
            )
            for key in fields["sources"]
            if key in sources.usable and not sources.usable[key].shown_to_patients
        ]

    def _fill_body(
        self, path: Path, body: str, body_line: int, values: Mapping[str, str], reader: FieldReader
    ) -> str:
        def replace(match: re.Match[str]) -> str:
            key = match.group(1)
            if key in values:
                return values[key]
            line = body.count("\n", 0, match.start()) + body_line
            reader.problems.append(Problem(path, f"uses unknown placeholder {{{{{key}}}}}", line))
            return match.group(0)

        return PLACEHOLDER.sub(replace, body)


def _parse_toml(
    path: Path, text: str, line_offset: int, problems: list[Problem]
) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problems.append(
            Problem(path, toml_error_message(error), toml_error_line(error, line_offset))
        )
    except RecursionError:
        problems.append(Problem(path, "is nested too deeply to read"))
    return None


def _split_front_matter(
    path: Path, text: str, problems: list[Problem]
) -> tuple[str, str, int] | None:
    """(front matter, body, first line of body) of a topic file."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        problems.append(
            Problem(
                path,
                f"must start with a '{FRONT_MATTER_FENCE}' line that opens the TOML front matter",
                1,
            )
        )
        return None
    for n, line in enumerate(lines[1 : MAX_FRONT_MATTER_LINES + 2], start=1):
        if line.strip() == FRONT_MATTER_FENCE:
            return "\n".join(lines[1:n]), "\n".join(lines[n + 1 :]), n + 2
    problems.append(
        Problem(
            path,
            f"front matter is not closed by a '{FRONT_MATTER_FENCE}' line "
            f"within {MAX_FRONT_MATTER_LINES} lines",
            1,
        )
    )
    return None


def _table_line(text: str, key: str) -> int | None:
    """The line of a table's [KEY] header (bare or quoted)."""
    quoted = re.escape(key)
    # [ \t]*, not \s*: \s would run over a blank line and count the header a line early.
    pattern = re.compile(rf"^[ \t]*\[[ \t]*(?:{quoted}|\"{quoted}\"|'{quoted}')[ \t]*\]", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _table_text(text: str, header: int | None) -> str:
    """A table's own lines, from its [KEY] header to the next header, so a field's line
    is looked up in its own table and not in the first table that has the same field."""
    if header is None:
        return ""
    lines = text.split("\n")[header - 1 :]
    end = next((n for n, line in enumerate(lines[1:], 1) if line.lstrip().startswith("[")), None)
    return "\n".join(lines[:end])


def _front_matter_line(path: Path, key: str) -> int | None:
    try:
        text = read_regular_file(path, MAX_TOPIC_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    match = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None
