"""The clinic's settings file: defaults when absent, and a clear message naming the file,
line and field for anything wrong, with the kiosk keeping the default for that field."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor, QImage

from kiosk.settings import EXAMPLE, Settings, load_settings
from tests.conftest import ContentFolder


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_safe_defaults(tmp_path: Path) -> None:
    settings, problems = load_settings(tmp_path / "missing.toml")
    assert (settings, problems) == (Settings(), [])
    assert settings.idle_timeout_seconds == 90 and settings.idle_countdown_seconds >= 20


def test_the_documented_example_is_valid_and_equals_the_defaults(tmp_path: Path) -> None:
    settings, problems = load_settings(write(tmp_path, EXAMPLE))
    assert problems == []
    assert settings == Settings()


def test_a_full_file_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[kiosk]
id = "waiting-room-2"
language = "es"
idle_timeout_seconds = 120
printer = "front-desk"

[clinic]
name = "Riverside Clinic"

[content]
hidden_topics = ["cost-and-insurance"]

[wording.en]
driving_rule = "Do not drive until tomorrow morning."

[staff]
small_count_threshold = 0
""",
    )
    settings, problems = load_settings(path)
    assert problems == []
    assert settings.kiosk_id == "waiting-room-2" and settings.language == "es"
    assert settings.idle_timeout_seconds == 120 and settings.printer == "front-desk"
    assert settings.clinic_name == "Riverside Clinic"
    assert settings.hidden_topics == ("cost-and-insurance",)
    assert settings.wording_for("en") == {"driving_rule": "Do not drive until tomorrow morning."}
    assert settings.wording_for("es") == {}
    assert settings.small_count_threshold == 0


def test_a_syntax_error_names_the_line_and_keeps_every_default(tmp_path: Path) -> None:
    path = write(tmp_path, '[kiosk]\nid = "a"\nlanguage = "en\n')
    settings, problems = load_settings(path)
    assert settings == Settings()
    assert len(problems) == 1 and problems[0].line == 3 and problems[0].path == path


def test_a_bad_field_is_named_and_only_it_falls_back(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """[kiosk]
id = "Waiting Room"
idle_timeout_seconds = 5
idle_countdown_seconds = "thirty"
language = "es"
""",
    )
    settings, problems = load_settings(path)
    by_field = {p.field: p for p in problems}
    assert set(by_field) == {
        "kiosk.id",
        "kiosk.idle_timeout_seconds",
        "kiosk.idle_countdown_seconds",
    }
    assert by_field["kiosk.id"].line == 2
    assert "between 20 and 3600" in by_field["kiosk.idle_timeout_seconds"].message
    assert by_field["kiosk.idle_countdown_seconds"].line == 4
    assert settings.language == "es"  # the good field is kept
    assert settings.kiosk_id == Settings().kiosk_id
    assert settings.idle_countdown_seconds == 30  # never below WCAG 2.2.1's 20 s


def test_crisis_help_waits_longer_and_never_less_than_a_topic(tmp_path: Path) -> None:
    assert Settings().crisis_idle_timeout_seconds == 300  # five minutes to make a call
    settings, problems = load_settings(
        write(tmp_path, "[kiosk]\nidle_timeout_seconds = 600\ncrisis_idle_timeout_seconds = 120\n")
    )
    assert [p.field for p in problems] == ["kiosk.crisis_idle_timeout_seconds"]
    assert "at least kiosk.idle_timeout_seconds (600)" in problems[0].message
    assert problems[0].line == 3
    assert settings.crisis_idle_timeout_seconds == 600
    settings, problems = load_settings(
        write(tmp_path, "[kiosk]\ncrisis_idle_timeout_seconds = 10\n")
    )
    assert "between 60 and 3600" in problems[0].message
    assert settings.crisis_idle_timeout_seconds == 300
    settings, problems = load_settings(
        write(tmp_path, "[kiosk]\ncrisis_idle_timeout_seconds = 900\n")
    )
    assert problems == [] and settings.crisis_idle_timeout_seconds == 900


def test_the_clinic_phone_is_optional_and_checked(tmp_path: Path) -> None:
    assert Settings().clinic_phone == ""  # never a made-up number
    settings, problems = load_settings(write(tmp_path, '[clinic]\nphone = " (555)  010-0199 "\n'))
    assert problems == [] and settings.clinic_phone == "(555) 010-0199"
    settings, problems = load_settings(write(tmp_path, '[clinic]\nphone = "+34 910 12 34 56"\n'))
    assert problems == [] and settings.clinic_phone == "+34 910 12 34 56"
    for bad in ("call us", "555", "tel:5550100199", "1" * 20, "555-0100 ext 4"):
        settings, problems = load_settings(write(tmp_path, f'[clinic]\nphone = "{bad}"\n'))
        assert [p.field for p in problems] == ["clinic.phone"], bad
        assert settings.clinic_phone == ""


def test_bad_wording_and_encoding(tmp_path: Path) -> None:
    _, problems = load_settings(write(tmp_path, '[wording.en]\n"Driving Rule" = "x"\n'))
    assert problems and problems[0].field == "wording.en.Driving Rule"
    path = tmp_path / "latin1.toml"
    path.write_bytes('[clinic]\nname = "Cl\xednica"\n'.encode("latin-1"))
    _, problems = load_settings(path)
    assert problems[0].line == 2 and "UTF-8" in problems[0].message


def test_the_clinic_name_and_logo_head_every_screen(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.png"
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#0A4F5C"))
    assert image.save(str(logo))
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text(f'[clinic]\nname = "Riverside Clinic"\nlogo = "{logo}"\n')
    kiosk = make_kiosk(content_dir=content.root)
    bar = kiosk.window.top_bar
    assert bar.title.text() == "Riverside Clinic"
    assert bar.logo.isVisible() and bar.logo.pixmap().height() == 56
    kiosk.window.set_language("en")
    assert bar.title.text() == "Riverside Clinic"


def test_a_missing_logo_is_reported_and_the_kiosk_runs(
    qtbot: Any, make_kiosk: Any, content: ContentFolder, tmp_path: Path, caplog: Any
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text('[clinic]\nlogo = "/nowhere/logo.png"\n')
    kiosk = make_kiosk(content_dir=content.root)
    assert not kiosk.window.top_bar.logo.isVisible()
    assert kiosk.window.top_bar.title.text() == "Learning about IV ketamine"
    assert "cannot read the clinic logo /nowhere/logo.png: No such file" in caplog.text


def test_every_placeholder_the_example_documents_is_accepted_and_exists(tmp_path: Path) -> None:
    # Uncomment the example's [wording.en] block: each key must load without a problem, and
    # the keys must be exactly the placeholders the bundled packs give defaults for.
    lines = EXAMPLE.splitlines()
    start = lines.index("# [wording.en]")
    block = []
    for line in lines[start:]:
        if not line.startswith("# "):
            break
        block.append(line.removeprefix("# "))
    settings, problems = load_settings(write(tmp_path, "\n".join(block) + "\n"))
    assert problems == []
    documented = set(settings.wording_for("en"))
    root = Path(__file__).resolve().parent.parent / "content"
    for language in ("en", "es"):
        defaults = tomllib.loads((root / language / "pack.toml").read_text("utf-8"))["defaults"]
        assert documented == set(defaults), language


def test_the_fleet_is_off_by_default_and_a_url_with_a_password_is_refused(tmp_path: Path) -> None:
    settings, problems = load_settings(write(tmp_path, ""))
    assert not settings.fleet.enabled and problems == []
    settings, problems = load_settings(
        write(
            tmp_path,
            '[fleet]\nurl = "postgresql://kiosk-1:secret@fleet.example.org/kiosks"\n'
            'site = "north"\ninterval_seconds = 60\n',
        )
    )
    assert not settings.fleet.enabled
    assert [p.message for p in problems] == [
        "must not contain a password (use the credentials file)"
    ]
    assert settings.fleet.site == "north" and settings.fleet.interval_seconds == 60
    assert "secret" not in str(problems)


def test_an_id_with_a_trailing_newline_is_refused(tmp_path: Path) -> None:
    settings, problems = load_settings(write(tmp_path, '[kiosk]\nid = "site-7\\n"\n'))
    assert settings.kiosk_id == "kiosk-1"
    assert [p.field for p in problems] == ["kiosk.id"]
