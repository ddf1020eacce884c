"""Where the kiosk reads its bundled data and writes its own (the only module that knows)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kiosk import APP_NAME

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CONTENT = PROJECT_ROOT / "content"
ASSETS = PROJECT_ROOT / "assets"
# The public half of the key that signs the bundled content (make sign-content).
BUNDLED_CONTENT_KEY = ASSETS / "content-signing.pub"


def bundled_content_key() -> str:
    try:
        return BUNDLED_CONTENT_KEY.read_text(encoding="ascii").strip()
    except OSError:
        return ""


DATABASE_FILE = "kiosk.db"


@dataclass(frozen=True, slots=True)
class Paths:
    """Writable locations: data (database, staff files), logs, and the settings file."""

    data_dir: Path
    log_dir: Path
    settings_file: Path

    @classmethod
    def default(cls) -> Paths:
        return cls(
            data_dir=platformdirs.user_data_path(APP_NAME, appauthor=False),
            log_dir=platformdirs.user_log_path(APP_NAME, appauthor=False),
            settings_file=platformdirs.user_config_path(APP_NAME, appauthor=False)
            / "settings.toml",
        )

    @classmethod
    def under(cls, root: Path) -> Paths:
        """Everything writable below one folder (`--data-dir`), for development and tests."""
        root = root.resolve()
        return cls(data_dir=root, log_dir=root / "logs", settings_file=root / "settings.toml")

    @property
    def database_file(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database_file}"
