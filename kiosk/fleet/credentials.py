"""The kiosk's fleet password: from a 0600 file in the data folder, or from the environment.

Never logged and never shown: errors name the file, not what is in it.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.files import read_regular_file

DEFAULT_FILE = "fleet-credentials.toml"
PASSWORD_VARIABLE = "KIOSK_FLEET_PASSWORD"
MAX_BYTES = 4096


class CredentialsProblem(Exception):
    """The credentials file is missing, unreadable, malformed or readable by others."""


@dataclass(frozen=True, slots=True)
class Credentials:
    user: str
    # repr=False: a stray log of this object must not print the password.
    password: str | None = field(default=None, repr=False)


def credentials_path(setting: str, data_dir: Path) -> Path:
    return Path(setting).expanduser() if setting else data_dir / DEFAULT_FILE


def load_credentials(
    path: Path, kiosk_id: str, environ: dict[str, str] | None = None
) -> Credentials:
    """The environment's password if set, else the file's; no file and no variable means
    no password (a TLS client certificate, or a pg_hba.conf that trusts this host)."""
    environ = dict(os.environ) if environ is None else environ
    if environ.get(PASSWORD_VARIABLE):
        return Credentials(kiosk_id, environ[PASSWORD_VARIABLE])
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return Credentials(kiosk_id)
    except OSError as error:
        raise CredentialsProblem(f"{path}: cannot be read: {error.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        # ssh's rule: a password others can read is refused, so the mistake gets fixed.
        raise CredentialsProblem(
            f"{path} may be read by other users (mode {stat.S_IMODE(mode):o}); "
            f"make it private with: chmod 600 {path}"
        )
    try:
        data = tomllib.loads(read_regular_file(path, MAX_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        # The parser's message may quote the line, and the line may be the password.
        raise CredentialsProblem(f"{path}: not a TOML file ({type(error).__name__})") from None
    password = data.get("password")
    user = data.get("user", kiosk_id)
    if not isinstance(password, str) or not isinstance(user, str):
        raise CredentialsProblem(f'{path}: needs password = "..." (and optionally user)')
    return Credentials(user, password)


def toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes are a subset of TOML's, plus DEL, which TOML
    wants escaped and JSON leaves alone (ensure_ascii off: TOML refuses \\u surrogates)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def write_credentials(path: Path, user: str, password: str) -> None:
    """Write a credentials file, private (0600: mkstemp's mode) from its first byte, and
    whole or not at all: a crash mid-write must not leave the kiosk half a password."""
    from kiosk.atomic import write_atomically

    text = f"user = {toml_string(user)}\npassword = {toml_string(password)}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda handle: handle.write(text.encode("utf-8")))
