"""The kiosk's fleet credentials file: written private and whole, read back exactly."""

from __future__ import annotations

import stat
from pathlib import Path

from kiosk.atomic import temporaries_of
from kiosk.fleet.credentials import load_credentials, write_credentials


def test_any_password_survives_the_file_and_the_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "fleet-credentials.toml"
    path.parent.mkdir()
    path.write_text("old = 1\n")
    path.chmod(0o644)  # an older file others could read is replaced, not reused
    password = 'a"b\\c\nd\te\x7f\x01 é 😀 = [x]'
    write_credentials(path, 'kiosk-"1"', password)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not temporaries_of(path)
    credentials = load_credentials(path, "kiosk-1", environ={})
    assert credentials.user == 'kiosk-"1"' and credentials.password == password
