"""A patient tries to leave the kiosk: keys, a right-click and the window manager's close.

Under a real X server with a real window manager (openbox, which binds Alt+F4 to close and
Alt+Tab to switch windows), the locked kiosk stays up, full screen and on top.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.conftest import Figures
from tests.faults.harness import KioskProcess, x_server

WIDTH, HEIGHT = 1280, 800

ATTEMPTS = {
    "Escape": ["xdotool", "key", "Escape"],
    "Alt+F4": ["xdotool", "key", "alt+F4"],
    "Ctrl+W": ["xdotool", "key", "ctrl+w"],
    "Ctrl+Q": ["xdotool", "key", "ctrl+q"],
    "Alt+Tab": ["xdotool", "key", "alt+Tab"],
    "Super": ["xdotool", "key", "super"],
    "right-click": ["xdotool", "mousemove", "640", "400", "click", "3"],
    "window-manager close": ["wmctrl", "-c", "KIOSK_WINDOW", "-i"],
}


@pytest.fixture
def desktop() -> Iterator[dict[str, str]]:
    for tool in ("openbox", "xdotool", "wmctrl", "xprop", "xwininfo"):
        assert shutil.which(tool), f"{tool} is not installed: `make test` installs it"
    with x_server(WIDTH, HEIGHT) as display:
        env = {**os.environ, "DISPLAY": display}
        manager = subprocess.Popen(
            ["openbox", "--sm-disable"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            yield {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
        finally:
            manager.terminate()
            manager.wait(10)


def x(env: dict[str, str], *command: str) -> str:
    result = subprocess.run(
        command, env={**os.environ, **env}, capture_output=True, text=True, timeout=10
    )
    return result.stdout


def kiosk_window(env: dict[str, str], pid: int) -> str:
    ids = x(env, "xdotool", "search", "--onlyvisible", "--pid", str(pid)).split()
    assert ids, "the kiosk has no visible window"
    return ids[-1]


def state(env: dict[str, str], window: str) -> tuple[str, str]:
    """The window's _NET_WM_STATE and its geometry as xwininfo gives it."""
    net = x(env, "xprop", "-id", window, "_NET_WM_STATE")
    info = x(env, "xwininfo", "-id", window)
    size = " ".join(
        line.strip() for line in info.splitlines() if "Width" in line or "Height" in line
    )
    return net, size


def test_no_key_click_or_close_request_gets_a_patient_out(
    tmp_path: Path, desktop: dict[str, str], figures: Figures
) -> None:
    kiosk = KioskProcess(tmp_path / "data", env=desktop, interval_ms=200)
    tried: list[str] = []
    try:
        kiosk.wait_up()
        kiosk.wait_for(lambda p: p.views >= 1, 30, "a first view")
        window = kiosk_window(desktop, kiosk.process.pid)
        for name, command in ATTEMPTS.items():
            x(desktop, *[window if part == "KIOSK_WINDOW" else part for part in command])
            views = kiosk.views
            # The kiosk is still there and still answering taps after the attempt ...
            kiosk.wait_for(lambda p, n=views: p.views > n, 30, f"a view after {name}")
            assert kiosk.process.poll() is None, f"{name} ended the kiosk"
            # ... full screen and on top.
            net, size = state(desktop, kiosk_window(desktop, kiosk.process.pid))
            assert "_NET_WM_STATE_FULLSCREEN" in net, (name, net)
            assert "_NET_WM_STATE_ABOVE" in net, (name, net)
            assert f"Width: {WIDTH}" in size and f"Height: {HEIGHT}" in size, (name, size)
            tried.append(name)
    finally:
        kiosk.kill()
    figures.add(
        f"escape attempts under openbox: {len(tried)} tried, 0 got out ({', '.join(tried)})"
    )
