"""A cache of the parsed content, so a start-up does not parse Markdown that has not changed.

Parsing both languages (and importing the Markdown parser) is ~70 ms of a ~400 ms start.
The cache sits in the kiosk's own data folder and is used only when everything it was built
from is unchanged: every file in the content folders (path, size, modification time), the
loader's own code, the clinic's wording and hidden topics, and the icons. Anything else, or
any trouble reading it, means a normal load; the cache can never show stale content.
It is a pickle, read only from the kiosk's own data folder, which only the kiosk writes.
"""

from __future__ import annotations

import logging
import pickle
import sys
from collections.abc import Callable, Collection
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kiosk.atomic import write_atomically
from kiosk.content.library import ContentLibrary
from kiosk.content.model import Pack
from kiosk.settings import Settings

logger = logging.getLogger(__name__)

CACHE_FILE = "content-cache.pickle"
FORMAT = 1
_CODE = Path(__file__).resolve().parent

Key = tuple[Any, ...]


def cache_key(roots: Collection[Path], settings: Settings, icons: Collection[str]) -> Key:
    """Everything the parsed content depends on, cheap to compute (file metadata only)."""
    files: list[tuple[str, int, int]] = []
    for folder in (*roots, _CODE):
        for path in sorted(_files(folder)):
            try:
                stat = path.stat()
            except OSError:  # gone since it was listed, or a link gone bad: not content
                continue
            files.append((str(path), stat.st_size, stat.st_mtime_ns))
    wording = tuple(
        sorted((lang, tuple(sorted(values.items()))) for lang, values in settings.wording.items())
    )
    return (
        FORMAT,
        sys.version,
        tuple(files),
        wording,
        tuple(sorted(settings.hidden_topics)),
        settings.language,
        (settings.require_signed, settings.trust_bundled_key, settings.content_public_keys),
        tuple(sorted(icons)),
    )


def load_cached(path: Path, key: Key) -> ContentLibrary | None:
    """The cached library if it was built from exactly this key, else None."""
    try:
        with path.open("rb") as f:
            stored = pickle.load(f)
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        packs = {language: _thaw(state) for language, state in stored["packs"].items()}
        return ContentLibrary(MappingProxyType(packs), tuple(stored["problems"]), stored["source"])
    except FileNotFoundError:
        return None
    except Exception as error:  # a damaged cache is only a slower start
        logger.warning("ignoring the content cache %s: %s", path, error)
        return None


def save_cache(path: Path, key: Key, library: ContentLibrary) -> None:
    """Write the cache atomically; failure (a full disk) only costs the next start time."""
    state = {
        "key": key,
        "packs": {language: _freeze(pack) for language, pack in library.packs.items()},
        "problems": list(library.problems),
        "source": library.source,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, lambda f: pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as error:
        logger.warning("cannot write the content cache %s: %s", path, error)


def cached_library(
    path: Path,
    roots: Collection[Path],
    settings: Settings,
    icons: Collection[str],
    load: Callable[[], ContentLibrary],
) -> ContentLibrary:
    """The library from the cache when it is current, else from `load` (and cache that)."""
    key = cache_key(roots, settings, icons)
    library = load_cached(path, key)
    if library is not None:
        for problem in library.problems:
            logger.error("content problem: %s", problem)
        return library
    library = load()
    if library.packs:
        save_cache(path, key, library)
    return library


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def _freeze(pack: Pack) -> dict[str, Any]:
    # Mapping proxies cannot be pickled; store plain dicts and wrap them again on load.
    state = {name: getattr(pack, name) for name in Pack.__dataclass_fields__}
    state["glossary"] = dict(pack.glossary)
    state["sources"] = dict(pack.sources)
    return state


def _thaw(state: dict[str, Any]) -> Pack:
    state = dict(state)
    state["glossary"] = MappingProxyType(state["glossary"])
    state["sources"] = MappingProxyType(state["sources"])
    return Pack(**state)
