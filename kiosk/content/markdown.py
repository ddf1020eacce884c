"""Topic bodies: a safe Markdown subset rendered to the HTML that Qt's rich text understands.

Raw HTML is off (it is shown as text), images and outside links are refused: a kiosk shows
only what its content files say, and can link only to its own glossary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.content.model import Section

if TYPE_CHECKING:
    # Imported by make_parser, not here: the kiosk's screens need GLOSSARY_SCHEME at
    # start-up, and markdown-it only when content is parsed (not when it comes from the cache).
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

GLOSSARY_SCHEME = "glossary:"
# Glossary links with only a space between them ("IV infusion") become one link to both
# terms, "glossary:iv+infusion": two small targets side by side are one a finger can hit.
GLOSSARY_JOIN = "+"
# Deeply nested lists or quotes are a sign of a broken (or hostile) file, not of content.
MAX_NESTING = 8

_TEXT_BLOCKS = {"paragraph_open", "heading_open", "th_open", "td_open"}
_UNSHOWN = {
    "code_block": "an indented code block",
    "fence": "a ``` code block",
    "hr": "a horizontal rule (---)",
}


@dataclass(slots=True)
class BodyIssue:
    line: int  # 1-based within the body
    message: str


@dataclass(slots=True)
class RenderedBody:
    intro: Section
    sections: list[Section]
    # Each glossary term linked from the body, with the first line that links it.
    glossary_links: dict[str, int] = field(default_factory=dict)
    issues: list[BodyIssue] = field(default_factory=list)
    # The items of the intro's first top-level bullet list (a checklist topic's questions).
    first_list: list[str] = field(default_factory=list)
    # A checklist topic's intro text after its questions, if any.
    after_list: Section | None = None


def make_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt(
        "commonmark",
        {"html": False, "linkify": False, "typographer": False, "maxNesting": MAX_NESTING + 4},
    )
    md.enable("table")
    return md


def render_body(md: MarkdownIt, body: str, checklist: bool = False) -> RenderedBody:
    """Render a topic body. For a checklist, the intro's first bullet list is taken out (it
    becomes tickable questions) and the intro is split around it: `intro` before, `after_list`
    after."""
    tokens = md.parse(body)
    issues = _check(tokens)
    glossary_links = _glossary_links(tokens)
    for token in tokens:
        if token.children:
            token.children = _join_adjacent_glossary_links(token.children)
    groups: list[tuple[str, list[Token]]] = [("", [])]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open" and token.tag == "h2" and token.level == 0:
            groups.append((_inline_text(tokens[i + 1]), []))
            i += 3  # heading_open, inline, heading_close
            continue
        groups[-1][1].append(token)
        i += 1

    def section(title: str, group: list[Token]) -> Section:
        return Section(title, md.renderer.render(group, md.options, {}), _plain_text(group))

    before, listed, after = _split_first_list(groups[0][1])
    first_list = _list_items(listed)
    intro = section("", before if checklist else groups[0][1])
    after_list = section("", after) if checklist and after else None
    rest = [section(title, group) for title, group in groups[1:]]
    for title, group in groups[1:]:
        if not group:
            issues.append(BodyIssue(1, f"section '{title}' has no text"))
    return RenderedBody(intro, rest, glossary_links, issues, first_list, after_list)


def _check(tokens: list[Token]) -> list[BodyIssue]:
    issues: list[BodyIssue] = []
    depth = 0
    line = 1
    for token in tokens:
        if token.map:
            line = token.map[0] + 1
        depth += token.nesting
        if token.nesting > 0 and token.level >= MAX_NESTING:
            issues.append(BodyIssue(line, f"is nested more than {MAX_NESTING} levels deep"))
            break
        if token.type == "heading_open" and token.tag == "h1":
            issues.append(
                BodyIssue(
                    line,
                    "uses a level-1 heading; the title comes from "
                    "the front matter, use ## or ### in the body",
                )
            )
        if token.type in _UNSHOWN:
            issues.append(
                BodyIssue(line, f"contains {_UNSHOWN[token.type]}, which the kiosk does not show")
            )
        for child in token.children or []:
            if child.type == "image":
                issues.append(BodyIssue(line, "contains an image; put pictures in assets/"))
            elif child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if not href.startswith(GLOSSARY_SCHEME):
                    issues.append(
                        BodyIssue(
                            line,
                            f"links to '{href}'; topics may only link to glossary terms "
                            f"({GLOSSARY_SCHEME}term-id)",
                        )
                    )
    return issues


def _glossary_links(tokens: list[Token]) -> dict[str, int]:
    """The first line each glossary term is linked from (for error messages)."""
    lines: dict[str, int] = {}
    line = 1
    for token in tokens:
        if token.map:
            line = token.map[0] + 1
        for child in token.children or []:
            href = str(child.attrGet("href") or "") if child.type == "link_open" else ""
            if href.startswith(GLOSSARY_SCHEME):
                lines.setdefault(href[len(GLOSSARY_SCHEME) :], line)
    return lines


def glossary_ids(target: str) -> list[str]:
    """The term ids a glossary link's target (after the scheme) points at."""
    return [term_id for term_id in target.split(GLOSSARY_JOIN) if term_id]


def _glossary_href(token: Token) -> str:
    href = str(token.attrGet("href") or "") if token.type == "link_open" else ""
    return href if href.startswith(GLOSSARY_SCHEME) else ""


def _join_adjacent_glossary_links(children: list[Token]) -> list[Token]:
    """[a](glossary:x) [b](glossary:y) -> one link "glossary:x+y" around "a b"."""
    result: list[Token] = []
    open_link: Token | None = None  # the glossary link being written, if any
    i = 0
    while i < len(children):
        child = children[i]
        if child.type == "link_open":
            open_link = child if _glossary_href(child) else None
        if (
            child.type == "link_close"
            and open_link is not None
            and i + 2 < len(children)
            and children[i + 1].type == "text"
            and children[i + 1].content.isspace()
            and _glossary_href(children[i + 2])
        ):
            # Keep the space inside the first link (a no-break one: one target, on one line),
            # drop this close and the next open.
            children[i + 1].content = "\u00a0"
            ids = glossary_ids(_glossary_href(open_link)[len(GLOSSARY_SCHEME) :])
            for term_id in glossary_ids(_glossary_href(children[i + 2])[len(GLOSSARY_SCHEME) :]):
                if term_id not in ids:
                    ids.append(term_id)
            open_link.attrSet("href", GLOSSARY_SCHEME + GLOSSARY_JOIN.join(ids))
            result.append(children[i + 1])
            i += 3
            continue
        result.append(child)
        i += 1
    return result


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def _plain_text(tokens: list[Token]) -> str:
    """The words of a body, one block per line, as a reader would hear them."""
    lines: list[str] = []
    for i, token in enumerate(tokens):
        if token.type in _TEXT_BLOCKS and i + 1 < len(tokens) and tokens[i + 1].type == "inline":
            text = _inline_text(tokens[i + 1])
            if text:
                lines.append(text)
    return "\n".join(lines)


def _split_first_list(tokens: list[Token]) -> tuple[list[Token], list[Token], list[Token]]:
    """Tokens before the first top-level bullet list, the list, and those after it."""
    start = next(
        (i for i, t in enumerate(tokens) if t.type == "bullet_list_open" and t.level == 0), None
    )
    if start is None:
        return tokens, [], []
    end = next(
        i
        for i in range(start, len(tokens))
        if tokens[i].type == "bullet_list_close" and tokens[i].level == 0
    )
    return tokens[:start], tokens[start : end + 1], tokens[end + 1 :]


def _list_items(tokens: list[Token]) -> list[str]:
    """The text of each item of a bullet list (its nested lists aside)."""
    return [
        _inline_text(token)
        for i, token in enumerate(tokens)
        if token.type == "inline" and tokens[i - 1].type == "paragraph_open" and token.level == 3
    ]
