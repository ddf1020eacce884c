#!/bin/sh
# The X client that startx runs (ketamine-kiosk-x11.service): tells ketamine-kiosk.service how
# to reach this X display, reports the display ready, then keeps the X server running. The
# kiosk is a separate service rather than this client so that systemd watches the kiosk's own
# process (NotifyAccess=main, WATCHDOG_PID) and a kiosk restart leaves X alone.
set -eu

: "${DISPLAY:?startx sets DISPLAY; run this only as the X session client}"
env_dir="${RUNTIME_DIRECTORY:-/run/ketamine-kiosk}"
env_file="$env_dir/session.env"

# Belt and braces with the server's -s 0 -dpms: never blank the waiting-room screen.
if command -v xset >/dev/null 2>&1; then
    xset s off s noblank -dpms || true
fi

# Written aside and renamed, so the kiosk never reads half a file.
{
    echo "QT_QPA_PLATFORM=xcb"
    echo "DISPLAY=$DISPLAY"
    echo "XAUTHORITY=${XAUTHORITY:-$HOME/.Xauthority}"
    echo "XDG_SESSION_TYPE=x11"
    if [ -n "${XDG_RUNTIME_DIR:-}" ]; then
        echo "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"
        # The session bus carries the accessibility bus that screen readers (Orca) use.
        if [ -S "$XDG_RUNTIME_DIR/bus" ]; then
            echo "DBUS_SESSION_BUS_ADDRESS=unix:path=$XDG_RUNTIME_DIR/bus"
        fi
    fi
} >"$env_file.new"
mv -f "$env_file.new" "$env_file"

systemd-notify --ready --status="X display $DISPLAY is ready for the kiosk"

# xinit stops the server when its client ends; this client ends only when the unit is stopped.
exec sleep infinity
