"""`staff set-pin`: the only way to set the staff PIN (there is no default one)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from kiosk.cli import EXIT_OK, EXIT_PROBLEMS, add_storage_arguments, paths_from

# The PIN code (hashlib, scrypt) loads only when this command runs: main.py registers the
# command on every start, including the kiosk's own.


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    staff = sub.add_parser("staff", help="staff access to the kiosk")
    actions = staff.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_pin = actions.add_parser(
        "set-pin",
        help="set or replace the staff PIN (asks twice; reads one line from stdin if piped)",
    )
    add_storage_arguments(set_pin)
    set_pin.set_defaults(handler=set_pin_command)


def set_pin_command(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.clock import SystemClock
    from kiosk.staff.pin import PinStore, WeakPin

    pin = _read_pin()
    if pin is None:
        return EXIT_PROBLEMS
    store = PinStore(paths_from(args).data_dir, SystemClock())
    replacing = store.is_set()
    try:
        store.set_pin(pin)
    except WeakPin as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as error:
        print(f"error: cannot save the PIN in {store.pin_file.parent}: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    verb = "replaced" if replacing else "set"
    print(f"Staff PIN {verb} ({store.pin_file}); failed attempts reset.", file=out)
    return EXIT_OK


def _read_pin() -> str | None:
    from kiosk.staff.pin import MIN_DIGITS

    if not sys.stdin.isatty():
        # Automation and tests pipe the PIN in; a terminal gets hidden prompts instead.
        pin = sys.stdin.readline().strip()
        if not pin:
            print("error: no PIN on standard input", file=sys.stderr)
            return None
        return pin
    try:
        pin = getpass.getpass(f"New staff PIN ({MIN_DIGITS} or more digits): ")
        again = getpass.getpass("Type it again: ")
    except (EOFError, KeyboardInterrupt):
        print("\nerror: cancelled; the PIN was not changed", file=sys.stderr)
        return None
    if pin != again:
        print("error: the two PINs differ; the PIN was not changed", file=sys.stderr)
        return None
    return pin
