"""The central PostgreSQL: connecting, `fleet init` (migrations), provisioning, status."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from kiosk.fleet.migrations import HEAD, VERSION_TABLE
from kiosk.fleet.schema import KIOSK_ROLE, REPORTING_ROLE, heartbeats

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CONNECT_TIMEOUT_SECONDS = 10
# A push is a few thousand rows at most; a statement still running after this is a server
# in trouble, and the kiosk's thread should get back to retrying rather than hang.
STATEMENT_TIMEOUT_MS = 60_000
RESERVED_ROLE_PREFIXES = ("pg_", "postgres", "fleet_")


def postgres_url(url: str | URL) -> URL:
    """The URL with the psycopg 3 driver (SQLAlchemy's plain `postgresql://` means psycopg2)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"the fleet database must be PostgreSQL, not {parsed.drivername}")
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def tls_arguments(ca_file: str, cert_file: str = "", key_file: str = "") -> dict[str, str]:
    """libpq's TLS options: with a CA, the server's certificate and name are both checked;
    without one, TLS is still required (libpq's default, prefer, falls back to plain text
    for anyone in between who refuses TLS), but the server is not verified."""
    arguments: dict[str, str] = {"sslmode": "require"}
    if ca_file:
        arguments.update(sslmode="verify-full", sslrootcert=ca_file)
    if cert_file:
        arguments.update(sslcert=cert_file, sslkey=key_file or cert_file)
    return arguments


def connect(
    url: str | URL,
    *,
    user: str | None = None,
    password: str | None = None,
    connect_args: dict[str, Any] | None = None,
) -> Engine:
    """An engine that opens a fresh connection each time: a kiosk pushes every few minutes,
    and a pooled connection would outlive a server restart."""
    parsed = postgres_url(url)
    if user is not None:
        parsed = parsed.set(username=user)
    arguments: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
        "application_name": "kiosk-fleet",
    }
    # The password goes to libpq directly, never into a URL that might be printed.
    if password is not None:
        arguments["password"] = password
    arguments.update(connect_args or {})
    # hide_parameters: an error's text (and a traceback in the log) never quotes a push's rows.
    return create_engine(parsed, poolclass=NullPool, connect_args=arguments, hide_parameters=True)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def init(engine: Engine) -> tuple[str | None, str]:
    """Bring the central schema to HEAD in one transaction; (revision before, after)."""
    before = current_revision(engine)
    if before != HEAD:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    return before, HEAD


def check_role_name(kiosk_id: str) -> None:
    from kiosk.settings import SLUG

    if not SLUG.match(kiosk_id):
        raise ValueError(f"'{kiosk_id}' is not a kiosk id (1-40 characters of a-z, 0-9, '-')")
    if kiosk_id.startswith(RESERVED_ROLE_PREFIXES):
        raise ValueError(f"'{kiosk_id}' would clash with PostgreSQL's or the fleet's own roles")


def new_password() -> str:
    return secrets.token_urlsafe(24)


def provision_sql(kiosk_id: str, password: str | None) -> list[str]:
    """The statements that give one kiosk its login role (password None: TLS certificate
    only; pg_hba.conf then says `cert` for it). Rights come from the fleet_kiosk group."""
    check_role_name(kiosk_id)
    role = f'"{kiosk_id}"'
    login = "LOGIN" if password is None else f"LOGIN PASSWORD {_literal(password)}"
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(kiosk_id)}) "
        f"THEN CREATE ROLE {role}; END IF; END $$",
        # Whatever the role had before, it ends with exactly the fleet's kiosk rights.
        f"ALTER ROLE {role} {login} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
        "NOBYPASSRLS INHERIT CONNECTION LIMIT 4",
        f"GRANT {KIOSK_ROLE} TO {role}",
    ]


def reporting_sql(name: str, password: str) -> list[str]:
    """A login that reads everything and writes nothing (for dashboards and exports)."""
    check_role_name(name)
    role = f'"{name}"'
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(name)}) "
        f"THEN CREATE ROLE {role}; END IF; END $$",
        f"ALTER ROLE {role} LOGIN PASSWORD {_literal(password)} NOSUPERUSER NOCREATEDB "
        "NOCREATEROLE NOBYPASSRLS INHERIT",
        f"GRANT {REPORTING_ROLE} TO {role}",
    ]


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def run_sql(engine: Engine, statements: list[str]) -> None:
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


@dataclass(frozen=True, slots=True)
class KioskState:
    kiosk_id: str
    site: str
    last_seen: datetime | None  # None: provisioned, never pushed
    app_version: str
    problems: str
    down: bool

    def describe(self, now: datetime) -> str:
        if self.last_seen is None:
            seen = "never seen"
        else:
            minutes = int((now - self.last_seen).total_seconds() // 60)
            ago = f"{minutes} min ago" if minutes < 120 else f"{minutes // 60} h ago"
            seen = f"last seen {self.last_seen:%Y-%m-%d %H:%M %Z} ({ago})"
        state = "DOWN" if self.down else "up"
        site = f" [{self.site}]" if self.site else ""
        problems = f"; problems: {self.problems}" if self.problems else ""
        return f"{self.kiosk_id}{site}: {state}, {seen}{problems}"


def fleet_state(engine: Engine, down_after: timedelta) -> tuple[datetime, list[KioskState]]:
    """Every kiosk that has a heartbeat or a login role, by the server's clock."""
    members = text(
        "SELECT m.rolname FROM pg_roles m JOIN pg_auth_members a ON a.member = m.oid "
        "JOIN pg_roles g ON g.oid = a.roleid WHERE g.rolname = :group"
    )
    with engine.connect() as connection:
        now: datetime = connection.execute(text("SELECT now()")).scalar_one()
        rows = connection.execute(select(heartbeats)).mappings().all()
        roles = set(connection.execute(members, {"group": KIOSK_ROLE}).scalars())
    seen = {row["kiosk_id"]: row for row in rows}
    result = [
        KioskState(
            kiosk_id=kiosk_id,
            site=str(row["site"]),
            last_seen=row["last_seen"],
            app_version=str(row["app_version"]),
            problems=str(row["problems"]),
            down=now - row["last_seen"] > down_after,
        )
        for kiosk_id, row in seen.items()
    ]
    result += [KioskState(k, "", None, "", "", True) for k in roles - set(seen)]
    return now, sorted(result, key=lambda k: (k.site, k.kiosk_id))
