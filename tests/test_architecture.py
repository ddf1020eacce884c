"""House rules that keep the layers apart (qutebrowser's idea: enforce them in a test)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_KIOSK = ("PySide6.QtWidgets", "PySide6.QtGui", "ui")


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_kiosk_package_imports_no_qt_widgets_or_ui() -> None:
    offenders = []
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        for name in imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IN_KIOSK):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_ui_builds_no_sql() -> None:
    # Widgets ask kiosk/ services for figures; they never query the database themselves.
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / "ui").rglob("*.py"))
        for name in imports(path)
        if name == "sqlalchemy" or name.startswith(("sqlalchemy.", "sqlite3"))
    ]
    assert offenders == []


def test_no_widget_sets_its_own_stylesheet() -> None:
    # One stylesheet (assets/style.qss); states go through dynamic properties.
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "ui").rglob("*.py"))
        if ".setStyleSheet(" in path.read_text(encoding="utf-8") and path.name != "theme.py"
    ]
    assert offenders == []
