"""Signed content bundles: made, verified, refused when tampered with, installed atomically."""

from __future__ import annotations

import io
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import main
from kiosk import cli
from kiosk.content.bundle import (
    BundleRefused,
    ContentStore,
    build_bundle,
    generate_keys,
    read_manifest,
)
from kiosk.content.commands import CONTENT_STORE, examine, review_records
from kiosk.paths import BUNDLED_CONTENT
from kiosk.settings import Settings


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    private, public = generate_keys(tmp_path_factory.mktemp("keys"))
    return private, public.read_text().strip()


@pytest.fixture(scope="module")
def other_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    private, _ = generate_keys(tmp_path_factory.mktemp("other"))
    return private


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory, keys: tuple[Path, str]) -> dict[int, Path]:
    """Versions 1 and 2 of the real content, signed; version 2 has one changed word."""
    folder = tmp_path_factory.mktemp("bundles")
    made: dict[int, Path] = {}
    for version in (1, 2):
        content = folder / f"content-{version}"
        shutil.copytree(BUNDLED_CONTENT, content)
        if version == 2:
            topic = content / "en" / "questions-to-ask.md"
            topic.write_text(topic.read_text().replace("Questions", "Questions", 1) + "\n")
        made[version] = folder / f"v{version}.bundle"
        build_bundle(content, keys[0], made[version], version, review_records(content))
    return made


def rewrite(source: Path, target: Path, edit: Callable[[dict[str, bytes]], None]) -> Path:
    """Copy a bundle with its members changed by `edit`, keeping the signed manifest as is."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    edit(members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def flip(name: str) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        data = bytearray(members[name])
        data[len(data) // 2] ^= 0x01
        members[name] = bytes(data)

    return edit


def store_with_v1(tmp_path: Path, bundles: dict[int, Path], public: str) -> ContentStore:
    store = ContentStore(tmp_path / CONTENT_STORE)
    store.install(bundles[1], [public], examine)
    return store


def test_a_signed_bundle_verifies_installs_and_is_what_the_kiosk_shows(
    tmp_path: Path, bundles: dict[int, Path], keys: tuple[Path, str]
) -> None:
    manifest = read_manifest(bundles[2], [keys[1]])
    assert manifest.version == 2
    assert "en/questions-to-ask.md" in manifest.files
    assert manifest.reviews["en/questions-to-ask"]["status"] == "awaiting-clinical-review"
    store = store_with_v1(tmp_path, bundles, keys[1])
    installed = store.install(bundles[2], [keys[1]], examine)
    assert store.current == installed and installed.version == 2
    assert store.previous is not None and store.previous.version == 1
    _, options = cli.parse(["--data-dir", str(tmp_path), "--windowed"], main.COMMANDS)
    assert options is not None
    library = main.load_content(options, Settings(), {"info"} | _icons())
    assert library.source == installed.folder
    assert library.has("en") and library.has("es")


def _icons() -> set[str]:
    from kiosk.content.commands import known_icons

    return known_icons()


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("flipped byte in a topic", "does not match its signed hash"),
        ("flipped byte in pack.toml", "does not match its signed hash"),
        ("flipped byte in sources.toml", "does not match its signed hash"),
        ("flipped byte in the manifest", "signature does not match"),
        ("missing file", "missing"),
        ("extra file", "not in the signed manifest"),
        ("a path out of the folder", "outside content/"),
        ("wrong key", "signature does not match"),
        ("older version", "is installed"),
        ("same version", "is installed"),
        ("topic that fails content check", "fails content check"),
        ("not a bundle", "cannot be read"),
    ],
)
def test_a_bad_bundle_is_refused_with_its_reason_and_the_old_content_stays(
    tmp_path: Path,
    bundles: dict[int, Path],
    keys: tuple[Path, str],
    other_key: Path,
    case: str,
    reason: str,
) -> None:
    store = store_with_v1(tmp_path, bundles, keys[1])
    before = store.current
    bad = tmp_path / "bad.bundle"
    good = bundles[2]
    if case.startswith("flipped byte in the manifest"):
        rewrite(good, bad, flip("manifest.json"))
    elif case.startswith("flipped byte in a topic"):
        rewrite(good, bad, flip("content/en/side-effects-and-safety.md"))
    elif case.startswith("flipped byte in pack.toml"):
        rewrite(good, bad, flip("content/es/pack.toml"))
    elif case.startswith("flipped byte in sources.toml"):
        rewrite(good, bad, flip("content/sources.toml"))
    elif case == "missing file":
        rewrite(good, bad, lambda m: m.pop("content/en/cost-and-insurance.md"))
    elif case == "extra file":
        rewrite(good, bad, lambda m: m.update({"content/en/extra.md": b"+++\n+++\nhello"}))
    elif case == "a path out of the folder":
        rewrite(good, bad, lambda m: m.update({"content/../../escape.md": b"x"}))
    elif case == "wrong key":
        content = tmp_path / "content"
        shutil.copytree(BUNDLED_CONTENT, content)
        build_bundle(content, other_key, bad, 3, {})
    elif case in ("older version", "same version"):
        store.install(good, [keys[1]], examine)
        before = store.current
        bad = bundles[1] if case == "older version" else good
    elif case == "topic that fails content check":
        content = tmp_path / "content"
        shutil.copytree(BUNDLED_CONTENT, content)
        topic = content / "en" / "side-effects-and-safety.md"
        topic.write_text(topic.read_text() + "\nKetamine is a cure for depression.\n")
        build_bundle(content, keys[0], bad, 3, {})  # signed, but not checked by its maker
    elif case == "not a bundle":
        bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(BundleRefused, match=reason):
        store.install(bad, [keys[1]], examine)
    assert store.current == before
    assert not examine(before.folder)  # what is shown is still whole and good
    assert not list(store.bundles.glob(".incoming-*"))


def test_staff_can_choose_an_older_bundle(
    tmp_path: Path, bundles: dict[int, Path], keys: tuple[Path, str]
) -> None:
    store = store_with_v1(tmp_path, bundles, keys[1])
    store.install(bundles[2], [keys[1]], examine)
    assert store.install(bundles[1], [keys[1]], examine, allow_older=True).version == 1


@pytest.mark.expected_logs("content problem", "does not load; rolled back")
def test_a_bundle_that_stops_loading_is_rolled_back_by_itself(
    tmp_path: Path, bundles: dict[int, Path], keys: tuple[Path, str]
) -> None:
    store = store_with_v1(tmp_path, bundles, keys[1])
    installed = store.install(bundles[2], [keys[1]], examine)
    for pack in installed.folder.glob("*/pack.toml"):  # damaged on disk after installing
        pack.write_text("not = [valid toml")
    _, options = cli.parse(["--data-dir", str(tmp_path), "--windowed"], main.COMMANDS)
    assert options is not None
    library = main.load_content(options, Settings(), _icons())
    assert store.current is not None and store.current.version == 1
    assert library.source == store.current.folder and library.has("en")


INSTALL = """
import sys
from pathlib import Path
from kiosk.content.bundle import ContentStore
from kiosk.content.commands import examine
store = ContentStore(Path(sys.argv[1]))
print("start", flush=True)
store.install(Path(sys.argv[2]), [sys.argv[3]], examine, allow_older=True)
print("done", flush=True)
"""


def test_kill_9_in_the_middle_of_an_install_leaves_old_or_new_whole(
    tmp_path: Path, bundles: dict[int, Path], keys: tuple[Path, str]
) -> None:
    store = store_with_v1(tmp_path, bundles, keys[1])
    rng = random.Random(11)
    interrupted = 0
    for trial in range(8):
        target = bundles[2] if trial % 2 == 0 else bundles[1]
        process = subprocess.Popen(
            [sys.executable, "-c", INSTALL, str(store.root), str(target), keys[1]],
            stdout=subprocess.PIPE,
            cwd=Path(main.__file__).parent,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == b"start"
        time.sleep(rng.uniform(0, 1.2))  # the random moment itself
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        interrupted += b"done" not in process.stdout.read()
        process.stdout.close()
        current = store.current
        assert current is not None
        manifest = read_manifest(bundles[current.version], [keys[1]])
        shown = {str(p.relative_to(current.folder).as_posix()) for p in current.folder.rglob("*")}
        assert set(manifest.files) <= shown  # whole: every file of that version is there
        assert not examine(current.folder)
        assert current.version in (1, 2)
    assert interrupted >= 2, "no kill landed in the middle of an install"
    # A store found after kills installs cleanly, leaving no half-made folders behind.
    store.install(bundles[2], [keys[1]], examine, allow_older=True)
    assert not list(store.bundles.glob(".incoming-*"))


def test_the_same_version_again_never_touches_the_folder_being_shown(
    tmp_path: Path, bundles: dict[int, Path], keys: tuple[Path, str]
) -> None:
    store = store_with_v1(tmp_path, bundles, keys[1])
    first = store.install(bundles[2], [keys[1]], examine)
    again = store.install(bundles[2], [keys[1]], examine, allow_older=True)
    assert again.version == 2 and again.folder != first.folder
    assert first.folder.is_dir()  # kept as the one to go back to
    assert store.previous is not None and store.previous.folder == first.folder
    back = store.roll_back()
    assert back is not None and back.folder == first.folder
    assert store.roll_back() is None  # nothing before it any more: stays put


def test_a_link_pointed_outside_the_store_is_not_believed(
    tmp_path: Path, bundles: dict[int, Path], keys: tuple[Path, str]
) -> None:
    store = store_with_v1(tmp_path, bundles, keys[1])
    elsewhere = tmp_path / "123"
    shutil.copytree(BUNDLED_CONTENT, elsewhere)
    link = store.root / "current"
    link.unlink()
    link.symlink_to(elsewhere)
    assert store.current is None
