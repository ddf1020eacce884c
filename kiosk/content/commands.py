"""`python main.py content ...`: check a folder; make keys; build, verify and install bundles."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TextIO

from kiosk.cli import EXIT_OK, EXIT_PROBLEMS, add_storage_arguments, existing_dir, paths_from
from kiosk.paths import ASSETS, BUNDLED_CONTENT

CONTENT_STORE = "content-store"  # installed bundles, in the data folder


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

    review = actions.add_parser("review", help="record a clinician's sign-off of a topic")
    review.add_argument("topic", metavar="TOPIC", help="the topic id, e.g. side-effects-and-safety")
    review.add_argument("--lang", default="en", help="the language version signed off")
    review.add_argument(
        "--role", required=True, help='the reviewer\'s role, e.g. "Medical director"'
    )
    review.add_argument("--date", type=date.fromisoformat, default=None, help="default: today")
    review.add_argument(
        "--content",
        type=existing_dir,
        default=BUNDLED_CONTENT,
        metavar="DIR",
        help="content folder (default: the bundled content)",
    )
    add_storage_arguments(review)
    review.set_defaults(handler=review_command)

    keygen = actions.add_parser("keygen", help="make a key pair for signing content bundles")
    keygen.add_argument("--output", type=Path, required=True, metavar="DIR")
    keygen.set_defaults(handler=keygen_command)

    bundle = actions.add_parser("bundle", help="build a signed bundle of a content folder")
    bundle.add_argument("folder", type=existing_dir, metavar="DIR")
    bundle.add_argument("--key", type=Path, required=True, metavar="KEYFILE")
    bundle.add_argument("--output", type=Path, required=True, metavar="FILE")
    bundle.add_argument(
        "--version", type=int, default=None, help="bundle version (default: the build time)"
    )
    bundle.set_defaults(handler=bundle_command)

    sign = actions.add_parser("sign", help="sign a content folder in place (make sign-content)")
    sign.add_argument("folder", type=existing_dir, metavar="DIR")
    sign.add_argument("--key", type=Path, required=True, metavar="KEYFILE")
    sign.set_defaults(handler=sign_command)

    verify = actions.add_parser("verify", help="check a bundle's signature and files")
    verify.add_argument("bundle", type=Path, metavar="FILE")
    add_storage_arguments(verify)
    verify.set_defaults(handler=verify_command)

    install = actions.add_parser("install", help="verify a bundle and install it on this kiosk")
    install.add_argument("bundle", type=Path, metavar="FILE")
    install.add_argument(
        "--older", action="store_true", help="install it even if it is not newer (roll back)"
    )
    add_storage_arguments(install)
    install.set_defaults(handler=install_command)


def check_command(args: argparse.Namespace, out: TextIO) -> int:
    folder: Path = args.folder
    return check_folder(folder, out)


def check_folder(folder: Path, out: TextIO) -> int:
    """Load problems, reading-level figures and forbidden claims, for every language."""
    return EXIT_PROBLEMS if examine(folder, out) else EXIT_OK


def examine(folder: Path, out: TextIO | None = None) -> list[str]:
    """Everything that fails `content check` in a folder (printed in full to `out`)."""
    # textstat takes ~0.15 s to import; only this command needs it, not the kiosk's start.
    from kiosk.content import claims, readability
    from kiosk.content.loader import ContentLoader

    def say(text: str) -> None:
        if out is not None:
            print(text, file=out)

    loader = ContentLoader(known_icons())
    languages = loader.languages(folder)
    if not languages:
        say(f"{folder}: no language folders with a pack.toml")
        return [f"{folder}: no language folders with a pack.toml"]
    failures: list[str] = []
    for language in languages:
        result = loader.load(folder, language)
        pack = result.pack
        topics = len(pack.topics) if pack else 0
        terms = len(pack.glossary) if pack else 0
        say(
            f"{folder / language}: {topics} topics, {terms} glossary terms, "
            f"{len(result.problems)} problems"
        )
        for problem in result.problems:
            say(f"  {problem}")
            failures.append(str(problem))
        if pack is None:
            failures.append(f"{folder / language}: no usable pack")
            continue
        say("  reading level:")
        figures = readability.pack_figures(pack)
        for item in figures:
            say(f"    {readability.describe(item)}")
        for miss in readability.failures(figures):
            say(f"  reading level too hard: {miss}")
            failures.append(f"reading level too hard: {miss}")
        for hit in claims.check_pack(pack):
            say(f"  forbidden claim: {hit}")
            failures.append(f"forbidden claim: {language}/{hit}")
    if not readability.cmu_available():
        say("note: the stricter CMU reading measure was skipped (install the dev extras)")
    return failures


def review_records(folder: Path) -> dict[str, dict[str, str]]:
    """Each topic's review record, per language, for a bundle's manifest."""
    from kiosk.content.loader import ContentLoader

    loader = ContentLoader(known_icons())
    records: dict[str, dict[str, str]] = {}
    for language in loader.languages(folder):
        pack = loader.load(folder, language).pack
        for topic in pack.topics if pack else ():
            records[f"{language}/{topic.id}"] = {
                "status": topic.review_status.value,
                "last_reviewed": topic.last_reviewed.isoformat(),
                "reviewed_by": topic.reviewed_by,
            }
    return records


def keygen_command(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.content.bundle import generate_keys

    try:
        private, public = generate_keys(args.output)
    except FileExistsError as error:
        print(error, file=out)
        return EXIT_PROBLEMS
    print(f"private key: {private} (keep it off the kiosks)", file=out)
    print(f"public key:  {public}; put this line in each kiosk's [content] public_keys:", file=out)
    print(f"    {public.read_text().strip()}", file=out)
    return EXIT_OK


def bundle_command(args: argparse.Namespace, out: TextIO) -> int:
    from datetime import UTC, datetime

    from kiosk.content.bundle import build_bundle

    folder: Path = args.folder
    if _report_failures(f"{folder} fails content check; no bundle made:", examine(folder), out):
        return EXIT_PROBLEMS
    now = datetime.now(UTC)
    version = args.version if args.version is not None else int(now.strftime("%Y%m%d%H%M%S"))
    manifest = build_bundle(folder, args.key, args.output, version, review_records(folder), now)
    print(f"{args.output}: version {manifest.version}, {len(manifest.files)} files", file=out)
    return EXIT_OK


def _trusted_keys(args: argparse.Namespace) -> tuple[str, ...]:
    from kiosk.paths import bundled_content_key
    from kiosk.settings import load_settings

    settings, _ = load_settings(paths_from(args).settings_file)
    return settings.trusted_content_keys(bundled_content_key())


def verify_command(args: argparse.Namespace, out: TextIO) -> int:
    import tempfile

    from kiosk.content.bundle import BundleRefused, read_manifest, unpack_verified

    try:
        manifest = read_manifest(args.bundle, _trusted_keys(args))
        with tempfile.TemporaryDirectory() as scratch:
            unpack_verified(args.bundle, manifest, Path(scratch) / "content")
            failures = examine(Path(scratch) / "content")
    except BundleRefused as error:
        print(f"refused: {error}", file=out)
        return EXIT_PROBLEMS
    for failure in failures:
        print(f"  {failure}", file=out)
    state = "fails content check" if failures else "signature, files and content check pass"
    print(f"{args.bundle}: version {manifest.version}, built {manifest.built}: {state}", file=out)
    return EXIT_PROBLEMS if failures else EXIT_OK


def install_command(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.content.bundle import BundleRefused, ContentStore

    store = ContentStore(paths_from(args).data_dir / CONTENT_STORE)
    try:
        installed = store.install(args.bundle, _trusted_keys(args), examine, args.older)
    except BundleRefused as error:
        print(f"refused: {error}", file=out)
        return EXIT_PROBLEMS
    print(f"installed version {installed.version}; the kiosk shows it at its next start", file=out)
    return EXIT_OK


def review_command(args: argparse.Namespace, out: TextIO) -> int:
    """Sign a topic off, refusing one that fails `content check`."""
    from kiosk.content.loader import ContentLoader
    from kiosk.content.review import add_months, record_sign_off
    from kiosk.settings import load_settings

    folder: Path = args.content
    role = args.role.strip()
    if not role or len(role) > 80:
        print("--role must name the reviewer's role in 1 to 80 characters", file=out)
        return EXIT_PROBLEMS
    result = ContentLoader(known_icons()).load(folder, args.lang)
    topic = result.pack.topic(args.topic) if result.pack else None
    if topic is None:
        print(f"no topic {args.topic!r} loads in {folder / args.lang}", file=out)
        for problem in result.problems:
            print(f"  {problem}", file=out)
        return EXIT_PROBLEMS
    mine = [f for f in examine(folder) if str(topic.path) in f or f"{args.lang}/{topic.id}" in f]
    if _report_failures(f"{topic.path} fails content check; not signed off:", mine, out):
        return EXIT_PROBLEMS
    settings, _ = load_settings(paths_from(args).settings_file)
    day = args.date or date.today()
    due = add_months(day, settings.review_interval_months)
    version = record_sign_off(topic.path, role, day, due)
    print(
        f"{args.lang}/{topic.id} signed off by {role} on {day}; next check {due}; "
        f"version {version}",
        file=out,
    )
    return EXIT_OK


def sign_command(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.content.bundle import sign_folder

    folder: Path = args.folder
    if _report_failures(f"{folder} fails content check; not signed:", examine(folder), out):
        return EXIT_PROBLEMS
    manifest = sign_folder(folder, args.key, 1, review_records(folder))
    print(f"{folder}: {len(manifest.files)} files signed", file=out)
    return EXIT_OK


def _report_failures(heading: str, failures: list[str], out: TextIO) -> bool:
    """Print the failures under a heading; True if there were any (the command must stop)."""
    if failures:
        print(heading, file=out)
        for failure in failures:
            print(f"  {failure}", file=out)
    return bool(failures)
