"""`fleet init`, `provision KIOSK_ID`, `status`, `publish-content FILE`: run by IT, not the kiosk.

The administrator's password comes the way psql takes it (PGPASSWORD, ~/.pgpass, or the
URL): these commands run on an IT machine, never on a kiosk.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from kiosk.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, paths_from

EXIT_DOWN = 3


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    fleet = sub.add_parser("fleet", help="the central fleet database (docs/fleet.md)")
    actions = fleet.add_subparsers(dest="action", metavar="ACTION", required=True)

    init = actions.add_parser("init", help="create or upgrade the central schema and roles")
    _database(init)
    init.set_defaults(handler=init_command)

    provision = actions.add_parser(
        "provision", help="print (or --run) the SQL that gives one kiosk its login role"
    )
    _database(provision, required=False)
    provision.add_argument("kiosk_id", metavar="KIOSK_ID")
    provision.add_argument("--run", action="store_true", help="run it on --database")
    provision.add_argument(
        "--reporting",
        action="store_true",
        help="a reporting login instead (reads everything, writes nothing)",
    )
    provision.add_argument(
        "--certificate-only",
        action="store_true",
        help="no password: the kiosk logs in with a TLS client certificate",
    )
    provision.add_argument(
        "--credentials-out",
        type=Path,
        metavar="PATH",
        help="also write the kiosk's credentials file (mode 0600) to copy to it",
    )
    provision.set_defaults(handler=provision_command)

    status = actions.add_parser(
        "status", help=f"every kiosk, last seen and problems; exit {EXIT_DOWN} if any is down"
    )
    _database(status)
    status.add_argument(
        "--down-after-hours",
        type=int,
        metavar="H",
        help="silent this long means down (default: fleet.down_after_hours, 2)",
    )
    status.set_defaults(handler=status_command)

    publish = actions.add_parser(
        "publish-content",
        help="publish a signed content bundle for the kiosks to fetch after their next push",
    )
    _database(publish)
    publish.add_argument("bundle", type=Path, metavar="FILE", help="made by `content bundle`")
    publish.add_argument(
        "--site", metavar="SITE", help="only the kiosks of this site (default: every site)"
    )
    publish.set_defaults(handler=publish_command)


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kiosk",
        action="append",
        default=[],
        metavar="ID",
        help="central database only: just this kiosk (repeat for several)",
    )
    parser.add_argument(
        "--site",
        action="append",
        default=[],
        metavar="SITE",
        help="central database only: just the kiosks of this site (repeat for several)",
    )
    parser.add_argument(
        "--group",
        choices=("kiosk", "site"),
        help="central database only: figures per kiosk or per site (a table each in a "
        "summary, a leading column in an export), each group's small counts hidden on its own",
    )


def _database(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument(
        "--database",
        required=required,
        metavar="URL",
        help="the central PostgreSQL, e.g. postgresql://admin@fleet.example.org/kiosks",
    )
    parser.add_argument("--data-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS)


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def init_command(args: argparse.Namespace, out: TextIO) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from kiosk.fleet import central

    try:
        engine = central.connect(args.database)
        before, after = central.init(engine)
    except (SQLAlchemyError, ValueError) as error:
        _error(f"fleet init failed: {getattr(error, 'orig', None) or error}")
        return EXIT_PROBLEMS
    engine.dispose()
    if before == after:
        print(f"The fleet schema is up to date ({after}).", file=out)
    else:
        print(f"The fleet schema went from {before or 'nothing'} to {after}.", file=out)
    return EXIT_OK


def provision_command(args: argparse.Namespace, out: TextIO) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from kiosk.fleet import central
    from kiosk.fleet.credentials import write_credentials

    if args.run and not args.database:
        _error("--run needs --database")
        return EXIT_USAGE
    password = None if args.certificate_only else central.new_password()
    try:
        if args.reporting:
            statements = central.reporting_sql(args.kiosk_id, password or "")
        else:
            statements = central.provision_sql(args.kiosk_id, password)
    except ValueError as error:
        _error(str(error))
        return EXIT_USAGE
    if args.run:
        try:
            engine = central.connect(args.database)
            central.run_sql(engine, statements)
            engine.dispose()
        except (SQLAlchemyError, ValueError) as error:
            _error(f"provisioning failed: {getattr(error, 'orig', None) or error}")
            return EXIT_PROBLEMS
        print(f"Role {args.kiosk_id} is ready.", file=out)
    else:
        out.write("".join(f"{statement};\n" for statement in statements))
    if args.credentials_out and password is not None:
        write_credentials(args.credentials_out, args.kiosk_id, password)
        print(
            f"Credentials written to {args.credentials_out} (mode 0600): copy it to the "
            "kiosk's data folder as fleet-credentials.toml.",
            file=sys.stderr if not args.run else out,
        )
    return EXIT_OK


def status_command(args: argparse.Namespace, out: TextIO) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from kiosk.fleet import central
    from kiosk.settings import load_settings

    hours: int | None = args.down_after_hours
    if hours is None:
        settings, _problems = load_settings(paths_from(args).settings_file)
        hours = settings.fleet.down_after_hours
    try:
        engine = central.connect(args.database)
        now, kiosks = central.fleet_state(engine, timedelta(hours=hours))
        engine.dispose()
    except (SQLAlchemyError, ValueError) as error:
        _error(f"cannot read the fleet database: {getattr(error, 'orig', None) or error}")
        return EXIT_PROBLEMS
    for kiosk in kiosks:
        print(kiosk.describe(now), file=out)
    down = [k for k in kiosks if k.down]
    print(f"{len(kiosks)} kiosks, {len(down)} down (silent for more than {hours} h).", file=out)
    return EXIT_DOWN if down else EXIT_OK


def publish_command(args: argparse.Namespace, out: TextIO) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from kiosk.content.bundle import BundleRefused
    from kiosk.fleet import central
    from kiosk.fleet.content import publish

    try:
        engine = central.connect(args.database)
        published = publish(engine, args.bundle, args.site or None)
        engine.dispose()
    except BundleRefused as error:
        _error(str(error))
        return EXIT_PROBLEMS
    except (SQLAlchemyError, ValueError) as error:
        _error(f"publishing failed: {getattr(error, 'orig', None) or error}")
        return EXIT_PROBLEMS
    where = f"site {published.site}" if published.site else "every site"
    print(
        f"Content version {published.version} (built {published.built}) published for "
        f"{where}; kiosks that trust its key install it after their next push.",
        file=out,
    )
    return EXIT_OK
