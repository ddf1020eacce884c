#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the kiosk needs and that pip cannot provide:
# Qt's X11/xcb/EGL libraries, fontconfig, espeak-ng for read-aloud, venv support
# (and, for the tests, a PostgreSQL server for the fleet tests).
# Usage: scripts/system-deps.sh [run|test|screenshots|peers]
# As root, or through sudo (password-less, or asking at the terminal), it installs what
# is missing; otherwise it prints the exact apt-get command and exits non-zero.
set -euo pipefail

purpose="${1:-run}"

# "a|b" means: the first of these names that this release knows (Ubuntu 24.04 renamed
# several libraries with a t64 suffix).
wanted=(
    python3-venv
    libegl1 libgl1 libopengl0 libfontconfig1 libfreetype6 libdbus-1-3
    "libglib2.0-0t64|libglib2.0-0"
    libxkbcommon0 libxkbcommon-x11-0
    libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xinerama0
    libxcb-xkb1 libxrender1 libxi6
    # Qt's Wayland plugin, for kiosks run under the cage compositor (deploy/README.md).
    libwayland-client0 libwayland-cursor0 libwayland-egl1
    fonts-dejavu-core
    libespeak-ng1 espeak-ng-data
    # QtMultimedia's FFmpeg back-end plays through PulseAudio/PipeWire or ALSA.
    libpulse0 "libasound2t64|libasound2"
)
case "$purpose" in
    run) ;;
    # The fault tests run the locked kiosk on a real X server, under a window manager,
    # and press keys at it; the disk faults need mkfs.ext4 and losetup.
    # ... and the fleet tests and benchmark start a throwaway PostgreSQL server (initdb).
    # ... the read-aloud benchmark plays to a private PulseAudio null sink, and the
    # screen-reader test (tests/screen_reader) reads the kiosk over AT-SPI with pyatspi (for
    # the system python3) in a private D-Bus session, and runs Orca.
    test) wanted+=(xvfb xauth x11-utils xdotool wmctrl openbox e2fsprogs mount postgresql
                   pulseaudio pulseaudio-utils dbus-daemon at-spi2-core python3-pyatspi orca) ;;
    screenshots) wanted+=(xvfb xauth imagemagick x11-utils) ;;
    # make bench-peers: the test packages (Xvfb, PostgreSQL) and Chromium to compare with.
    peers) wanted+=(xvfb xauth x11-utils postgresql chromium) ;;
    *) echo "usage: $0 [run|test|screenshots|peers]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: not a Debian/Ubuntu system; install the equivalents of: ${wanted[*]}" >&2
    exit 0
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
known() { apt-cache show "$1" >/dev/null 2>&1; }

# Entries with none of their names installed.
absent=()
for entry in "${wanted[@]}"; do
    IFS='|' read -r -a names <<<"$entry"
    have=""
    for name in "${names[@]}"; do
        if installed "$name"; then have=1; break; fi
    done
    [ -n "$have" ] || absent+=("$entry")
done

[ ${#absent[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    runner=()
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    runner=(sudo)  # password-less, or someone at the terminal to type the password
else
    runner=(none)
fi

# A fresh image has no package lists, and without them no release's names are known.
if [ "${runner[*]-}" != none ]; then
    "${runner[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
fi

missing=()
for entry in "${absent[@]}"; do
    IFS='|' read -r -a names <<<"$entry"
    pick="${names[-1]}"
    for name in "${names[@]}"; do
        if known "$name"; then pick="$name"; break; fi
    done
    missing+=("$pick")
done

cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "${runner[*]-}" = none ]; then
    echo "system-deps: these packages are missing: ${missing[*]}" >&2
    echo "system-deps: install them with (as root, or with sudo in front of each):" >&2
    echo "    apt-get update && ${cmd[*]}" >&2
    exit 1
fi

echo "system-deps: installing ${missing[*]}"
"${runner[@]}" env DEBIAN_FRONTEND=noninteractive "${cmd[@]}" -qq
