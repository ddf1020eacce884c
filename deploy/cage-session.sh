#!/bin/sh
# Cage's one client (ketamine-kiosk-cage.service): tells ketamine-kiosk.service how to reach
# this Wayland display, reports the display ready, then keeps cage running. The kiosk is a
# separate service rather than cage's client so that systemd watches the kiosk's own process
# (NotifyAccess=main, WATCHDOG_PID) and a kiosk restart leaves the compositor alone.
set -eu

: "${WAYLAND_DISPLAY:?cage sets WAYLAND_DISPLAY; run this only as the client of cage}"
: "${XDG_RUNTIME_DIR:?the login session (PAMName=) sets XDG_RUNTIME_DIR}"
env_dir="${RUNTIME_DIRECTORY:-/run/ketamine-kiosk}"
env_file="$env_dir/session.env"

# Written aside and renamed, so the kiosk never reads half a file.
{
    echo "QT_QPA_PLATFORM=wayland"
    # Cage draws no decorations; this keeps Qt from drawing its own title bar.
    echo "QT_WAYLAND_DISABLE_WINDOWDECORATION=1"
    echo "WAYLAND_DISPLAY=$WAYLAND_DISPLAY"
    echo "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"
    echo "XDG_SESSION_TYPE=wayland"
    # The session bus carries the accessibility bus that screen readers (Orca) use.
    if [ -S "$XDG_RUNTIME_DIR/bus" ]; then
        echo "DBUS_SESSION_BUS_ADDRESS=unix:path=$XDG_RUNTIME_DIR/bus"
    fi
} >"$env_file.new"
mv -f "$env_file.new" "$env_file"

systemd-notify --ready --status="Wayland display $WAYLAND_DISPLAY is ready for the kiosk"

# Cage stops when its client ends; this client ends only when the unit is stopped.
exec sleep infinity
