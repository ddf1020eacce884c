"""What a screen reader sees of the kiosk: its AT-SPI tree, read with pyatspi.

Run with the system Python (Debian's python3-pyatspi is built for it, not for the venv),
inside the kiosk's D-Bus session. It answers one JSON request per line on stdin with one
JSON line on stdout, so the test pays pyatspi's start-up once:

    {"op": "apps"}                              the desktop's applications: name and pid
    {"op": "controls", "pid": 123}              every showing control and label text of it
    {"op": "act", "pid": 123, "name": "Next"}   do a showing control's first action
    {"op": "focused", "pid": 123}               the control that has the keyboard focus

A control is anything a patient can press, toggle or tab to: its role, name, description,
states and action names, as AT-SPI (and so Orca) gets them from Qt.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import gi

gi.require_version("Atspi", "2.0")
import pyatspi  # noqa: E402  (python3-pyatspi: the Debian package the test needs)
from gi.repository import Atspi  # noqa: E402

# Roles a patient acts on; anything else that takes the keyboard focus counts too.
INTERACTIVE = {
    pyatspi.ROLE_PUSH_BUTTON,
    pyatspi.ROLE_TOGGLE_BUTTON,
    pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON,
    pyatspi.ROLE_LINK,
    pyatspi.ROLE_MENU_ITEM,
    pyatspi.ROLE_COMBO_BOX,
    pyatspi.ROLE_SLIDER,
    pyatspi.ROLE_SPIN_BUTTON,
    pyatspi.ROLE_ENTRY,
}
STATES = {
    pyatspi.STATE_FOCUSABLE: "focusable",
    pyatspi.STATE_FOCUSED: "focused",
    pyatspi.STATE_CHECKABLE: "checkable",
    pyatspi.STATE_CHECKED: "checked",
    pyatspi.STATE_PRESSED: "pressed",
    pyatspi.STATE_SENSITIVE: "sensitive",
    pyatspi.STATE_EXPANDABLE: "expandable",
    pyatspi.STATE_EXPANDED: "expanded",
}
MAX_DEPTH = 60


def application(pid: int) -> Any:
    desktop = pyatspi.Registry.getDesktop(0)
    for index in range(desktop.childCount):
        app = desktop.getChildAtIndex(index)
        if app is not None and app.get_process_id() == pid:
            # No cached names or states: the test polls for changes as they happen.
            app.set_cache_mask(Atspi.Cache.NONE)
            return app
    raise LookupError(f"no application with pid {pid} on the AT-SPI bus")


def describe(node: Any, states: Any) -> dict[str, Any]:
    try:
        action = node.queryAction()
        actions = [action.getName(i) for i in range(action.nActions)]
    except NotImplementedError:
        actions = []
    try:
        text = node.queryText()
        # Qt answers a range that runs past the end with nothing: ask within the text.
        content = text.getText(0, min(200, text.characterCount))
    except NotImplementedError:
        content = ""
    return {
        "role": node.getRoleName(),
        "name": node.name or "",
        # A text object (a paragraph) is read by its text, not by a name.
        "text": content,
        "description": node.description or "",
        "states": sorted(word for state, word in STATES.items() if states.contains(state)),
        "actions": actions,
    }


def showing_controls(app: Any) -> tuple[list[tuple[Any, dict[str, Any]]], list[str]]:
    """The showing controls, depth first (the order a screen reader meets them; hidden
    subtrees are skipped), and the texts of the showing labels."""
    found: list[tuple[Any, dict[str, Any]]] = []
    labels: list[str] = []

    def walk(node: Any, depth: int) -> None:
        if node is None or depth > MAX_DEPTH:
            return
        states = node.getState()
        if depth > 1 and not states.contains(pyatspi.STATE_SHOWING):
            return
        role = node.getRole()
        if role in INTERACTIVE or (depth > 1 and states.contains(pyatspi.STATE_FOCUSABLE)):
            found.append((node, describe(node, states)))
        elif role == pyatspi.ROLE_LABEL and node.name:
            labels.append(node.name)
        for index in range(node.childCount):
            walk(node.getChildAtIndex(index), depth + 1)

    for index in range(app.childCount):  # the application's top-level windows
        walk(app.getChildAtIndex(index), 1)
    return found, labels


def answer(request: dict[str, Any]) -> dict[str, Any]:
    op = request["op"]
    if op == "apps":
        desktop = pyatspi.Registry.getDesktop(0)
        apps = [desktop.getChildAtIndex(i) for i in range(desktop.childCount)]
        return {
            "apps": [
                {"name": app.name, "pid": app.get_process_id()} for app in apps if app is not None
            ]
        }
    app = application(int(request["pid"]))
    controls, labels = showing_controls(app)
    if op == "controls":
        windows = [app.getChildAtIndex(i) for i in range(app.childCount)]
        return {
            "app": app.name,
            "windows": [window.name for window in windows if window is not None],
            "controls": [info for _, info in controls],
            "labels": labels,
        }
    if op == "focused":
        focused = [info for _, info in controls if "focused" in info["states"]]
        return {"focused": focused[0] if focused else None}
    if op == "act":
        matches = [
            (node, info)
            for node, info in controls
            if info["name"] == request["name"]
            and request.get("role") in (None, info["role"])
            and "sensitive" in info["states"]
        ]
        if not matches:
            names = sorted({info["name"] for _, info in controls})
            raise LookupError(f"no showing control named {request['name']!r}; there are {names}")
        node, info = matches[0]
        wanted = request.get("action")
        names = info["actions"]
        index = names.index(wanted) if wanted in names else 0
        if not node.queryAction().doAction(index):
            raise RuntimeError(f"{request['name']!r} refused action {names[index]!r}")
        return {"did": names[index] if names else None, "control": info}
    raise ValueError(f"unknown op {op!r}")


def main() -> int:
    # A loaded machine answers slowly; libatspi's default gives up after 0.8 s.
    Atspi.set_timeout(10_000, 15_000)
    for line in sys.stdin:
        try:
            reply = {"ok": True, **answer(json.loads(line))}
        except Exception as problem:  # reported to the test, which says what went wrong
            reply = {"ok": False, "error": f"{type(problem).__name__}: {problem}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
