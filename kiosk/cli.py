"""The command line: `python main.py` starts the kiosk; subcommands do staff jobs without Qt."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from kiosk import APP_NAME
from kiosk.paths import BUNDLED_CONTENT, Paths
from kiosk.settings import LANGUAGE

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class KioskOptions:
    """What `python main.py` (no subcommand) was asked to do."""

    windowed: bool
    content_dir: Path
    database_url: str  # --database, or SQLite in the data folder
    paths: Paths
    language: str | None


Command = Callable[[argparse.Namespace, TextIO], int]


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; use YEAR-MONTH-DAY, e.g. 2026-11-20"
        ) from None


def language_code(text: str) -> str:
    if not LANGUAGE.match(text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a two-letter language code")
    return text


def existing_dir(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"'{text}' is not a folder")
    return path


Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def build_parser(commands: Sequence[Register]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py", description="Patient-education kiosk: IV ketamine for depression."
    )
    add_storage_arguments(parser, top_level=True)
    parser.add_argument(
        "--windowed",
        action="store_true",
        help="run in a normal window instead of locked full screen",
    )
    parser.add_argument(
        "--content",
        type=existing_dir,
        default=BUNDLED_CONTENT,
        metavar="DIR",
        help="content folder (default: the bundled content)",
    )
    parser.add_argument(
        "--lang",
        type=language_code,
        metavar="CODE",
        help="language to start in (default: from settings)",
    )
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in commands:
        register(sub)
    return parser


def add_storage_arguments(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """--data-dir and --database, accepted before or after a subcommand."""
    # A subcommand's own default would overwrite a value given before the subcommand.
    default = None if top_level else argparse.SUPPRESS
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        default=default,
        help=f"keep everything writable in DIR (default: the {APP_NAME} "
        "folders in your user data, log and config folders)",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        default=default,
        help="SQLAlchemy database URL (default: SQLite in the data folder)",
    )


def paths_from(args: argparse.Namespace) -> Paths:
    return Paths.under(args.data_dir) if args.data_dir else Paths.default()


def database_url(args: argparse.Namespace) -> str:
    url: str | None = args.database
    return url or paths_from(args).database_url


def parse(
    argv: Sequence[str],
    commands: Sequence[Register],
) -> tuple[argparse.Namespace, KioskOptions | None]:
    """Parse arguments; KioskOptions when the kiosk itself should start."""
    args = None
    if "-h" not in argv and "--help" not in argv:
        # The kiosk itself first, without the subcommands' parsers (building them and
        # importing their modules is ~20 ms of every start); anything left over is one.
        args, rest = build_parser(()).parse_known_args(argv)
    if args is None or rest:
        args = build_parser(commands).parse_args(argv)
    if args.command:
        return args, None
    return args, KioskOptions(
        windowed=args.windowed,
        content_dir=args.content,
        database_url=database_url(args),
        paths=paths_from(args),
        language=args.lang,
    )


def run_command(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    handler: Command = args.handler
    return handler(args, out)
