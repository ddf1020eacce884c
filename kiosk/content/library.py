"""All the content the kiosk can show, every language loaded once at start-up."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from kiosk.content.model import Pack
from kiosk.problems import Problem
from kiosk.settings import Settings

if TYPE_CHECKING:
    # The loader imports the Markdown parser; a start-up served from the content cache
    # (kiosk.content.cache) never needs it.
    from kiosk.content.loader import ContentLoader

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ContentLibrary:
    packs: Mapping[str, Pack]
    problems: tuple[Problem, ...] = ()
    source: Path = field(default_factory=Path)

    @property
    def languages(self) -> list[tuple[str, str]]:
        """(code, name in its own language) for every language that loaded."""
        return [(code, pack.language_name) for code, pack in self.packs.items()]

    def pack(self, language: str) -> Pack:
        """The pack for a language, or the first that loaded."""
        return self.packs.get(language) or next(iter(self.packs.values()))

    def has(self, language: str) -> bool:
        return language in self.packs


def load_library(
    loader: ContentLoader, root: Path, settings: Settings, fallback: Path | None = None
) -> ContentLibrary:
    """Load every language in root; if none loads and a fallback folder is given, use it."""
    problems: list[Problem] = []
    packs = _load_all(loader, root, settings, problems)
    if not packs and fallback is not None and fallback.resolve() != root.resolve():
        logger.error("no usable content in %s; showing the bundled content instead", root)
        problems.append(
            Problem(root, "has no usable language pack; the bundled content is shown instead")
        )
        packs = _load_all(loader, fallback, settings, problems)
        root = fallback
    for problem in problems:
        logger.error("content problem: %s", problem)
    return ContentLibrary(MappingProxyType(packs), tuple(problems), root)


def _load_all(
    loader: ContentLoader, root: Path, settings: Settings, problems: list[Problem]
) -> dict[str, Pack]:
    packs: dict[str, Pack] = {}
    languages = loader.languages(root)
    if not languages:
        problems.append(Problem(root, "contains no language folder with a pack.toml"))
    for language in _default_first(languages, settings.language):
        result = loader.load(root, language, settings.wording_for(language), settings.hidden_topics)
        # Files shared by the languages (sources.toml) would report each problem per language.
        problems.extend(p for p in result.problems if p not in problems)
        if result.pack is not None:
            packs[language] = result.pack
    return packs


def _default_first(languages: Collection[str], default: str) -> list[str]:
    return sorted(languages, key=lambda code: (code != default, code))
