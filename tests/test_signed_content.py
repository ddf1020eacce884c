"""Signed content: the bundled content is signed by the shipped key, and with require_signed
a kiosk shows only content a trusted key signed exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import main
from kiosk import cli
from kiosk.content.bundle import ContentStore, build_bundle, generate_keys, verify_folder
from kiosk.content.commands import CONTENT_STORE, examine, known_icons, review_records
from kiosk.paths import BUNDLED_CONTENT, bundled_content_key
from kiosk.settings import Settings


def test_the_bundled_content_is_exactly_what_the_shipped_key_signed() -> None:
    problem = verify_folder(BUNDLED_CONTENT, [bundled_content_key()])
    assert problem is None, (
        f"{problem}: content/ changed since it was signed; run make sign-content"
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(BUNDLED_CONTENT, folder)
    return folder


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("flip", "does not match its signed hash"),
        ("extra", "is not in the signed manifest"),
        ("missing", "is missing"),
        ("unsigned", "is not signed"),
    ],
)
def test_a_changed_folder_no_longer_verifies(copy: Path, change: str, reason: str) -> None:
    topic = copy / "en" / "side-effects-and-safety.md"
    if change == "flip":
        topic.write_text(topic.read_text().replace("911", "119", 1))
    elif change == "extra":
        (copy / "en" / "new.md").write_text("+++\n+++\n")
    elif change == "missing":
        topic.unlink()
    else:
        (copy / ".manifest.sig").unlink()
    problem = verify_folder(copy, [bundled_content_key()])
    assert problem is not None and reason in problem


def load(tmp_path: Path, settings: Settings, *extra: str):  # type: ignore[no-untyped-def]
    argv = ["--data-dir", str(tmp_path / "data"), "--windowed", *extra]
    _, options = cli.parse(argv, main.COMMANDS)
    assert options is not None
    return main.load_content(options, settings, known_icons())


@pytest.mark.expected_logs("content not shown, its signature does not hold")
def test_with_require_signed_tampered_content_is_not_shown(copy: Path, tmp_path: Path) -> None:
    topic = copy / "en" / "side-effects-and-safety.md"
    topic.write_text(topic.read_text().replace("911", "119", 1))
    relaxed = load(tmp_path, Settings(), "--content", str(copy))
    assert relaxed.source == copy  # without the setting, as before
    strict = load(tmp_path, Settings(require_signed=True), "--content", str(copy))
    assert strict.source == BUNDLED_CONTENT and strict.has("en")
    # A clinic that trusts only its own key shows nothing it did not sign.
    own_only = Settings(require_signed=True, trust_bundled_key=False)
    assert not load(tmp_path, own_only, "--content", str(copy)).packs


@pytest.mark.expected_logs(
    "content not shown, its signature does not hold", "cannot be shown; rolled back"
)
def test_an_installed_bundle_is_checked_again_at_every_start(copy: Path, tmp_path: Path) -> None:
    private, public = generate_keys(tmp_path / "keys")
    key = public.read_text().strip()
    bundle = tmp_path / "v5.bundle"
    build_bundle(copy, private, bundle, 5, review_records(copy))
    store = ContentStore(tmp_path / "data" / CONTENT_STORE)
    installed = store.install(bundle, [key], examine)
    settings = Settings(require_signed=True, content_public_keys=(key,))
    assert verify_folder(installed.folder, [key]) is None
    assert load(tmp_path, settings).source == installed.folder
    # Changed on the kiosk's disk after installing: not shown; the bundled content is.
    topic = installed.folder / "en" / "side-effects-and-safety.md"
    topic.write_text(topic.read_text().replace("911", "119", 1))
    (tmp_path / "data" / "content-cache.pickle").unlink(missing_ok=True)
    assert load(tmp_path, settings).source == BUNDLED_CONTENT
