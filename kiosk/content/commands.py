"""`python main.py content check [DIR]`: every problem in a content folder, then exit 1 or 0."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from kiosk.cli import EXIT_OK, EXIT_PROBLEMS, existing_dir
from kiosk.paths import ASSETS, BUNDLED_CONTENT


def known_icons() -> set[str]:
    return {p.stem for p in (ASSETS / "icons").glob("*.svg")}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    content = sub.add_parser("content", help="check content folders")
    actions = content.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="report every problem in a content folder")
    check.add_argument(
        "folder",
        nargs="?",
        type=existing_dir,
        default=BUNDLED_CONTENT,
        metavar="DIR",
        help="content folder (default: the bundled content)",
    )
    check.set_defaults(handler=check_command)


def check_command(args: argparse.Namespace, out: TextIO) -> int:
    folder: Path = args.folder
    return check_folder(folder, out)


def check_folder(folder: Path, out: TextIO) -> int:
    """Load problems, reading-level figures and forbidden claims, for every language."""
    # textstat takes ~0.15 s to import; only this command needs it, not the kiosk's start.
    from kiosk.content import claims, readability
    from kiosk.content.loader import ContentLoader

    loader = ContentLoader(known_icons())
    languages = loader.languages(folder)
    if not languages:
        print(f"{folder}: no language folders with a pack.toml", file=out)
        return EXIT_PROBLEMS
    failed = False
    for language in languages:
        result = loader.load(folder, language)
        pack = result.pack
        topics = len(pack.topics) if pack else 0
        terms = len(pack.glossary) if pack else 0
        print(
            f"{folder / language}: {topics} topics, {terms} glossary terms, "
            f"{len(result.problems)} problems",
            file=out,
        )
        for problem in result.problems:
            print(f"  {problem}", file=out)
        failed = failed or bool(result.problems) or pack is None
        if pack is None:
            continue
        print("  reading level:", file=out)
        figures = readability.pack_figures(pack)
        for item in figures:
            print(f"    {readability.describe(item)}", file=out)
        misses = readability.failures(figures)
        for miss in misses:
            print(f"  reading level too hard: {miss}", file=out)
        hits = claims.check_pack(pack)
        for hit in hits:
            print(f"  forbidden claim: {hit}", file=out)
        failed = failed or bool(misses) or bool(hits)
    if not readability.cmu_available():
        print(
            "note: the stricter CMU reading measure was skipped (install the dev extras)", file=out
        )
    return EXIT_PROBLEMS if failed else EXIT_OK
