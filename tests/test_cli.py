"""The command line, run as a real process: clear messages and honest exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ContentFolder, topic_text

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_content_check_passes_on_a_good_folder(content: ContentFolder) -> None:
    result = run("content", "check", str(content.root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 topics" in result.stdout and "0 problems" in result.stdout


def test_content_check_lists_every_problem_and_fails(content: ContentFolder) -> None:
    content.write("en", "beta.md", topic_text("beta", 2).replace('icon = "info"', 'icon = "?"'))
    content.write("en", "gamma.md", topic_text("gamma", 3, body="See [x](glossary:nope).\n"))
    result = run("content", "check", str(content.root))
    assert result.returncode == 1
    assert "beta.md:6: field 'icon': '?' is not an icon" in result.stdout
    assert "gamma.md:12: links to glossary term 'nope'" in result.stdout


def test_content_check_of_the_bundled_content_is_clean() -> None:
    result = run("content", "check")
    assert result.returncode == 0, result.stdout
    # The same reading-level figures the tests hold the content to, per topic.
    assert "en/how-well-it-works: grade" in result.stdout
    assert "es/crisis: Fernández-Huerta" in result.stdout


def test_bad_arguments_get_a_clear_message_and_exit_2(tmp_path: Path) -> None:
    cases = [
        (("--lang", "english"), "not a two-letter language code"),
        (("--content", str(tmp_path / "missing")), "is not a folder"),
        (("content", "check", str(tmp_path / "missing")), "is not a folder"),
        (("--frobnicate",), "unrecognized arguments"),
        (("content",), "required"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.returncode == 2, args
        assert message in result.stderr, (args, result.stderr)
