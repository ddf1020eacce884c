"""A FIFO, a link to /dev/zero, a socket or a folder where a content file should be.

Each is reported with its file and skipped; nothing blocks, so the kiosk still starts.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.content.loader import ContentLoader, LoadResult
from kiosk.settings import load_settings
from tests.conftest import ContentFolder
from tests.faults.harness import KioskProcess

ICONS = {"info"}


def fifo(path: Path) -> None:
    os.mkfifo(path)


def link_to(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def folder(path: Path) -> None:
    path.mkdir()


@pytest.fixture
def bound_sockets() -> Iterator[list[socket.socket]]:
    made: list[socket.socket] = []
    yield made
    for item in made:
        item.close()


SPECIAL: dict[str, Callable[[Path], None]] = {
    "fifo": fifo,
    "dev-zero": link_to("/dev/zero"),
    "dev-urandom": link_to("/dev/urandom"),
    "folder": folder,
}


def load_within(root: Path, seconds: float = 10) -> LoadResult:
    """Load in a thread, so a read that blocks fails the test instead of hanging it."""
    results: list[LoadResult] = []
    worker = threading.Thread(
        target=lambda: results.append(ContentLoader(ICONS).load(root, "en")), daemon=True
    )
    worker.start()
    worker.join(seconds)
    assert results, f"loading blocked for more than {seconds} s"
    return results[0]


@pytest.mark.parametrize("kind", [*SPECIAL, "socket"])
def test_a_special_topic_file_is_reported_and_the_rest_load(
    content: ContentFolder, kind: str, bound_sockets: list[socket.socket]
) -> None:
    path = content.root / "en" / "x.md"
    if kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        bound_sockets.append(server)
    else:
        SPECIAL[kind](path)
    result = load_within(content.root)
    assert result.pack is not None
    assert [t.id for t in result.pack.topics] == ["alpha", "beta", "gamma"]
    mine = [p for p in result.problems if p.path == path]
    assert len(mine) == 1, result.problems
    assert "not a file" in mine[0].message, mine[0]


@pytest.mark.parametrize("kind", list(SPECIAL))
def test_a_special_sources_file_is_reported_not_read_for_ever(
    content: ContentFolder, kind: str
) -> None:
    path = content.root / "sources.toml"
    path.unlink()
    SPECIAL[kind](path)
    result = load_within(content.root)
    assert any(p.path == path and "not a file" in p.message for p in result.problems)


@pytest.mark.parametrize("kind", list(SPECIAL))
def test_a_special_settings_file_means_the_defaults(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "settings.toml"
    SPECIAL[kind](path)
    settings, problems = load_settings(path)
    assert settings.kiosk_id == "kiosk-1"
    assert len(problems) == 1 and "not a file" in problems[0].message


def test_a_kiosk_with_special_files_in_its_folders_starts_and_is_used(
    tmp_path: Path, content: ContentFolder
) -> None:
    for name, kind in SPECIAL.items():
        kind(content.root / "en" / f"{name}.md")
    data = tmp_path / "data"
    data.mkdir()
    fifo(data / "logo.png")  # the settings file itself as a FIFO: tested above
    (data / "settings.toml").write_text(f'[clinic]\nlogo = "{data / "logo.png"}"\n')
    kiosk = KioskProcess(data, "--content", str(content.root), taps=4)
    try:
        kiosk.wait_up(timeout=30)
        kiosk.wait_for(lambda p: "DONE" in p.lines, 30, "four topics opened")
    finally:
        kiosk.kill()
    log = (data / "logs" / "kiosk.log").read_text()
    for name in SPECIAL:
        assert f"{name}.md" in log, f"{name}.md is not reported in the log"
    assert "cannot read the clinic logo" in log
